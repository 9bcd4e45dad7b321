import type { Store } from '../store';
import { JobWorker } from '../../workers/index';
import { postgresAccounts } from './accounts';
import { postgresComments } from './comments';
import { postgresNotifications } from './notifications';
import { postgresDocuments } from './documents';
import { postgresGroups } from './groups';
import { migratePostgres } from './migrations';
import { createPool, deadlineSettings, type PoolDeadlines } from './pool';
import { postgresCitations } from './citations';
import { postgresPriorities } from './priorities';
import { postgresVersions } from './versions';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database (libpq-style query parameters such as sslmode and options work too). */
  connectionString: string;
  /** Told about background failures: of the compaction worker, or of idle connections the server dropped. */
  onWorkerError?: (message: string) => void;
  /**
   * Deadline of every call to the database (STORE_TIMEOUT_MS): connecting, each statement, a
   * transaction left idle. A database that hangs then fails calls instead of holding them.
   * Unset: no deadlines. Migrations at start have only the connect deadline.
   */
  timeoutMs?: number;
}

/**
 * The store for several server processes sharing one PostgreSQL database. Brings the schema up
 * to date first (safe when processes start at once).
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const onIdleError = (error: Error) => options.onWorkerError?.(`idle database connection failed: ${error.message}`);
  const timeoutMs = options.timeoutMs;
  // Migrations may wait for another process's (an advisory lock) and may take long: no statement deadline.
  const migrationPool = createPool(options.connectionString, onIdleError, timeoutMs ? { connectMs: timeoutMs } : undefined);
  try {
    await migratePostgres(migrationPool);
  } finally {
    await migrationPool.end();
  }
  const deadlines: PoolDeadlines | undefined = timeoutMs ? { connectMs: timeoutMs, queryMs: timeoutMs, idleInTransactionMs: timeoutMs } : undefined;
  const pool = createPool(options.connectionString, onIdleError, deadlines);
  // Started on the first compaction: unlike SQLite's, this worker has no periodic work.
  const compactor = new JobWorker<{ docId: string }, number>(new URL('./compaction-worker.mjs', import.meta.url), {
    workerData: { connectionString: options.connectionString, deadlines: deadlines ? deadlineSettings(deadlines) : {} },
    onLog: (message) => options.onWorkerError?.(message),
  });

  return {
    ...postgresDocuments(pool),
    ...postgresAccounts(pool),
    ...postgresGroups(pool),
    ...postgresComments(pool),
    ...postgresNotifications(pool),
    ...postgresVersions(pool),
    ...postgresPriorities(pool),
    ...postgresCitations(pool),
    async checkReady() {
      // A cheap round trip; fails within the deadlines when the database is down or hangs.
      await pool.query('SELECT 1');
    },
    compact(id) {
      return compactor.run({ docId: id });
    },
    async close() {
      await compactor.stop();
      await pool.end();
    },
  };
}
