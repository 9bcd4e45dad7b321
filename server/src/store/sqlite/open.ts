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
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}
