import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { openPostgresStore } from './postgres/postgres-store';
import { openSqliteStore } from './sqlite/sqlite-store';
import type { Store } from './store';

/** The configured store: PostgreSQL when DATABASE_URL is set, otherwise the SQLite file in DATA_DIR. */
export async function openStore(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'sqliteSynchronous'> & Partial<Pick<Config, 'storeTimeoutMs'>>, log: Logger): Promise<Store> {
  if (config.databaseUrl !== undefined) {
    // The URL is not logged: it may carry a password.
    log.info({ store: 'postgresql' }, 'storing in PostgreSQL (DATABASE_URL)');
    return openPostgresStore({
      connectionString: config.databaseUrl,
      timeoutMs: config.storeTimeoutMs,
      onWorkerError: (message) => log.error({ component: 'postgres-store' }, message),
    });
  }
  const path = join(config.dataDir, 'concord.sqlite');
  log.info({ store: 'sqlite', path }, 'storing in SQLite');
  return openSqliteStore({
    path,
    synchronous: config.sqliteSynchronous,
    onWorkerError: (message) => log.error({ component: 'sqlite-worker' }, message),
  });
}
