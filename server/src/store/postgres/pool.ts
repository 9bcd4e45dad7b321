import pg from 'pg';

/**
 * int8 (bigint) columns arrive as numbers: they hold millisecond timestamps, sequence numbers,
 * Yjs client ids and counts, all far below 2^53. Set per pool, not on pg's global parsers.
 */
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, Number);

/** A pool of connections to the database; `onIdleError` hears about connections that broke while idle. */
export function createPool(connectionString: string, onIdleError: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool({ connectionString, types });
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
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true;
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
