import Database from 'better-sqlite3';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { openSqliteStore, type Store } from '../../server/src/store/index';
import { docFromStored } from '../helpers/clients';
import { tempDataDir } from '../helpers/server';
import { describeStoreContract } from './contract';

const dataDirs = new Map<Store, string>();
describeStoreContract(
  'SQLite',
  async () => {
    const dataDir = tempDataDir();
    const store = openSqliteStore({ path: join(dataDir, 'concord.sqlite') });
    dataDirs.set(store, dataDir);
    return store;
  },
  async (store) => {
    await store.close();
    rmSync(dataDirs.get(store)!, { recursive: true, force: true });
    dataDirs.delete(store);
  },
);

const DOC = 'AAAAAAAAAAAAAAAA';
const USER = 'BBBBBBBBBBBBBBBB';
const GROUP = 'CCCCCCCCCCCCCCCC';

/** Size of the file of a store with the schema and nothing else (the fixed pages every database has). */
async function emptyStoreBytes(): Promise<number> {
  const path = join(tempDataDir(), 'empty.sqlite');
  await openSqliteStore({ path }).close();
  return statSync(path).size;
}

it('compaction keeps every edit and gives the space of folded updates back to the disk', async () => {
  const path = join(tempDataDir(), 'concord.sqlite');
  const store = openSqliteStore({ path });
  await store.createUser({ id: USER, email: 'chair@example.org', name: 'Chair', passwordHash: 'unused', onlyIfFirst: true });
  await store.createGroup({ id: GROUP, name: 'Working Group on Strategy', description: '', creatorId: USER });
  await store.createDocument({ id: DOC, title: 'Priorities from the Options Paper', groupId: GROUP });
  const doc = new Y.Doc();
  const writes: Promise<void>[] = [];
  doc.on('update', (update: Uint8Array) => writes.push(store.appendUpdate(DOC, update)));
  const text = doc.getText('body');
  for (let i = 0; i < 5000; i++) text.insert(text.length, `V.${i % 12} `);
  text.delete(0, 1000); // deletions too, so the snapshot is smaller than the log
  await Promise.all(writes);

  expect(await store.compact(DOC)).toBe(5001);
  const content = await store.loadContent(DOC);
  expect(content.updates).toHaveLength(0);
  expect(docFromStored(content).getText('body').toString()).toBe(text.toString());
  await store.close();

  // What remains on disk is about the size of the document, not of its keystroke log. A database
  // file also has fixed pages for its schema: one page (4 KiB) per table and index, ~33 pages
  // since accounts and groups (migration 2); measured on an empty store, so new tables don't
  // break this. For this workload (stateBytes ≈ 20 KB) the file is ≈ 148 KiB compacted and
  // ≈ 520 KiB without compaction (measured on the same workload), against a limit of ≈ 203 KiB.
  const stateBytes = Y.encodeStateAsUpdate(doc).length;
  const schemaBytes = await emptyStoreBytes();
  expect(statSync(path).size).toBeLessThan(schemaBytes + stateBytes * 2 + 32 * 1024);

  // And it reopens with the same content.
  const reopened = openSqliteStore({ path });
  expect(docFromStored(await reopened.loadContent(DOC)).getText('body').toString()).toBe(text.toString());
  expect((await reopened.getDocument(DOC))?.title).toBe('Priorities from the Options Paper');
  await reopened.close();
});

it('gives access tokens made before scopes existed read and write (migration 10)', async () => {
  const path = join(tempDataDir(), 'concord.sqlite');
  const store = openSqliteStore({ path });
  await store.createUser({ id: USER, email: 'chair@example.org', name: 'Chair', passwordHash: 'unused', onlyIfFirst: true });
  await store.createAccessToken({ id: 'tok-old', userId: USER, name: 'old bot', tokenHash: 'th-old', prefix: 'cpat_ol', expiresAt: null, scopes: ['read', 'write', 'admin'] });
  await store.close();
  // The database as the previous version left it: no scopes column, migration 10 not applied.
  const db = new Database(path);
  db.exec('ALTER TABLE access_tokens DROP COLUMN scopes; DELETE FROM schema_migrations WHERE version = 10;');
  db.close();
  const migrated = openSqliteStore({ path });
  expect((await migrated.getAccessTokenByHash('th-old'))?.scopes).toEqual(['read', 'write']);
  await migrated.close();
});

it('keeps notifications when migration 13 makes their table anew (a kind more)', async () => {
  const path = join(tempDataDir(), 'concord.sqlite');
  const store = openSqliteStore({ path });
  await store.createUser({ id: USER, email: 'chair@example.org', name: 'Chair', passwordHash: 'unused', onlyIfFirst: true });
  await store.createGroup({ id: GROUP, name: 'Group', description: '', creatorId: USER });
  await store.createDocument({ id: DOC, title: 'Draft', groupId: GROUP });
  const note = { userId: USER, documentId: DOC, threadId: null, commentId: null, actorId: null, excerpt: 'v2', detail: '' };
  await store.addNotifications(
    [
      { ...note, id: 'n-1', kind: 'version', dedupeKey: 'k-1', email: { kind: 'immediate' } },
      { ...note, id: 'n-2', kind: 'version', dedupeKey: 'k-2', email: null },
    ],
    new Date(),
  );
  await store.markNotificationsRead(USER, ['n-1'], new Date());
  await store.close();
  // As the version before left it: migration 13 not applied yet.
  const db = new Database(path);
  db.exec('DELETE FROM schema_migrations WHERE version = 13;');
  db.close();
  const migrated = openSqliteStore({ path });
  expect((await migrated.listNotifications(USER, { limit: 5 })).map((n) => [n.id, n.readAt !== null])).toEqual([
    ['n-2', false],
    ['n-1', true],
  ]);
  expect((await migrated.claimEmailDelivery('p', new Date(), 1000))?.notifications.map((n) => n.id)).toEqual(['n-1']);
  expect(await migrated.addNotifications([{ ...note, id: 'n-3', kind: 'round-closing', dedupeKey: 'k-3', email: null }], new Date())).toEqual(['n-3']);
  expect(await migrated.addNotifications([{ ...note, id: 'n-4', kind: 'version', dedupeKey: 'k-1', email: null }], new Date())).toEqual([]);
  await migrated.close();
});
