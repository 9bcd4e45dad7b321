/** Error codes that mean the store could not be reached or is restarting, not that the request was wrong. */
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
  // SQLite still locked by another writer after the busy timeout.
  'SQLITE_BUSY',
]);

/**
 * Whether an error from a store means it is unavailable right now (a database that is down or
 * restarting): the API answers 503 so clients retry, instead of a 500.
 */
export function isStoreUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  // node-postgres reports a dropped connection, or a pool that could not connect in time, by message only.
  return typeof message === 'string' && /^(Connection terminated|timeout exceeded when trying to connect)/.test(message);
}
