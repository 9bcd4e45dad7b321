/** Wiring only: configuration → store → fan-out → server, and a clean shutdown on SIGTERM/SIGINT. */
import { signInHint } from './auth/index';
import { loadConfig } from './config';
import { openFanout } from './fanout/index';
import { createLogger } from './logger';
import { startServer } from './server';
import { openStore } from './store/index';

const config = loadConfig(process.env);
const log = createLogger(config.logLevel);
/** A dependency that can't be reached at start ends the process with one clear line. */
const orExit = <T>(starting: Promise<T>): Promise<T> =>
  starting.catch((error: Error) => {
    log.fatal({ err: error }, `cannot start: ${error.message}`);
    process.exit(1);
  });
const store = await orExit(openStore(config, log));
const fanout = await orExit(openFanout(config, log));
const server = await orExit(startServer({ config, store, fanout, log }));
log.info({ port: server.port, url: server.url, store: config.databaseUrl ? 'postgresql' : config.dataDir }, `Concord is running at ${server.publicOrigin}`);
// A hint only: a store that is slow or down right now must not end a process that is already serving.
await signInHint(store, server.publicOrigin).then(
  (hint) => log.info({ url: server.publicOrigin }, hint),
  (error: Error) => log.warn({ err: error }, `no sign-in hint: ${error.message}`),
);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: storing pending changes');
    // However the store behaves (hanging, not answering), the process ends in bounded time and
    // says what it could not store; clients that hold those changes re-send them on reconnect.
    setTimeout(() => {
      const unstored = server.registry.unstoredDocuments();
      log.fatal(
        { ms: config.shutdownTimeoutMs, unstoredDocuments: unstored },
        unstored.length > 0
          ? `shutdown timed out: changes to ${unstored.length} document(s) could not be stored`
          : 'shutdown timed out (the store or the fan-out did not close)',
      );
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    server
      .close()
      .then(() => fanout.close())
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
