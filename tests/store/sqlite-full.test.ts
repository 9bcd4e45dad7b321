/**
 * SQLite on a full disk, for real: the database is capped (PRAGMA max_page_count) at its size
 * and its free pages are used up, so writes fail with SQLITE_FULL as on a full volume. The API
 * answers 503 store_unavailable (not a generic 500), /readyz says not ready, and both recover
 * once there is room again.
 */
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSqliteStore, type Store } from '../../server/src/store/index';
import { api } from '../helpers/accounts';
import { createDocument, startTestServer, tempDataDir, type TestServer } from '../helpers/server';

let db: Database.Database;
let store: Store;
let server: TestServer;

beforeAll(async () => {
  const dataDir = tempDataDir();
  store = openSqliteStore({ path: join(dataDir, 'concord.sqlite'), onOpen: (opened) => (db = opened) });
  server = await startTestServer({ dataDir, store });
});

afterAll(async () => {
  await server?.stop();
  await store?.close();
});

/** Fills the database: no page may be added and no free page is left. */
function fillDatabase(): void {
  db.exec('CREATE TABLE filler (x BLOB)');
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`);
  const insert = db.prepare('INSERT INTO filler (x) VALUES (randomblob(?))');
  for (const size of [4096, 512, 64, 8]) {
    try {
      for (;;) insert.run(size);
    } catch (error) {
      expect((error as { code?: string }).code).toBe('SQLITE_FULL');
    }
  }
}

it('a full database answers 503 store_unavailable and /readyz 503; with room again, 201 and 200', async () => {
  await createDocument(server, 'Before the disk filled up');
  expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

  fillDatabase();
  // Rows may still fit in pages that have room; the first write that needs a page fails.
  let refused: { status: number; body: any; headers: Headers } | null = null;
  for (let i = 0; i < 200 && refused === null; i++) {
    const created = await api(server.url, server.owner.auth, 'POST', '/api/documents', { title: `Filling ${i} ${'x'.repeat(180)}`, groupId: server.owner.groupId });
    if (created.status !== 201) refused = created;
  }
  expect(refused, 'some document creation refused').not.toBeNull();
  expect(refused!.status).toBe(503);
  expect(refused!.body.error.code).toBe('store_unavailable');
  expect(refused!.headers.get('retry-after')).toBe('5');

  const notReady = await fetch(`${server.url}/readyz`);
  expect(notReady.status).toBe(503);
  const body = await notReady.json();
  expect(body.status).toBe('not_ready');
  expect(body.reasons.join(' ')).toContain('store: database full');
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

  // Room again (an operator freed space).
  db.exec('DROP TABLE filler');
  expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  expect((await api(server.url, server.owner.auth, 'POST', '/api/documents', { title: 'After', groupId: server.owner.groupId })).status).toBe(201);
});
