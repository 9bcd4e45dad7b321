import type Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Store } from '../store';
import { sqliteAccounts } from './accounts';
import { sqliteComments } from './comments';
import { sqliteNotifications } from './notifications';
import { sqliteDocuments } from './documents';
import { sqliteGroups } from './groups';
import { sqliteCitations } from './citations';
import { sqlitePriorities } from './priorities';
import { sqliteVersions } from './versions';
import { sqliteMigrations } from './migrations';
import { JobWorker } from '../../workers/index';
import { openSqlite, WAL_SIZE_LIMIT_BYTES, type SqliteSynchronous } from './open';

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

export interface SqliteStoreOptions {
  /** Path of the database file; its folder is created if missing. */
  path: string;
  synchronous?: SqliteSynchronous;
  /** Told about background failures of the worker (e.g. a checkpoint that failed). */
  onWorkerError?: (message: string) => void;
  /** After this long without a commit the WAL is checkpointed and truncated to 0 bytes (default 5 s). */
  walIdleMs?: number;
  /** A WAL holding more than this after a passive checkpoint is checkpointed with RESTART (default 4 MiB). */
  walRestartBytes?: number;
  /** Called with the main connection once it is open (tests set pragmas such as max_page_count on it). */
  onOpen?: (db: Database.Database) => void;
}

/** Below this much free space on the database's volume, the store reports itself not ready. */
export const SQLITE_MIN_FREE_BYTES = 1024 * 1024;

/** Why `db` at `path` cannot take writes now (the volume or the database file is full), or null. */
async function sqliteUnreadyReason(db: Database.Database, path: string): Promise<Error | null> {
  const volume = await statfs(dirname(path));
  const free = volume.bavail * volume.bsize;
  if (free < SQLITE_MIN_FREE_BYTES) return Object.assign(new Error(`disk full: ${free} bytes free`), { code: 'ENOSPC' });
  // A database that reached its page limit (PRAGMA max_page_count) with no free page left.
  const pages = db.pragma('page_count', { simple: true }) as number;
  if (pages >= (db.pragma('max_page_count', { simple: true }) as number) && (db.pragma('freelist_count', { simple: true }) as number) === 0) {
    return Object.assign(new Error('database full: it reached its largest size (max_page_count)'), { code: 'SQLITE_FULL' });
  }
  return null;
}

/** The embedded default store: one SQLite file in WAL mode. */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  const synchronous = options.synchronous ?? 'NORMAL';
  mkdirSync(dirname(options.path), { recursive: true });
  const db = openSqlite(options.path, { synchronous });
  options.onOpen?.(db);
  migrate(db);
  // Started at once: the worker also runs the WAL checkpoints.
  const compactor = new JobWorker<{ docId: string }, number>(new URL('./compaction-worker.mjs', import.meta.url), {
    workerData: {
      path: options.path,
      synchronous,
      journalSizeLimitBytes: WAL_SIZE_LIMIT_BYTES,
      walIdleMs: options.walIdleMs,
      walRestartBytes: options.walRestartBytes,
    },
    onLog: (message) => options.onWorkerError?.(message),
    startNow: true,
  });

  return {
    ...sqliteDocuments(db),
    ...sqliteAccounts(db),
    ...sqliteGroups(db),
    ...sqliteComments(db),
    ...sqliteNotifications(db),
    ...sqliteVersions(db),
    ...sqlitePriorities(db),
    ...sqliteCitations(db),
    async checkReady() {
      const reason = await sqliteUnreadyReason(db, options.path);
      if (reason) throw reason;
    },
    compact(id) {
      return compactor.run({ docId: id });
    },
    async close() {
      await compactor.stop();
      // Fold the WAL into the database file so a stopped installation is one self-contained file.
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}
