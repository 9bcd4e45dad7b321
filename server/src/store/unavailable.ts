/** Error codes that mean the store could not be reached, is restarting or cannot write, not that the request was wrong. */
const UNAVAILABLE_CODES = new Set([
  // The network to PostgreSQL.
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  // PostgreSQL shutting down, crashed, starting up; too many connections.
  '57P01',
  '57P02',
  '57P03',
  '53300',
  // PostgreSQL: a statement cancelled by statement_timeout (a database too slow to answer in
  // time), a transaction ended by idle_in_transaction_session_timeout, an I/O error.
  '57014',
  '25P03',
  '58030',
  // The file system: full, out of quota, failing, read-only.
  'ENOSPC',
  'EDQUOT',
  'EIO',
  'EROFS',
]);

/**
 * SQLite's (extended) result codes as better-sqlite3 names them: still locked by another writer
 * after the busy timeout, disk or database full, I/O errors, a file that cannot be opened or written.
 */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|FULL|IOERR|CANTOPEN|READONLY)(_|$)/;

/** node-postgres reports these by message only: a dropped connection, a pool or query that ran out of time. */
const PG_UNAVAILABLE_MESSAGE = /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout|timeout expired)/;

/**
 * Whether an error from a store means it is unavailable right now (a database that is down,
 * hangs, or restarting; a disk that is full or failing): the API answers 503 so clients retry,
 * instead of a 500.
 */
export function isStoreUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    // Class 08: connection exceptions; class 53: insufficient resources (disk full, out of memory, too many connections).
    if (UNAVAILABLE_CODES.has(code) || /^(08|53)[0-9A-Z]{3}$/.test(code) || SQLITE_UNAVAILABLE.test(code)) return true;
  }
  return typeof message === 'string' && PG_UNAVAILABLE_MESSAGE.test(message);
}
