import pg from 'pg';
import { isStoreUnavailable } from '../unavailable';

/**
 * int8 (bigint) columns arrive as numbers: they hold millisecond timestamps, sequence numbers,
 * Yjs client ids and counts, all far below 2^53. Set per pool, not on pg's global parsers.
 */
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, Number);

/** Deadlines of every call to the database (STORE_TIMEOUT_MS). */
export interface PoolDeadlines {
  /** Getting a connection (a new one, or a free one of a full pool) fails after this. */
  connectMs: number;
  /**
   * A statement fails after this: the server cancels it (statement_timeout) and the client stops
   * waiting too (query_timeout, for a server that does not answer at all: paused, partitioned).
   * Unset: no limit (migrations, which may wait for another process's).
   */
  queryMs?: number;
  /** The server ends a transaction left idle this long (idle_in_transaction_session_timeout). */
  idleInTransactionMs?: number;
}

/** The pg settings for `deadlines` (also used by the compaction worker's pool). */
export function deadlineSettings(deadlines: PoolDeadlines): pg.PoolConfig {
  return {
    connectionTimeoutMillis: deadlines.connectMs,
    ...(deadlines.queryMs ? { statement_timeout: deadlines.queryMs, query_timeout: deadlines.queryMs } : {}),
    ...(deadlines.idleInTransactionMs ? { idle_in_transaction_session_timeout: deadlines.idleInTransactionMs } : {}),
  };
}

/**
 * A pool of connections to the database; `onIdleError` hears about connections that broke while
 * idle. With `deadlines`, no call waits forever for a database that hangs: it fails with an
 * error `isStoreUnavailable` recognises.
 */
export function createPool(connectionString: string, onIdleError: (error: Error) => void, deadlines?: PoolDeadlines): pg.Pool {
  const pool = new pg.Pool({ connectionString, types, ...(deadlines ? deadlineSettings(deadlines) : {}) });
  // Without a listener, an idle connection the server drops (restart, failover) would crash the process.
  pool.on('error', onIdleError);
  return pool;
}

/** Thrown inside `transaction` to roll it back and answer `result`. */
export class Rollback<T> {
  constructor(readonly result: T) {}
}

/**
 * Runs `work` in one transaction on one connection: committed when it returns (durable: the
 * default synchronous_commit waits for the WAL flush), rolled back when it throws.
 */
export async function transaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  // A connection that drops between this transaction's queries reports it as an 'error' event
  // (the pending query, if any, also fails); without a listener that would end the process.
  const onConnectionError = () => {
    broken = true;
  };
  client.on('error', onConnectionError);
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (isStoreUnavailable(error)) {
      // A database that did not answer in time (or went away) would not answer a ROLLBACK either:
      // discard the connection instead (the server rolls the transaction back when it sees it closed).
      broken = true;
    } else {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
    }
    if (error instanceof Rollback) return error.result as T;
    throw error;
  } finally {
    client.off('error', onConnectionError);
    // A connection that could not roll back (or dropped) is in an unknown state: discard it.
    client.release(broken);
  }
}

/** A consistent view over several reads (what SQLite's read transaction gives). */
export const READ_SNAPSHOT = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';
