/**
 * Hocuspocus 3 as a peer server under test: default in-memory behaviour, no extensions.
 * Env: HOST (default 127.0.0.1), PORT (required).
 *
 * Hocuspocus' own `listen()` passes `address` to `http.Server.listen()`, which expects `host`, so it
 * binds every interface whatever `address` says. We bind the HTTP server ourselves to HOST instead
 * (and therefore handle SIGTERM ourselves too); nothing else in `listen()` matters without
 * extensions (it only runs the `onListen` hooks).
 */
import { Server } from '@hocuspocus/server';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error('hocuspocus peer: PORT must be set to a free port');
  process.exit(2);
}

const server = new Server({ port, address: host, quiet: true, stopOnSignals: false });

server.httpServer.listen(port, host, () => {
  console.log(`hocuspocus ${host}:${port} ready`);
});

const stop = async (): Promise<void> => {
  await server.destroy();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
