/** Wiring only: configuration → store → server, and a clean shutdown on SIGTERM/SIGINT. */
import { join } from 'node:path';
import { signInHint } from './auth/index';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { startServer } from './server';
import { openSqliteStore } from './store/index';

const config = loadConfig(process.env);
const log = createLogger(config.logLevel);
const store = openSqliteStore({
  path: join(config.dataDir, 'concord.sqlite'),
  synchronous: config.sqliteSynchronous,
  onWorkerError: (message) => log.error({ component: 'sqlite-worker' }, message),
});
const server = await startServer({ config, store, log });
log.info({ port: server.port, url: server.url, dataDir: config.dataDir }, `Concord is running at ${server.publicOrigin}`);
log.info({ url: server.publicOrigin }, await signInHint(store, server.publicOrigin));

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: storing pending changes');
    server
      .close()
      .then(() => store.close())
      .then(() => {
        log.info('shutdown complete');
        process.exit(0);
      })
      .catch((error) => {
        log.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  });
}
