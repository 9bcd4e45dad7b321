/**
 * Two server processes of one deployment (here two servers in this process sharing one store,
 * each with its own connections to a real Redis): people on either see each other's edits and
 * presence live; rights changes and thread events reach the other process; an update stored
 * while the other process is loading the document is not lost; and when Redis goes away and
 * comes back, everyone converges with nothing lost.
 */
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol/index';
import { RedisFanout } from '../../server/src/fanout/index';
import { openSqliteStore, type Store } from '../../server/src/store/index';
import { addMember, api, apiOk, authHeaders } from '../helpers/accounts';
import { anchorOver } from '../helpers/anchors';
import { appendParagraph, connectClient, docFromStored, fragmentText, sleep, waitFor, waitForSync, type TestClient } from '../helpers/clients';
import { startTestRedis, type TestRedis } from '../helpers/redis';
import { createDocument, startTestServer, tempDataDir, type TestServer } from '../helpers/server';

let redis: TestRedis;
let store: Store;
let fanouts: RedisFanout[];
let a: TestServer;
let b: TestServer;
const clients: TestClient[] = [];

function connect(server: TestServer, docId: string, auth = server.owner.auth): TestClient {
  const client = connectClient(server, docId, { auth });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  redis = await startTestRedis();
  const dataDir = tempDataDir();
  store = openSqliteStore({ path: join(dataDir, 'concord.sqlite') });
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  fanouts = [await RedisFanout.connect(redis.url, log), await RedisFanout.connect(redis.url, log)];
  a = await startTestServer({ dataDir, store, fanout: fanouts[0] });
  b = await startTestServer({ dataDir, store, fanout: fanouts[1] });
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await Promise.all([a?.stop(), b?.stop()]);
  await Promise.all(fanouts.map((fanout) => fanout.close()));
  await store?.close();
  await redis?.stop();
});

const texts = (doc: Y.Doc) => fragmentText(doc).split('\n').filter(Boolean);

