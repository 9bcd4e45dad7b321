import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openPostgresStore, type Store } from '../../server/src/store/index';
import { postgresMigrations } from '../../server/src/store/postgres/migrations';
import { docFromStored } from '../helpers/clients';
import { describeStoreContract } from './contract';
import { createTestSchema, type TestSchema } from '../helpers/postgres';

const schemas = new Map<Store, TestSchema>();
describeStoreContract(
  'PostgreSQL',
  async () => {
    const schema = await createTestSchema();
    const store = await openPostgresStore({ connectionString: schema.connectionString });
    schemas.set(store, schema);
    return store;
  },
  async (store) => {
    await store.close();
    await schemas.get(store)!.drop();
    schemas.delete(store);
  },
);

describe('PostgreSQL store shared by several processes', () => {
  let schema: TestSchema;
  beforeAll(async () => {
    schema = await createTestSchema();
  });
  afterAll(async () => {
    await schema.drop();
  });

  it('applies each migration once when processes start at the same time', async () => {
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore({ connectionString: schema.connectionString })));
    const client = new pg.Client({ connectionString: schema.connectionString });
    await client.connect();
    const applied = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    await client.end();
    expect(applied.rows.map((row) => row.version)).toEqual(postgresMigrations.map((m) => m.version));
    await Promise.all(stores.map((store) => store.close()));
  });

  it('loses no update when two processes append and compact the same document at once', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => openPostgresStore({ connectionString: schema.connectionString })));
    await a.createUser({ id: 'u-1', email: 'one@example.org', name: 'One', passwordHash: 'h', onlyIfFirst: false });
    await a.createGroup({ id: 'g-1', name: 'Group', description: '', creatorId: 'u-1' });
    await a.createDocument({ id: 'd-1', title: 'Shared', groupId: 'g-1' });

    /** One editor per process, each typing into its own text, every keystroke appended without waiting for the last. */
    const type = (store: Store, name: string, count: number) => {
      const doc = new Y.Doc();
      const writes: Promise<void>[] = [];
      doc.on('update', (update: Uint8Array) => writes.push(store.appendUpdate('d-1', update)));
      for (let i = 0; i < count; i++) doc.getText(name).insert(i, String(i % 10));
      return { doc, written: Promise.all(writes) };
    };
    let typing = true;
    let folded = 0;
    const compactWhileTyping = async (store: Store) => {
      while (typing) {
        const n = await store.compact('d-1');
        folded += n; // not `folded += await …`: that would read `folded` before the other loop adds to it
      }
    };
    const compactions = [compactWhileTyping(a), compactWhileTyping(b)];
    const editorA = type(a, 'a', 300);
    const editorB = type(b, 'b', 300);
    await Promise.all([editorA.written, editorB.written]);
    typing = false;
    await Promise.all(compactions);

    // What one process committed, the other reads at once.
    const stored = await b.loadContent('d-1');
    const rebuilt = docFromStored(stored);
    expect(rebuilt.getText('a').toString()).toBe(editorA.doc.getText('a').toString());
    expect(rebuilt.getText('b').toString()).toBe(editorB.doc.getText('b').toString());
    // Every update was folded exactly once, or is still in the log.
    expect(folded + stored.updates.length).toBe(600);
    expect(folded).toBeGreaterThan(0);
    expect(await a.compact('d-1')).toBe(stored.updates.length);
    expect(docFromStored(await a.loadContent('d-1')).getText('a').toString()).toBe(editorA.doc.getText('a').toString());

    await Promise.all([a.close(), b.close()]);
  });

  it('gives access tokens made before scopes existed read and write (migration 10)', async () => {
    const own = await createTestSchema();
    try {
      const store = await openPostgresStore({ connectionString: own.connectionString });
      await store.createUser({ id: 'u-1', email: 'one@example.org', name: 'One', passwordHash: 'h', onlyIfFirst: true });
      await store.createAccessToken({ id: 'tok-old', userId: 'u-1', name: 'old bot', tokenHash: 'th-old', prefix: 'cpat_ol', expiresAt: null, scopes: ['read', 'write', 'admin'] });
      await store.close();
      // The database as the previous version left it: no scopes column, migration 10 not applied.
      const client = new pg.Client({ connectionString: own.connectionString });
      await client.connect();
      await client.query('ALTER TABLE access_tokens DROP COLUMN scopes; DELETE FROM schema_migrations WHERE version = 10');
      await client.end();
      const migrated = await openPostgresStore({ connectionString: own.connectionString });
      expect((await migrated.getAccessTokenByHash('th-old'))?.scopes).toEqual(['read', 'write']);
      await migrated.close();
    } finally {
      await own.drop();
    }
  });

  it('ends its connections on close', async () => {
    const store = await openPostgresStore({ connectionString: schema.connectionString });
    await store.close();
    await expect(store.countUsers()).rejects.toThrow();
  });
});
