import type { Store } from '../store';
import { JobWorker } from '../../workers/index';
import { postgresAccounts } from './accounts';
import { postgresComments } from './comments';
import { postgresDocuments } from './documents';
import { postgresGroups } from './groups';
import { migratePostgres } from './migrations';
import { createPool } from './pool';
import { postgresCitations } from './citations';
import { postgresPriorities } from './priorities';
import { postgresVersions } from './versions';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database (libpq-style query parameters such as sslmode and options work too). */
  connectionString: string;
  /** Told about background failures: of the compaction worker, or of idle connections the server dropped. */
  onWorkerError?: (message: string) => void;
}

/**
 * The store for several server processes sharing one PostgreSQL database. Brings the schema up
 * to date first (safe when processes start at once).
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const pool = createPool(options.connectionString, (error) => options.onWorkerError?.(`idle database connection failed: ${error.message}`));
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  // Started on the first compaction: unlike SQLite's, this worker has no periodic work.
  const compactor = new JobWorker<{ docId: string }, number>(new URL('./compaction-worker.mjs', import.meta.url), {
    workerData: { connectionString: options.connectionString },
    onLog: (message) => options.onWorkerError?.(message),
  });

  return {
    ...postgresDocuments(pool),
    ...postgresAccounts(pool),
    ...postgresGroups(pool),
    ...postgresComments(pool),
    ...postgresVersions(pool),
    ...postgresPriorities(pool),
    ...postgresCitations(pool),
    compact(id) {
      return compactor.run({ docId: id });
    },
    async close() {
      await compactor.stop();
      await pool.end();
    },
  };
}
