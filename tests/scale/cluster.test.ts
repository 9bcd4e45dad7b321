/**
 * The scaled-out deployment for real: server processes (`node server/src/main.ts`) on PostgreSQL
 * (a schema of this test's own) and Redis (a redis-server of this test's own), real
 * WebsocketProvider clients spread across them, random edits, and random processes killed
 * (SIGKILL) and restarted meanwhile. Afterwards every client and the stored document agree, and
 * every edit a client made is there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openPostgresStore } from '../../server/src/store/index';
import type { Auth } from '../helpers/accounts';
import { connectClient, docFromStored, sleep, waitFor, waitForSync, type TestClient } from '../helpers/clients';
import { createTestSchema, type TestSchema } from '../helpers/postgres';
import { prng } from '../helpers/random';
import { startTestRedis, type TestRedis } from '../helpers/redis';
import { createDocument, spawnServerProcess, tempDataDir, type ServerProcess } from '../helpers/server';

let schema: TestSchema;
let redis: TestRedis;
const dataDir = tempDataDir();
const processes: (ServerProcess | null)[] = [];
const clients: TestClient[] = [];

async function start(slot: number, port?: number): Promise<ServerProcess> {
  const server = await spawnServerProcess({ dataDir, port, env: { DATABASE_URL: schema.connectionString, REDIS_URL: redis.url, ROOM_UNLOAD_GRACE_MS: '2000' } });
  processes[slot] = server;
  return server;
}

async function kill(slot: number): Promise<number> {
  const server = processes[slot]!;
  processes[slot] = null;
  server.child.kill('SIGKILL');
  await server.exited;
  return server.port;
}

beforeAll(async () => {
  schema = await createTestSchema();
  redis = await startTestRedis();
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.destroy();
  for (const server of processes) {
    if (!server) continue;
    server.child.kill('SIGTERM');
    await server.exited;
  }
  await redis?.stop();
  await schema?.drop();
}, 60_000);

/** Paragraph texts of a client's (or the store's) copy. */
function paragraphs(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment('default')
    .toArray()
    .map((node) => (node as Y.XmlElement).toArray().map((child) => (child as Y.XmlText).toString()).join(''));
}

describe.each([2, 3])('%i processes', (count) => {
  it('random edits on clients spread across them, random processes killed and restarted: everyone and the store converge', async () => {
    for (let slot = 0; slot < count; slot++) await start(slot);
    const owner = processes[0]!.owner;
    const docId = await createDocument(processes[0]!, `Cluster of ${count}`);
    const random = prng(count * 1009);

    // Two clients per process; each knows its process by port, and reconnects there after a restart.
    const targets = processes.map((server) => ({ collabUrl: server!.collabUrl, owner: { auth: owner.auth as Auth } }));
    const mine: TestClient[] = [];
    for (let i = 0; i < count * 2; i++) {
      const client = connectClient(targets[i % count], docId);
      mine.push(client);
      clients.push(client);
    }
    await Promise.all(mine.map((client) => waitForSync(client, 20_000)));

    // Every client writes paragraphs of its own ("c<client>-<n>"), so nothing written can hide.
    const written: string[] = [];
    let editing = true;
    const edits = mine.map(async (client, index) => {
      for (let n = 0; editing; n++) {
        const text = `c${index}-${n}`;
        client.doc.transact(() => {
          const fragment = client.doc.getXmlFragment('default');
          const paragraph = new Y.XmlElement('paragraph');
          paragraph.insert(0, [new Y.XmlText(text)]);
          fragment.insert(Math.floor(random() * (fragment.length + 1)), [paragraph]);
        });
        written.push(text);
        await sleep(20 + random() * 60);
      }
    });

    // Kill and restart processes at random while everyone types.
    const kills = count === 2 ? 2 : 3;
    for (let k = 0; k < kills; k++) {
      await sleep(700 + random() * 800);
      const slot = Math.floor(random() * count);
      const port = await kill(slot);
      await sleep(300 + random() * 500);
      await start(slot, port);
    }
    await sleep(800);
    editing = false;
    await Promise.all(edits);

    await waitFor(
      () => {
        const first = paragraphs(mine[0].doc).join('\n');
        return mine.every((client) => client.provider.wsconnected && paragraphs(client.doc).join('\n') === first);
      },
      30_000,
      'every client to converge',
    );
    const converged = paragraphs(mine[0].doc);
    expect([...converged].sort()).toEqual([...written].sort());

    // The store has exactly that (read through a store of its own, as a restarted process would).
    const store = await openPostgresStore({ connectionString: schema.connectionString });
    try {
      let stored: string[] = [];
      for (let attempt = 0; attempt < 50; attempt++) {
        stored = paragraphs(docFromStored(await store.loadContent(docId)));
        if (stored.join('\n') === converged.join('\n')) break;
        await sleep(200);
      }
      expect(stored).toEqual(converged);
    } finally {
      await store.close();
    }
    for (const client of mine) client.destroy();
    for (let slot = 0; slot < count; slot++) {
      const server = processes[slot];
      processes[slot] = null;
      server?.child.kill('SIGTERM');
      await server?.exited;
    }
  }, 180_000);
});
