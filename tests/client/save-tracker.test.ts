/**
 * The editor's "saved" state against the real server: only edits the store has taken count as
 * saved; a store that refuses them shows as unsaved after a few seconds, also for edits made
 * while disconnected; and continuous typing costs only a confirming sync step 1 every few seconds.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { messageSync } from 'y-websocket';

import { SaveTracker, UNSAVED_AFTER_MS, type SaveState } from '../../client/src/editor/save-tracker';
import { appendParagraph, connectClient, docFromStored, fragmentText, sleep, waitFor, waitForSync, type TestClient } from '../helpers/clients';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
let storeFailing: boolean;
let documentId: string;
let client: TestClient;
let tracker: SaveTracker;
/** Every state the tracker reported, in order. */
let states: SaveState[];

beforeEach(async () => {
  storeFailing = false;
  server = await startTestServer({
    wrapStore: (store) => ({
      ...store,
      async appendUpdate(id, update, attribution) {
        if (storeFailing) throw new Error('database unavailable (simulated)');
        return store.appendUpdate(id, update, attribution);
      },
    }),
  });
  documentId = await createDocument(server);
  client = connectClient(server, documentId, { connect: false });
  states = [];
  tracker = new SaveTracker(client.provider, (state) => states.push(state));
  client.provider.connect();
  await waitForSync(client);
});

afterEach(async () => {
  tracker.destroy();
  client.destroy();
  await server.stop();
});

async function storedText(): Promise<string> {
  return fragmentText(docFromStored(await server.store.loadContent(documentId)));
}

const waitForState = (state: SaveState, timeoutMs = 10_000) => waitFor(() => tracker.saveState === state, timeoutMs, `save state ${state}`);

it('says saved only once the server has stored the edit', async () => {
  expect(tracker.saveState).toBe('saved');
  appendParagraph(client.doc, 'First words.');
  expect(tracker.saveState).toBe('saving');
  await waitForState('saved');
  expect(await storedText()).toBe('First words.');
  expect(states).toEqual(['saving', 'saved']);
});

it('turns unsaved while the store refuses edits, and saved once it takes them', async () => {
  storeFailing = true;
  appendParagraph(client.doc, 'Typed while the database is down.');
  await sleep(UNSAVED_AFTER_MS - 1000);
  expect(tracker.saveState).toBe('saving');
  await waitForState('unsaved', 3000);
  expect(await storedText()).toBe('');

  storeFailing = false;
  await waitForState('saved');
  expect(await storedText()).toBe('Typed while the database is down.');
  expect(states).toEqual(['saving', 'unsaved', 'saved']);
});

it('does not count edits made while disconnected as saved by the reconnection alone', async () => {
  client.provider.disconnect();
  appendParagraph(client.doc, 'Written while disconnected.');
  storeFailing = true;
  client.provider.connect();
  // The server answers the provider's own opening step 1 before our edit reaches it: synced,
  // but the edit is not stored.
  await waitForSync(client);
  expect(tracker.saveState).toBe('saving');
  await waitForState('unsaved', UNSAVED_AFTER_MS + 3000);
  expect(await storedText()).toBe('');

  storeFailing = false;
  await waitForState('saved');
  expect(await storedText()).toBe('Written while disconnected.');
});

it('confirms continuous typing with a step 1 every few seconds, not one per keystroke', async () => {
  const socket = client.provider.ws!;
  const send = socket.send.bind(socket);
  let step1Sent = 0;
  socket.send = (data: Parameters<WebSocket['send']>[0]) => {
    const decoder = decoding.createDecoder(data as Uint8Array);
    if (decoding.readVarUint(decoder) === messageSync && decoding.readVarUint(decoder) === syncProtocol.messageYjsSyncStep1) step1Sent++;
    send(data);
  };
  const text = appendParagraph(client.doc, '');
  // 70 keystrokes over 7 s.
  for (let key = 0; key < 70; key++) {
    text.insert(text.length, 'x');
    await sleep(100);
    expect(tracker.saveState).not.toBe('unsaved');
  }
  await waitForState('saved');
  expect(step1Sent).toBeGreaterThanOrEqual(2);
  expect(step1Sent).toBeLessThanOrEqual(4);
  expect(await storedText()).toBe('x'.repeat(70));
});
