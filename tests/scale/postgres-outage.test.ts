/**
 * PostgreSQL going away and coming back, under a running server: edits made meanwhile are
 * neither reported as saved nor shared (they are not stored), the server stays up and answers
 * the API with a clear 503, and once the database is back everything is stored and shared.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgresStore, type Store } from '../../server/src/store/index';
import { api } from '../helpers/accounts';
import { appendParagraph, connectClient, docFromStored, fragmentText, sleep, waitFor, waitForSync, type TestClient } from '../helpers/clients';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres';
import { createDocument, startTestServer, tempDataDir, type TestServer } from '../helpers/server';

let postgres: PrivatePostgres;
let store: Store;
let server: TestServer;
const clients: TestClient[] = [];

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  store = await openPostgresStore({ connectionString: postgres.url });
  server = await startTestServer({ dataDir: tempDataDir(), store });
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.destroy();
  postgres?.start();
  await server?.stop();
  await store?.close();
  postgres?.destroy();
}, 60_000);

it('while PostgreSQL is down nothing is reported saved or shared; once it is back everything is stored and shared', async () => {
  const docId = await createDocument(server, 'Outage');
  const writer = connectClient(server, docId);
  const reader = connectClient(server, docId);
  clients.push(writer, reader);
  await Promise.all([waitForSync(writer), waitForSync(reader)]);
  appendParagraph(writer.doc, 'Stored before the outage.');
  await waitFor(() => reader.text().includes('Stored before the outage.'), 5_000, 'the first edit shared');

  postgres.stop();
  appendParagraph(writer.doc, 'Typed while the database is down.');
  await sleep(2_000);
  // Not stored, so not shared: the reader never sees it, and the room knows it holds unstored changes.
  expect(reader.text()).not.toContain('Typed while the database is down.');
  expect(server.server.registry.peek(docId)?.hasUnstoredChanges).toBe(true);
  // The API says what is wrong instead of failing obscurely, and the server is still up.
  const listed = await api(server.url, server.owner.auth, 'GET', '/api/documents');
  expect(listed.status).toBe(503);
  expect(listed.body.error.code).toBe('store_unavailable');
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

  postgres.start();
  await waitFor(() => reader.text().includes('Typed while the database is down.'), 20_000, 'the edit stored and shared once the database is back');
  expect(server.server.registry.peek(docId)?.hasUnstoredChanges).toBe(false);
  const stored = fragmentText(docFromStored(await store.loadContent(docId)));
  expect(stored).toContain('Stored before the outage.');
  expect(stored).toContain('Typed while the database is down.');
  expect((await api(server.url, server.owner.auth, 'GET', '/api/documents')).status).toBe(200);
}, 60_000);
