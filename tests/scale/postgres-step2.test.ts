/**
 * The durability rule on a real PostgreSQL, at the worst moment for a sync step 2: nothing leaves
 * the server that the store does not have.
 *
 * A (a stock WebsocketProvider) types while the test's own PostgreSQL is paused (SIGSTOP), so A's
 * batch is stuck on its way to the store. Then B (a raw socket) sends its sync step 1, and the
 * server process is killed (SIGKILL) the moment B's sync step 2 arrives, before PostgreSQL runs
 * again if the step 2 came while it was paused. Whatever B's step 2 carried must be in the store
 * afterwards, and in what the restarted server hands a newcomer.
 *
 * Before the fix (server/src/sync/room.ts answered a step 1 at once with the whole document) B's
 * step 2 held A's edit while its commit was in flight, and the edit was gone after the restart,
 * every round.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { openPostgresStore, type Store } from '../../server/src/store/index';
import { appendParagraph, connectClient, docFromStored, fragmentText, waitForSync, type TestClient } from '../helpers/clients';
import { openRawSocket, readSyncPayload, syncStep1Frame, type RawSocket } from '../helpers/frames';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres';
import { createDocument, spawnServerProcess, tempDataDir, type ServerProcess } from '../helpers/server';

const ROUNDS = 5;

let postgres: PrivatePostgres;
let store: Store;
let server: ServerProcess | null = null;
const dataDir = tempDataDir();
const clients: TestClient[] = [];
const sockets: RawSocket[] = [];

async function startServer(port?: number): Promise<ServerProcess> {
  server = await spawnServerProcess({ dataDir, port, env: { DATABASE_URL: postgres.url } });
  return server;
}

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  await startServer();
  // The test's own view of the store, as a restarted process would read it.
  store = await openPostgresStore({ connectionString: postgres.url });
}, 120_000);

afterAll(async () => {
  for (const client of clients) client.destroy();
  for (const socket of sockets) socket.close();
  postgres?.resume();
  if (server) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
  await store?.close();
  postgres?.destroy();
}, 60_000);

const isSyncStep2 = (frame: Uint8Array) => frame[0] === 0 && frame[1] === 1;

/**
 * Sends a query-awareness on the stock client's socket and resolves when the answer comes back:
 * the server handles a socket's frames in order, so it has then handled everything A sent before.
 */
function handledSoFar(client: TestClient): Promise<void> {
  const ws = client.provider.ws as unknown as WebSocket;
  return new Promise((resolve) => {
    const onMessage = (event: { data: ArrayBuffer }) => {
      if (new Uint8Array(event.data)[0] !== 1) return;
      ws.removeEventListener('message', onMessage as never);
      resolve();
    };
    ws.addEventListener('message', onMessage as never);
    ws.send(new Uint8Array([3]));
  });
}

/** What `seen` holds that `stored` lacks: paragraphs, and insertions by (client, clock). */
function missingFrom(stored: Y.Doc, seen: Y.Doc): string[] {
  const storedText = fragmentText(stored).split('\n');
  const missing = fragmentText(seen)
    .split('\n')
    .filter((paragraph) => paragraph !== '' && !storedText.includes(paragraph))
    .map((paragraph) => `paragraph "${paragraph}"`);
  const storedVector = Y.decodeStateVector(Y.encodeStateVector(stored));
  for (const [clientId, clock] of Y.decodeStateVector(Y.encodeStateVector(seen))) {
    if ((storedVector.get(clientId) ?? 0) < clock) missing.push(`client ${clientId} up to clock ${clock} (stored: ${storedVector.get(clientId) ?? 0})`);
  }
  return missing;
}

it(`B's sync step 2, taken while A's edit is on its way to a paused PostgreSQL, carries nothing the store lacks after a SIGKILL (${ROUNDS} rounds)`, async () => {
  const docId = await createDocument(server!, 'Step 2 at the worst moment');
  const a = connectClient(server!, docId);
  clients.push(a);
  await waitForSync(a, 30_000);
  a.provider.awareness.setLocalStateField('user', { name: 'A', color: '#123456' });
  appendParagraph(a.doc, 'stored before');
  // A's presence is in the room (the query-awareness answers need someone's), and its first edit went through.
  await handledSoFar(a);

  const rounds: { round: number; stepTwoCarriedA: boolean; missing: string[] }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const target = server!;
    // B joins before the pause: its upgrade asks the store who it is.
    const b = await openRawSocket(target, docId);
    sockets.push(b);
    const stepTwo = b.nextFrame(isSyncStep2).then((frame) => {
      // The moment B has its answer: end the server at once, and keep A from sending its edit again.
      target.child.kill('SIGKILL');
      a.provider.disconnect();
      return frame;
    });

    postgres.pause();
    let resumed = false;
    try {
      const edit = `A's edit in round ${round}`;
      appendParagraph(a.doc, edit);
      await handledSoFar(a);
      // The server has A's edit and its batch is waiting for PostgreSQL: now B asks for the document.
      const handled = b.nextFrame((frame) => frame[0] === 1);
      b.send(syncStep1Frame(new Uint8Array([0])));
      b.send(new Uint8Array([3]));
      // Either the step 2 came while PostgreSQL is paused (the server was killed then), or the server
      // handled the step 1 without answering yet: PostgreSQL may run again.
      await Promise.race([stepTwo, handled]);
      postgres.resume();
      resumed = true;
      const seen = new Y.Doc();
      Y.applyUpdate(seen, readSyncPayload(await stepTwo));
      await target.exited;
      b.close();

      const stored = docFromStored(await store.loadContent(docId));
      const missing = missingFrom(stored, seen);

      // After a restart, a newcomer is handed (from the store) at least what B saw.
      const restarted = await startServer(target.port);
      const newcomer = await openRawSocket(restarted, docId);
      sockets.push(newcomer);
      const newcomerStepTwo = newcomer.nextFrame(isSyncStep2);
      newcomer.send(syncStep1Frame(new Uint8Array([0])));
      const handedAfterRestart = new Y.Doc();
      Y.applyUpdate(handedAfterRestart, readSyncPayload(await newcomerStepTwo));
      newcomer.close();
      for (const gap of missingFrom(handedAfterRestart, seen)) missing.push(`after restart: ${gap}`);
      rounds.push({ round, stepTwoCarriedA: fragmentText(seen).includes(edit), missing });
    } finally {
      if (!resumed) postgres.resume();
    }

    // A comes back (sending its edit again if it was lost) for the next round.
    a.provider.connect();
    await waitForSync(a, 30_000);
    await handledSoFar(a);
  }

  console.log(
    `step 2 at the worst moment on PostgreSQL: ${rounds.filter((r) => r.missing.length > 0).length}/${ROUNDS} rounds where B saw what the store lacks` +
      rounds.filter((r) => r.missing.length > 0).map((r) => `\n  round ${r.round}: ${r.missing.join('; ')}`).join(''),
  );
  // Every round hit the worst moment: B's step 1 came while A's edit was on its way to the store.
  expect(rounds.map((r) => r.stepTwoCarriedA)).toEqual(rounds.map(() => true));
  expect(rounds.filter((r) => r.missing.length > 0)).toEqual([]);
}, 300_000);
