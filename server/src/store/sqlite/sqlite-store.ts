import type Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DocStore, DocumentChanges, DocumentRecord, StoredContent } from '../doc-store';
import { sqliteMigrations } from './migrations';
import { openSqlite, type SqliteSynchronous } from './open';

interface DocumentRow {
  id: string;
  title: string;
  created_at: number;
  updated_at: number;
  archived_at: number | null;
}

function toRecord(row: DocumentRow): DocumentRecord {
  return {
    id: row.id,
    title: row.title,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    archivedAt: row.archived_at === null ? null : new Date(row.archived_at),
  };
}

const toBytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  for (const migration of sqliteMigrations) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(migration.version, Date.now());
    })();
  }
}

/**
 * Runs compaction jobs on a worker thread, one at a time, answering each job's promise.
 * A worker that dies (crash, out of memory) fails its jobs and is replaced on the next job, so
 * no caller ever waits on a thread that is gone.
 */
class CompactionWorker {
  private worker: Worker | null = null;
  private nextJobId = 1;
  private readonly jobs = new Map<number, { resolve: (folded: number) => void; reject: (error: Error) => void }>();

  constructor(
    private readonly path: string,
    private readonly synchronous: SqliteSynchronous,
    private readonly onLog: (message: string) => void,
  ) {
    // Start at once: the worker also runs the WAL checkpoints.
    this.start();
  }

  run(docId: string): Promise<number> {
    const worker = this.worker ?? this.start();
    const jobId = this.nextJobId++;
    return new Promise((resolve, reject) => {
      this.jobs.set(jobId, { resolve, reject });
      worker.postMessage({ jobId, docId });
    });
  }

  /** Lets queued jobs finish (each is one transaction), then ends the thread. */
  async stop(): Promise<void> {
    while (this.jobs.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = new Worker(new URL('./compaction-worker.mjs', import.meta.url), {
      workerData: { path: this.path, synchronous: this.synchronous },
      // Don't inherit the parent's --import preloads (tsx, agents): a worker thread can't load
      // TypeScript on Node 20, and the worker is plain JavaScript anyway.
      execArgv: [],
    });
    worker.unref();
    worker.on('message', (message: { jobId: number; folded?: number; error?: string; log?: string }) => {
      if (message.log !== undefined) return this.onLog(message.log);
      const job = this.jobs.get(message.jobId);
      this.jobs.delete(message.jobId);
      if (message.error !== undefined) job?.reject(new Error(message.error));
      else job?.resolve(message.folded ?? 0);
    });
    const onDeath = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.onLog(`compaction worker stopped: ${error.message}`);
      for (const job of this.jobs.values()) job.reject(error);
      this.jobs.clear();
    };
    worker.on('error', onDeath);
    worker.on('exit', (code) => onDeath(new Error(`compaction worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}

export interface SqliteStoreOptions {
  /** Path of the database file; its folder is created if missing. */
  path: string;
  synchronous?: SqliteSynchronous;
  /** Told about background failures of the worker (e.g. a checkpoint that failed). */
  onWorkerError?: (message: string) => void;
}

/** The embedded default store: one SQLite file in WAL mode. */
export function openSqliteStore(options: SqliteStoreOptions): DocStore {
  const synchronous = options.synchronous ?? 'NORMAL';
  mkdirSync(dirname(options.path), { recursive: true });
  const db = openSqlite(options.path, { synchronous });
  migrate(db);
  const compactor = new CompactionWorker(options.path, synchronous, (message) => options.onWorkerError?.(message));

  const statements = {
    insertDocument: db.prepare(
      'INSERT INTO documents (id, title, created_at, updated_at, archived_at) VALUES (?, ?, ?, ?, NULL)',
    ),
    getDocument: db.prepare('SELECT * FROM documents WHERE id = ?'),
    listActive: db.prepare('SELECT * FROM documents WHERE archived_at IS NULL ORDER BY updated_at DESC'),
    listArchived: db.prepare('SELECT * FROM documents WHERE archived_at IS NOT NULL ORDER BY archived_at DESC'),
    setTitle: db.prepare('UPDATE documents SET title = ? WHERE id = ?'),
    setArchived: db.prepare('UPDATE documents SET archived_at = ? WHERE id = ?'),
    deleteDocument: db.prepare('DELETE FROM documents WHERE id = ?'),
    deleteUpdates: db.prepare('DELETE FROM document_updates WHERE doc_id = ?'),
    deleteSnapshot: db.prepare('DELETE FROM document_snapshots WHERE doc_id = ?'),
    getSnapshot: db.prepare('SELECT data, upto_seq AS uptoSeq FROM document_snapshots WHERE doc_id = ?'),
    getUpdatesAfter: db.prepare('SELECT data FROM document_updates WHERE doc_id = ? AND seq > ? ORDER BY seq'),
    insertUpdate: db.prepare('INSERT INTO document_updates (doc_id, data) VALUES (?, ?)'),
    touchDocument: db.prepare('UPDATE documents SET updated_at = ? WHERE id = ?'),
  };

  const appendUpdate = db.transaction((id: string, update: Uint8Array, now: number) => {
    // Only documents that exist take updates: a late frame for a deleted document is dropped.
    if (statements.touchDocument.run(now, id).changes === 0) return;
    statements.insertUpdate.run(id, update);
  });

  const deleteDocument = db.transaction((id: string) => {
    statements.deleteUpdates.run(id);
    statements.deleteSnapshot.run(id);
    return statements.deleteDocument.run(id).changes > 0;
  });

  // One read transaction, so a compaction committing in between can't hide updates from us.
  const loadContent = db.transaction((id: string): StoredContent => {
    const snapshot = statements.getSnapshot.get(id) as { data: Buffer; uptoSeq: number } | undefined;
    const updates = statements.getUpdatesAfter.all(id, snapshot?.uptoSeq ?? 0) as { data: Buffer }[];
    return { snapshot: snapshot ? toBytes(snapshot.data) : null, updates: updates.map((row) => toBytes(row.data)) };
  });

  const getRecord = (id: string): DocumentRecord | undefined => {
    const row = statements.getDocument.get(id) as DocumentRow | undefined;
    return row && toRecord(row);
  };

  return {
    async createDocument({ id, title }) {
      const now = Date.now();
      statements.insertDocument.run(id, title, now, now);
      return getRecord(id)!;
    },
    async getDocument(id) {
      return getRecord(id);
    },
    async listDocuments({ archived }) {
      const rows = (archived ? statements.listArchived : statements.listActive).all() as DocumentRow[];
      return rows.map(toRecord);
    },
    async updateDocument(id: string, changes: DocumentChanges) {
      db.transaction(() => {
        if (changes.title !== undefined) statements.setTitle.run(changes.title, id);
        if (changes.archived !== undefined) statements.setArchived.run(changes.archived ? Date.now() : null, id);
      })();
      return getRecord(id);
    },
    async deleteDocument(id) {
      return deleteDocument(id);
    },
    async loadContent(id): Promise<StoredContent> {
      return loadContent(id);
    },
    async appendUpdate(id, update) {
      appendUpdate(id, update, Date.now());
    },
    compact(id) {
      return compactor.run(id);
    },
    async close() {
      await compactor.stop();
      // Fold the WAL into the database file so a stopped installation is one self-contained file.
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}
