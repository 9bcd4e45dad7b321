import Database from 'better-sqlite3';

export type SqliteSynchronous = 'NORMAL' | 'FULL';

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
  // stall the event loop serving editing. The compaction worker runs them on its own thread.
  db.pragma('wal_autocheckpoint = 0');
  db.pragma(`synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}
