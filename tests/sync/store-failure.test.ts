/** When the store refuses writes, nothing is broadcast or reported saved until it takes them. */
import { afterEach, expect, it } from 'vitest';
import { api } from '../helpers/accounts';
import { appendParagraph, connectClient, sleep, waitFor, waitForSync, type TestClient } from '../helpers/clients';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer | null = null;
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await server?.stop();
  server = null;
});

it('holds edits back while the store fails, then stores and delivers them', async () => {
  let failing = false;
  server = await startTestServer({
    wrapStore: (store) => ({
      ...store,
      async appendUpdate(id, update) {
        if (failing) throw new Error('disk full (simulated)');
        return store.appendUpdate(id, update);
      },
    }),
  });
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
