import type Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Store } from '../store';
import { sqliteAccounts } from './accounts';
import { sqliteComments } from './comments';
import { sqliteDocuments } from './documents';
import { sqliteGroups } from './groups';
import { sqliteMigrations } from './migrations';
import { openSqlite, type SqliteSynchronous } from './open';

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
export function openSqliteStore(options: SqliteStoreOptions): Store {
  const synchronous = options.synchronous ?? 'NORMAL';
  mkdirSync(dirname(options.path), { recursive: true });
  const db = openSqlite(options.path, { synchronous });
  migrate(db);
  const compactor = new CompactionWorker(options.path, synchronous, (message) => options.onWorkerError?.(message));

  return {
    ...sqliteDocuments(db),
    ...sqliteAccounts(db),
    ...sqliteGroups(db),
    ...sqliteComments(db),
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
