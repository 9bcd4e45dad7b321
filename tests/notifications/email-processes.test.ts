/**
 * Two server processes sharing one PostgreSQL database and a Redis fan-out, each with its own
 * e-mail sender: every message is sent once (each delivery is claimed by one sender), whichever
 * process queued it; a person's unread count reaches their stream on the other process.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import pino from 'pino';
import { RedisFanout } from '../../server/src/fanout/index';
import { openPostgresStore, type Store } from '../../server/src/store/index';
import { startTestRedis, type TestRedis } from '../helpers/redis';
import { addMember, apiOk, type TestAccount } from '../helpers/accounts';
import { createTestSchema, type TestSchema } from '../helpers/postgres';
import { createDocument, startTestServer, tempDataDir, type TestServer } from '../helpers/server';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp';

let schema: TestSchema;
let dataDir: string;
let redis: TestRedis;
const fanouts: RedisFanout[] = [];
let smtp: TestSmtp;
const stores: Store[] = [];
const servers: TestServer[] = [];

beforeAll(async () => {
  schema = await createTestSchema();
  smtp = await startSmtpServer();
  dataDir = tempDataDir();
  redis = await startTestRedis();
  for (let i = 0; i < 2; i++) {
    const store = await openPostgresStore({ connectionString: schema.connectionString });
    stores.push(store);
    const fanout = await RedisFanout.connect(redis.url, pino({ level: 'silent' }));
    fanouts.push(fanout);
    // Short polls: each sender also looks for the other's work, as in a real deployment.
    // Each step of a send may take 2 s, so a lease is 4 s: a slow send outlasts it and is renewed.
    servers.push(await startTestServer({ dataDir, store, fanout, env: { SMTP_URL: smtp.url, EMAIL_POLL_MS: '20', EMAIL_SEND_TIMEOUT_MS: '2000' } }));
  }
});

afterAll(async () => {
  for (const server of servers) await server.stop();
  for (const fanout of fanouts) await fanout.close();
  await redis?.stop();
  for (const store of stores) await store.close();
  await smtp.close();
  await schema.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

function anchorAtStart(): { start: string; end: string } {
  const position = Y.createRelativePositionFromTypeIndex(new Y.Doc().getXmlFragment('default'), 0);
  const encoded = Buffer.from(Y.encodeRelativePosition(position)).toString('base64');
  return { start: encoded, end: encoded };
}

it('sends each message once with two senders on one queue', async () => {
  const [a, b] = servers;
  const docId = await createDocument(a, 'Shared Queue Draft');
  const people: TestAccount[] = [];
  for (let i = 0; i < 4; i++) people.push(await addMember(a.url, a.owner.auth, a.owner.groupId, 'member', `Person ${i}`));
  const mentions = people.map((p) => p.user.id);
  // Five threads mentioning four people each, written through both processes at once: 20 messages.
  await Promise.all(
    [0, 1, 2, 3, 4].map((i) =>
      apiOk((i % 2 ? b : a).url, a.owner.auth, 'POST', `/api/documents/${docId}/threads`, { anchor: anchorAtStart(), quote: '', body: `Note ${i}`, mentions }, 201),
    ),
  );
  const messages = await smtp.waitForMessages(20);
  expect(new Set(messages.map((m) => m.messageId)).size).toBe(20);
  // Each recorded as sent at its first attempt, so none is sent again.
  for (;;) {
    const deliveries = (await Promise.all(people.map((p) => stores[0].listEmailDeliveries(p.user.id)))).flat();
    if (deliveries.every((d) => d.state === 'sent')) {
      expect(deliveries.map((d) => d.attempts)).toEqual(Array(20).fill(1));
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(smtp.messages).toHaveLength(20);
});

it("tells a person's stream on the other process of a new notification", async () => {
  const [a, b] = servers;
  const docId = await createDocument(a, 'Relayed Draft');
  const reader = await addMember(a.url, a.owner.auth, a.owner.groupId, 'member', 'Reader');
  const response = await fetch(`${b.url}/api/notifications/events`, { headers: { authorization: `Bearer ${reader.token}` } });
  const stream = response.body!.getReader();
  let received = '';
  const nextCount = async (): Promise<number> => {
    for (;;) {
      const match = /event: notifications\ndata: (\{[^\n]*\})\n\n/.exec(received);
      if (match) {
        received = received.slice(match.index + match[0].length);
        return JSON.parse(match[1]).unread;
      }
      const { value, done } = await stream.read();
      if (done) throw new Error('stream ended');
      received += Buffer.from(value).toString();
    }
  };
  expect(await nextCount()).toBe(0);
  await apiOk(a.url, a.owner.auth, 'POST', `/api/documents/${docId}/threads`, { anchor: anchorAtStart(), quote: '', body: 'Over here', mentions: [reader.user.id] }, 201);
  expect(await nextCount()).toBe(1);
  await stream.cancel();
});

it('keeps a send that outlasts its lease to its sender: the other process does not send it too', async () => {
  const [a] = servers;
  const docId = await createDocument(a, 'Slow Mail Draft');
  const reader = await addMember(a.url, a.owner.auth, a.owner.groupId, 'member', 'Patient Reader');
  // MAIL FROM, RCPT TO and the content each answered after 1.5 s: 4.5 s in all, past the 4 s lease.
  smtp.slowNext(1_500);
  const before = smtp.messages.length;
  await apiOk(a.url, a.owner.auth, 'POST', `/api/documents/${docId}/threads`, { anchor: anchorAtStart(), quote: '', body: 'Slowly', mentions: [reader.user.id] }, 201);
  const [message] = (await smtp.waitForMessages(before + 1)).slice(before);
  expect(message.to).toEqual([reader.user.email]);
  for (;;) {
    const [delivery] = await stores[0].listEmailDeliveries(reader.user.id);
    if (delivery.state === 'sent') {
      // One claim: nobody else took it while it was slow.
      expect(delivery.attempts).toBe(1);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(smtp.messages.slice(before).filter((m) => m.to.includes(reader.user.email))).toHaveLength(1);
});
