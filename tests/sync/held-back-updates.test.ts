/**
 * Updates that Yjs holds back: a client's update that builds on an edit the server does not have
 * (the client sent it ahead of that edit, or the edit was lost with a process that died). Yjs emits
 * no update event for it, yet puts it in every state it encodes (so in every sync step 2) and lets
 * it in with whichever later change brings what it builds on, under that change's origin. The
 * durability rule holds for it too: it leaves the server only once the store has it.
 */
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Fanout } from '../../server/src/fanout/index';
import { openSqliteStore, type Store } from '../../server/src/store/index';
import { encodeRoomMessage } from '../../server/src/sync/room-messages';
import { appendParagraph, waitFor } from '../helpers/clients';
import { awarenessFrame, openRawSocket, readSyncPayload, syncStep1Frame, updateFrame, type RawSocket } from '../helpers/frames';
import { createDocument, startTestServer, tempDataDir, type TestServer } from '../helpers/server';

const FIRST = 'the edit it builds on';
const SECOND = 'an edit that builds on another';

let server: TestServer | null = null;
let ownStore: Store | null = null;
const sockets: RawSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await server?.stop();
  server = null;
  await ownStore?.close();
  ownStore = null;
});

/** Two updates of one client: the second builds on the first (its clock follows it). */
function twoEdits(): { first: Uint8Array; second: Uint8Array } {
  const doc = new Y.Doc();
  appendParagraph(doc, FIRST);
  const first = Y.encodeStateAsUpdate(doc);
  const before = Y.encodeStateVector(doc);
  appendParagraph(doc, SECOND);
  return { first, second: Y.encodeStateAsUpdate(doc, before) };
}

const holds = (bytes: Uint8Array | null, text: string) => bytes !== null && Buffer.from(bytes).includes(text);

async function storeHolds(store: Store, docId: string, text: string): Promise<boolean> {
  const content = await store.loadContent(docId);
  return [content.snapshot, ...content.updates].some((bytes) => holds(bytes, text));
}

async function openSocket(docId: string): Promise<RawSocket> {
  const socket = await openRawSocket(server!, docId);
  sockets.push(socket);
  return socket;
}

/** Every frame `socket` receives from now on. */
function record(socket: RawSocket): Uint8Array[] {
  const frames: Uint8Array[] = [];
  void socket.nextFrame((frame) => {
    frames.push(frame);
    return false;
  });
  return frames;
}

async function stepTwo(socket: RawSocket): Promise<Uint8Array> {
  const answer = socket.nextFrame((frame) => frame[0] === 0 && frame[1] === 1);
  socket.send(syncStep1Frame(new Uint8Array([0])));
  return readSyncPayload(await answer);
}

it('a sync step 2 hands out a held-back update only once the store has it, and it survives a restart', async () => {
  const dataDir = tempDataDir();
  server = await startTestServer({ dataDir });
  const docId = await createDocument(server);
  const { second } = twoEdits();
  const writer = await openSocket(docId);
  writer.send(updateFrame(second));
  // Once its own step 1 is answered, the server has handled the update.
  await stepTwo(writer);

  const reader = await openSocket(docId);
  const seen = await stepTwo(reader);
  expect(holds(seen, SECOND)).toBe(true);
  expect(await storeHolds(server.store, docId, SECOND)).toBe(true);

  // After a restart the server still has it (held back again, until what it builds on comes).
  const port = server.port;
  for (const socket of sockets.splice(0)) socket.close();
  await server.stop();
  server = await startTestServer({ dataDir, port });
  expect(holds(await stepTwo(await openSocket(docId)), SECOND)).toBe(true);
});

/** A fan-out whose messages the test delivers, as if from another process. */
function testFanout(): { fanout: Fanout; deliver(channel: string, message: Uint8Array): void } {
  const listeners = new Map<string, (message: Uint8Array) => void>();
  return {
    fanout: {
      async subscribe(channel, listener) {
        listeners.set(channel, listener);
        return () => listeners.delete(channel);
      },
      publish() {},
      onGap: () => () => {},
      async close() {},
    },
    deliver(channel, message) {
      const listener = listeners.get(channel);
      if (!listener) throw new Error(`nothing subscribed to ${channel}`);
      listener(message);
    },
  };
}

it.each([
  ['an update from another process', 'fan-out'],
  ['catching up from storage', 'catch-up'],
] as const)('a held-back update let in by %s is not sent before the store has it', async (_, path) => {
  const dataDir = tempDataDir();
  const store = openSqliteStore({ path: join(dataDir, 'concord.sqlite') });
  ownStore = store;
  let failing = false;
  const hub = testFanout();
  server = await startTestServer({
    dataDir,
    store,
    fanout: hub.fanout,
    // This process can't store for a while (another process can: it stores straight into `store`).
    wrapStore: (inner) => ({
      ...inner,
      async appendUpdate(id, update, attribution) {
        if (failing) throw new Error('disk full (simulated)');
        return inner.appendUpdate(id, update, attribution);
      },
    }),
  });
  const docId = await createDocument(server);
  const { first, second } = twoEdits();
  const writer = await openSocket(docId);
  const reader = await openSocket(docId);
  const received = record(reader);
  writer.send(awarenessFrame(4242, 1, { user: { name: 'W', color: '#000000' } }));

  failing = true;
  // Held back here: it builds on an edit this process does not have, and it can't be stored now.
  await writer.sendAndWait(updateFrame(second));
  // Another process stores the edit it builds on and says so; this process gets it by fan-out, or
  // from storage when it catches up: Yjs lets the held-back update in with it.
  await store.appendUpdate(docId, first);
  if (path === 'fan-out') hub.deliver(`doc:${docId}`, encodeRoomMessage({ kind: 'update', update: first }));
  else hub.deliver('processes', new Uint8Array([1]));

  // A presence change goes out with the next batch: by the time the reader has it, that batch is sent.
  const marked = reader.nextFrame((frame) => frame[0] === 1 && holds(frame, 'after the remote edit'));
  if (path === 'catch-up') {
    // The catch-up reads the store first: wait until the doc has what it brought.
    await waitFor(() => server!.server.registry.peek(docId)?.doc.getXmlFragment('default').length === 2, 10_000, 'the catch-up');
  }
  writer.send(awarenessFrame(4242, 2, { user: { name: 'W', color: '#000000' }, mark: 'after the remote edit' }));
  await marked;
  expect(received.some((frame) => holds(frame, SECOND))).toBe(false);

  // Once this process can store again, it stores the update and then sends it.
  failing = false;
  await waitFor(() => received.some((frame) => holds(frame, SECOND)), 10_000, 'the held-back update to arrive once stored');
  expect(await storeHolds(store, docId, SECOND)).toBe(true);
});
