/** When the store refuses writes, nothing is broadcast or reported saved until it takes them. */
import { afterEach, expect, it } from 'vitest';
import { api } from '../helpers/accounts';
import * as Y from 'yjs';
import { appendParagraph, connectClient, fragmentText, sleep, waitFor, waitForSync, type TestClient } from '../helpers/clients';
import { openRawSocket, readSyncPayload, syncStep1Frame, updateFrame } from '../helpers/frames';
import type { Store } from '../../server/src/store/index';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer | null = null;
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await server?.stop();
  server = null;
});

/** A store whose appendUpdate fails while `failing()` says so, as a full disk or an unreachable database would. */
const failingWhile =
  (failing: () => boolean) =>
  (store: Store): Store => ({
    ...store,
    async appendUpdate(id, update, attribution) {
      if (failing()) throw new Error('disk full (simulated)');
      return store.appendUpdate(id, update, attribution);
    },
  });

it('holds edits back while the store fails, then stores and delivers them', async () => {
  let failing = false;
  server = await startTestServer({ wrapStore: failingWhile(() => failing) });
  const docId = await createDocument(server);
  const writer = connectClient(server, docId);
  const reader = connectClient(server, docId);
  clients.push(writer, reader);
  await Promise.all([waitForSync(writer), waitForSync(reader)]);

  failing = true;
  appendParagraph(writer.doc, 'typed while the disk is full');
  await sleep(300);
  // Not stored, so not broadcast.
  expect(reader.text()).toBe('');
  const rename = await api(server.url, server.owner.auth, 'PATCH', `/api/documents/${docId}`, { title: 'Not saved' });
  expect(rename.status).toBe(503);
  expect(rename.body.error.code).toBe('store_unavailable');
  // A newcomer is not handed the unstored edit either: its sync waits for the store.
  const newcomer = connectClient(server, docId);
  clients.push(newcomer);
  await sleep(300);
  expect(newcomer.provider.synced).toBe(false);
  expect(newcomer.text()).toBe('');

  failing = false;
  // The room retries on its own and then delivers.
  await waitFor(() => reader.text() === 'typed while the disk is full', 5000, 'delivery after recovery');
  await waitForSync(newcomer);
  expect(newcomer.text()).toBe('typed while the disk is full');
  const content = await server.store.loadContent(docId);
  expect(content.updates.length).toBeGreaterThan(1);
});

it('a sync step 2 carries only what the store has, not others\u2019 edits still being stored', async () => {
  // Each appendUpdate waits for the test to let it through, as a slow database would.
  const gates: (() => void)[] = [];
  let gating = false;
  server = await startTestServer({
    wrapStore: (store) => ({
      ...store,
      async appendUpdate(id, update, attribution) {
        if (gating) await new Promise<void>((resolve) => gates.push(resolve));
        return store.appendUpdate(id, update, attribution);
      },
    }),
  });
  const docId = await createDocument(server);
  const writer = connectClient(server, docId);
  clients.push(writer);
  await waitForSync(writer);
  writer.provider.awareness.setLocalStateField('user', { name: 'A' });
  appendParagraph(writer.doc, 'stored before');
  await waitFor(() => writer.provider.synced && server!.server.registry.peek(docId)?.hasUnstoredChanges === false, 5000, 'first edit stored');

  gating = true;
  appendParagraph(writer.doc, 'A: being stored');
  await waitFor(() => gates.length === 1, 5000, 'A\u2019s batch to reach the store');

  // B asks for the document while A's batch is being stored…
  const reader = await openRawSocket(server, docId);
  const answered = reader.nextFrame((frame) => frame[0] === 0 && frame[1] === 1);
  await reader.sendAndWait(syncStep1Frame(new Uint8Array([0])));
  // …and C's edit arrives meanwhile: it is in the room's doc, not in the store.
  const other = new Y.Doc();
  appendParagraph(other, 'C: not stored yet');
  await reader.sendAndWait(updateFrame(Y.encodeStateAsUpdate(other)));

  gates.shift()!();
  const step2 = await answered;
  const seen = new Y.Doc();
  Y.applyUpdate(seen, readSyncPayload(step2));
  expect(fragmentText(seen)).toContain('A: being stored');
  expect(fragmentText(seen)).not.toContain('C: not stored yet');

  // Once stored, C's edit reaches everyone.
  gating = false;
  await waitFor(() => gates.length === 1, 5000, 'C\u2019s batch to reach the store');
  gates.shift()!();
  await waitFor(() => writer.text().includes('C: not stored yet'), 5000, 'C\u2019s edit to arrive once stored');
  reader.close();
});

it('while the store is down, edits held in memory stay bounded: the editor who keeps typing is not read until the store is back, and nothing is lost', async () => {
  const LIMIT = 64 * 1024;
  let failing = false;
  server = await startTestServer({
    env: { UNSTORED_BYTES_PER_ROOM: String(LIMIT) },
    wrapStore: failingWhile(() => failing),
  });
  const docId = await createDocument(server);
  const writer = connectClient(server, docId);
  const reader = connectClient(server, docId);
  clients.push(writer, reader);
  await Promise.all([waitForSync(writer), waitForSync(reader)]);

  failing = true;
  let most = 0;
  const sampler = setInterval(() => (most = Math.max(most, server!.server.registry.stats().unstoredBytes)), 1);
  try {
    // 2 MB typed in 500 edits of 4 KB while nothing can be stored.
    const line = 'x'.repeat(4000);
    for (let i = 0; i < 500; i++) {
      appendParagraph(writer.doc, `${i} ${line}`);
      if (i % 50 === 0) await sleep(5);
    }
    await waitFor(() => server!.server.registry.stats().unstoredBytes >= LIMIT, 10_000, 'the room to reach its bound');
    // The writer keeps its edits; the server reads no more of them than its bound (plus what one read brings).
    await sleep(200);
    most = Math.max(most, server.server.registry.stats().unstoredBytes);
    expect(most).toBeGreaterThanOrEqual(LIMIT);
    expect(most).toBeLessThan(LIMIT + 512 * 1024);
    expect(reader.text()).toBe('');
  } finally {
    clearInterval(sampler);
  }

  failing = false;
  await waitFor(() => reader.text().includes('499 x'), 30_000, 'every edit to arrive once the store is back');
  expect(reader.text().split('\n')).toHaveLength(500);
  await waitFor(() => server!.server.registry.stats().unstoredBytes === 0, 10_000, 'everything stored');
  const stored = new Y.Doc();
  const content = await server.store.loadContent(docId);
  if (content.snapshot) Y.applyUpdate(stored, content.snapshot);
  for (const update of content.updates) Y.applyUpdate(stored, update);
  expect(fragmentText(stored).split('\n')).toHaveLength(500);
}, 120_000);
