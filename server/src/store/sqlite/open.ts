import Database from 'better-sqlite3';

export type SqliteSynchronous = 'NORMAL' | 'FULL';

/**
 * What the -wal file is cut back to when the log starts over after a complete checkpoint
 * (`journal_size_limit`). Without it the file stays as large as the largest backlog it ever held
 * (tens of MB after reconnect churn beside a database of a few MB). 4 MiB is ~1000 pages: more
 * than the seconds of editing between two checkpoints of the compaction worker write, so the file
 * is not shrunk and regrown on every cycle, and small next to any volume worth running on.
 */
export const WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * Opens a connection with the settings every connection to the store needs. WAL lets the
 * compaction worker read and write while the main thread appends. synchronous=NORMAL in WAL mode
 * keeps every committed transaction across a process crash (kill -9); FULL adds an fsync per
 * commit to also survive power loss.
 */
export function openSqlite(path: string, options: { synchronous: SqliteSynchronous }): Database.Database {
  const db = new Database(path);
  // Compaction deletes many update rows; let the worker hand the freed pages back to the disk.
  // (Takes effect when the database is created, i.e. before the first table.)
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  // Checkpoints copy the WAL into the database file and fsync it: tens of milliseconds that would
  // stall the event loop serving editing. The compaction worker runs them on its own thread
  // (PASSIVE every second, RESTART when the log outgrows a bound, TRUNCATE when the store is idle).
  db.pragma('wal_autocheckpoint = 0');
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  db.pragma(`synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}