describe('two processes, one document', () => {
  it('people on different processes see each other’s edits and presence live', async () => {
    const docId = await createDocument(a, 'Messages from the forum');
    const onA = connect(a, docId);
    const onB = connect(b, docId);
    await Promise.all([waitForSync(onA), waitForSync(onB)]);
    appendParagraph(onA.doc, 'Written on process A.');
    await waitFor(() => onB.text().includes('Written on process A.'), 5_000, 'B’s client to get A’s edit');
    appendParagraph(onB.doc, 'Written on process B.');
    await waitFor(() => onA.text().includes('Written on process B.'), 5_000, 'A’s client to get B’s edit');

    onA.provider.awareness.setLocalStateField('cursor', { anchor: 3 });
    await waitFor(() => (onB.provider.awareness.getStates().get(onA.doc.clientID) as { cursor?: unknown } | undefined)?.cursor !== undefined, 5_000, 'A’s presence on B');
    const seen = onB.provider.awareness.getStates().get(onA.doc.clientID) as { user: { name: string } };
    expect(seen.user.name).toBe(a.owner.user.name);
    // Leaving removes the presence on the other process too.
    onA.provider.disconnect();
    await waitFor(() => !onB.provider.awareness.getStates().has(onA.doc.clientID), 5_000, 'A’s presence gone on B');
  });

  it('a member removed through one process loses their socket on the other; thread events reach both', async () => {
    const docId = await createDocument(a, 'Roadmap paragraph 93');
    const writer = connect(a, docId);
    await waitForSync(writer);
    appendParagraph(writer.doc, 'The high-level body should be connected to the MAG.');

    // An event stream open on B, a thread started through A.
    const stream = await fetch(`${b.url}/api/documents/${docId}/events`, { headers: authHeaders(b.owner.auth) });
    const reader = stream.body!.getReader();
    let received = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(received)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended; got ${received}`);
        received += new TextDecoder().decode(value);
      }
    };
    const { anchor } = anchorOver(writer.doc, 'high-level body');
    await apiOk(a.url, a.owner.auth, 'POST', `/api/documents/${docId}/threads`, { anchor, quote: 'high-level body', body: 'Which body?' }, 201);
    await readUntil(/event: thread\ndata: .*Which body\?/);
    await reader.cancel();

    const member = await addMember(a.url, a.owner.auth, a.owner.groupId, 'member', 'Jorge');
    const onB = connect(b, docId, member.auth);
    await waitForSync(onB);
    const closed = new Promise<number>((resolve) => onB.provider.on('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0)));
    expect((await api(a.url, a.owner.auth, 'DELETE', `/api/groups/${a.owner.groupId}/members/${member.user.id}`)).status).toBe(204);
    expect(await closed).toBe(CloseCode.AccessRevoked);
  });

  it('failed sign-ins through one process count on the other', async () => {
    const person = await addMember(a.url, a.owner.auth, a.owner.groupId, 'member', 'Guessed');
    for (let attempt = 0; attempt < 5; attempt++) {
      const wrong = await api(a.url, undefined, 'POST', '/api/auth/signin', { email: person.user.email, password: `guess ${attempt}` });
      expect(wrong.status).toBe(401);
    }
    // On the other process the limit is already reached, once the counts have travelled through
    // Redis. Probing with wrong passwords: B alone could not reach the limit of 5 in 4 tries, so a
    // refusal within 4 proves the counts are shared (a right password would reset the count).
    let refused = await api(b.url, undefined, 'POST', '/api/auth/signin', { email: person.user.email, password: 'probe 1' });
    for (let attempt = 2; attempt <= 4 && refused.status !== 429; attempt++) {
      await sleep(200);
      refused = await api(b.url, undefined, 'POST', '/api/auth/signin', { email: person.user.email, password: `probe ${attempt}` });
    }
    expect(refused.status).toBe(429);
    // And the right password is refused there too.
    refused = await api(b.url, undefined, 'POST', '/api/auth/signin', { email: person.user.email, password: person.password });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeTruthy();
  });

  it('an update stored while the other process is loading the document is not lost (join race)', async () => {
    for (let round = 0; round < 6; round++) {
      const docId = await createDocument(a, `Join race ${round}`);
      const writer = connect(a, docId);
      await waitForSync(writer);
      const paragraph = appendParagraph(writer.doc, '');
      // Keystrokes every few milliseconds while B loads the document for its first client: counted,
      // so a busy machine (timers late) still types before, during and after B's load.
      let typing = true;
      let keystrokes = 0;
      const typed = (async () => {
        for (let i = 0; typing; i++) {
          paragraph.insert(paragraph.length, String(i % 10));
          keystrokes++;
          await sleep(2);
        }
      })();
      await waitFor(() => keystrokes >= 3 + round * 4, 30_000, `the writer to type before B loads (round ${round})`);
      const reader = connect(b, docId);
      await waitForSync(reader);
      const atSync = keystrokes;
      await waitFor(() => keystrokes >= atSync + 20, 30_000, `the writer to type after B loaded (round ${round})`);
      typing = false;
      await typed;
      await waitFor(() => reader.text() === writer.text(), 20_000, `B’s client to converge (round ${round})`);
    }
  });
});

describe('Redis away and back', () => {
  it('both processes keep editing while Redis is down and converge once it is back; nothing is lost', async () => {
    const docId = await createDocument(a, 'Strategy response');
    const onA = connect(a, docId);
    const onB = connect(b, docId);
    await Promise.all([waitForSync(onA), waitForSync(onB)]);
    appendParagraph(onA.doc, 'Before: A.');
    appendParagraph(onB.doc, 'Before: B.');
    await waitFor(() => onA.text() === onB.text() && onA.text().includes('Before: B.') && onB.text().includes('Before: A.'), 5_000, 'convergence before');

    // Someone on B, removed through A while Redis is away: B misses the news, so it checks every socket again afterwards.
    const leaving = await addMember(a.url, a.owner.auth, a.owner.groupId, 'member', 'Removed during the outage');
    const onBLeaving = connect(b, docId, leaving.auth);
    await waitForSync(onBLeaving);

    await redis.stop();
    expect((await api(a.url, a.owner.auth, 'DELETE', `/api/groups/${a.owner.groupId}/members/${leaving.user.id}`)).status).toBe(204);
    for (let i = 0; i < 5; i++) {
      appendParagraph(onA.doc, `While Redis is down: A ${i}.`);
      appendParagraph(onB.doc, `While Redis is down: B ${i}.`);
      await sleep(50);
    }
    await sleep(500);
    // Each side has its own edits (stored), not yet the other's.
    expect(onB.text()).not.toContain('While Redis is down: A 0.');
    expect(onA.text()).not.toContain('While Redis is down: B 0.');

    await redis.start();
    const expected = ['Before: A.', 'Before: B.', ...[0, 1, 2, 3, 4].flatMap((i) => [`While Redis is down: A ${i}.`, `While Redis is down: B ${i}.`])];
    await waitFor(() => onA.text() === onB.text() && expected.every((line) => onA.text().includes(line)), 15_000, 'convergence after Redis is back');
    appendParagraph(onA.doc, 'After: A.');
    await waitFor(() => onB.text().includes('After: A.'), 5_000, 'live again after Redis is back');
    await waitFor(() => !onBLeaving.provider.wsconnected, 5_000, 'the removed member’s socket on B closed');
    await sleep(1_000);
    expect(onBLeaving.provider.wsconnected).toBe(false);

    await a.server.registry.peek(docId)?.flush();
    await b.server.registry.peek(docId)?.flush();
    const stored = texts(docFromStored(await store.loadContent(docId)));
    expect(stored.sort()).toEqual(texts(onA.doc).sort());
    expect(stored).toHaveLength(expected.length + 1);
  }, 60_000);
});
