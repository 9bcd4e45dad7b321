/**
 * Notifications in the app: who is told about mentions, replies, assignments, decisions and
 * versions (never about their own doing, never what they can no longer read), the inbox and its
 * unread count, marking read, the live count on the person's event stream, assigning threads
 * (who may, to whom, due dates, "Assigned to me") and e-mail settings without SMTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationView, ThreadView } from '../../shared/api/index';
import { addMember, api, apiOk, type Auth, type TestAccount } from '../helpers/accounts';
import { anchorOver } from '../helpers/anchors';
import { appendParagraph, connectClient, waitForSync, type TestClient } from '../helpers/clients';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
let docId: string;
let writer: TestClient;
let ana: TestAccount;
let ben: TestAccount;
let observer: TestAccount;
let secretariat: TestAccount;

const PARAGRAPH = 'Member states should publish their national strategies within two years of adoption.';
const threads = () => `/api/documents/${docId}/threads`;

const inbox = async (as: { auth: Auth }): Promise<{ notifications: NotificationView[]; unread: number }> =>
  apiOk(server.url, as.auth, 'GET', '/api/notifications');
const kindsOf = async (as: { auth: Auth }) => (await inbox(as)).notifications.map((n) => n.kind);

async function startThread(as: TestAccount | TestServer['owner'], text: string, body: string, mentions: string[] = []): Promise<ThreadView> {
  return apiOk(server.url, as.auth, 'POST', threads(), { ...anchorOver(writer.doc, text), body, mentions }, 201);
}
async function reply(as: { auth: Auth }, threadId: string, body: string, mentions: string[] = []): Promise<ThreadView> {
  return apiOk(server.url, as.auth, 'POST', `${threads()}/${threadId}/comments`, { body, mentions }, 201);
}

/** The person's inbox event stream: each `notifications` event's unread count, in order. */
function openInboxStream(auth: Auth) {
  const counts: number[] = [];
  const waiters: (() => void)[] = [];
  const controller = new AbortController();
  const done = (async () => {
    const response = await fetch(`${server.url}/api/notifications/events`, { headers: { authorization: `Bearer ${auth.token}` }, signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    let buffered = '';
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) return;
      buffered += Buffer.from(value).toString();
      let end: number;
      while ((end = buffered.indexOf('\n\n')) >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const data = /^event: notifications\ndata: (.*)$/m.exec(block);
        if (data) {
          counts.push(JSON.parse(data[1]).unread);
          for (const wake of waiters.splice(0)) wake();
        }
      }
    }
  })().catch(() => {});
  return {
    counts,
    /** Resolves once an event says `unread`. */
    async until(unread: number) {
      while (!counts.includes(unread)) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    close: () => {
      controller.abort();
      return done;
    },
  };
}

beforeAll(async () => {
  server = await startTestServer();
  docId = await createDocument(server, 'National Strategies Draft');
  ana = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Ana');
  ben = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Ben');
  observer = await addMember(server.url, server.owner.auth, server.owner.groupId, 'observer', 'Civil Society Observer');
  secretariat = await addMember(server.url, server.owner.auth, server.owner.groupId, 'secretariat', 'Secretariat');
  writer = connectClient(server, docId);
  await waitForSync(writer);
  appendParagraph(writer.doc, PARAGRAPH);
});

afterAll(async () => {
  writer.destroy();
  await server.stop();
});

describe('mentions and replies', () => {
  it('tells the mentioned person, then everyone in the thread about replies (not the writer, once each)', async () => {
    const stream = openInboxStream(ben.auth);
    await stream.until(0);
    const thread = await startThread(ana, 'national strategies', 'Should this say "action plans"? @Ben', [ben.user.id]);
    await stream.until(1);

    const bens = await inbox(ben);
    expect(bens.unread).toBe(1);
    expect(bens.notifications[0]).toMatchObject({
      kind: 'mention',
      summary: 'Ana mentioned you',
      document: { id: docId, title: 'National Strategies Draft', kind: 'draft' },
      group: { id: server.owner.groupId, name: 'Working Group on Strategy' },
      threadId: thread.id,
      actor: { id: ana.user.id, name: 'Ana' },
      excerpt: 'Should this say "action plans"? @Ben',
      path: `/d/${docId}?thread=${thread.id}`,
      read: false,
    });
    expect(await kindsOf(ana)).toEqual([]);

    // Ben replies: Ana (who started it) hears of it; Ben does not hear of his own reply.
    await reply(ben, thread.id, 'Yes, both terms are used.');
    expect(await kindsOf(ana)).toEqual(['reply']);
    expect((await inbox(ana)).notifications[0].summary).toBe('Ben replied in a thread you are in');
    // The observer replies mentioning Ana: Ana gets the mention (not also a reply), Ben the reply.
    await reply(observer, thread.id, '@Ana the 2023 resolution says action plans.', [ana.user.id]);
    expect(await kindsOf(ana)).toEqual(['mention', 'reply']);
    expect(await kindsOf(ben)).toEqual(['reply', 'mention']);
    await stream.until(2);
    await stream.close();
    // Editing a comment tells only people newly mentioned.
    const obsComment = (await apiOk<{ threads: ThreadView[] }>(server.url, ana.auth, 'GET', threads())).threads
      .find((t) => t.id === thread.id)!
      .comments.at(-1)!;
    await apiOk(server.url, observer.auth, 'PATCH', `${threads()}/${thread.id}/comments/${obsComment.id}`, {
      body: '@Ana @Secretariat the 2023 resolution says action plans.',
      mentions: [ana.user.id, secretariat.user.id],
    });
    expect(await kindsOf(ana)).toEqual(['mention', 'reply']);
    expect(await kindsOf(secretariat)).toEqual(['mention']);
  });

  it('marks read one by one or all, and the count follows', async () => {
    const before = await inbox(ana);
    expect(before.unread).toBe(2);
    const marked = await apiOk(server.url, ana.auth, 'POST', '/api/notifications/read', { ids: [before.notifications[0].id] });
    expect(marked).toEqual({ unread: 1 });
    expect((await inbox(ana)).notifications.map((n) => n.read)).toEqual([true, false]);
    const unreadOnly = await apiOk(server.url, ana.auth, 'GET', '/api/notifications?unread=true');
    expect(unreadOnly.notifications).toHaveLength(1);
    // Someone else's notification ids change nothing.
    const bens = await inbox(ben);
    await apiOk(server.url, ana.auth, 'POST', '/api/notifications/read', { ids: [bens.notifications[0].id] });
    expect((await inbox(ben)).unread).toBe(bens.unread);
    expect(await apiOk(server.url, ana.auth, 'POST', '/api/notifications/read', { all: true })).toEqual({ unread: 0 });
    expect((await api(server.url, ana.auth, 'POST', '/api/notifications/read', { ids: [] })).status).toBe(400);
    expect((await api(server.url, undefined, 'GET', '/api/notifications')).status).toBe(401);
  });
});

describe('assignments', () => {
  it('co-chairs and the secretariat assign threads to people who can act, with a due date; the assignee is told', async () => {
    const thread = await startThread(ben, 'two years', 'Is two years realistic?');
    const path = `${threads()}/${thread.id}/assignment`;
    expect((await api(server.url, ana.auth, 'PUT', path, { assigneeId: ben.user.id, dueDate: null })).status).toBe(403);
    const toObserver = await api(server.url, server.owner.auth, 'PUT', path, { assigneeId: observer.user.id, dueDate: null });
    expect(toObserver.status).toBe(400);
    expect(toObserver.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['assigneeId']);
    expect((await api(server.url, server.owner.auth, 'PUT', path, { assigneeId: ana.user.id, dueDate: '31/12/2026' })).status).toBe(400);

    const assigned = await apiOk<ThreadView>(server.url, secretariat.auth, 'PUT', path, { assigneeId: ana.user.id, dueDate: '2020-01-31' });
    expect(assigned.assignment).toMatchObject({ assignee: { id: ana.user.id, name: 'Ana' }, dueDate: '2020-01-31', by: { id: secretariat.user.id } });
    const [told] = (await inbox(ana)).notifications;
    expect(told).toMatchObject({ kind: 'assigned', summary: 'Secretariat assigned a thread to you, due 2020-01-31', excerpt: 'Is two years realistic?', threadId: thread.id });

    const mine = await apiOk(server.url, ana.auth, 'GET', '/api/notifications/assigned');
    expect(mine.threads).toEqual([
      expect.objectContaining({ threadId: thread.id, quote: 'two years', firstComment: 'Is two years realistic?', dueDate: '2020-01-31', overdue: true, path: `/d/${docId}?thread=${thread.id}` }),
    ]);
    expect((await apiOk(server.url, ben.auth, 'GET', '/api/notifications/assigned')).threads).toEqual([]);
    // A reply in the thread reaches the assignee too.
    await reply(ben, thread.id, 'The 2023 text says three.');
    expect((await inbox(ana)).notifications[0]).toMatchObject({ kind: 'reply', threadId: thread.id });

    // Resolving tells everyone in the thread of the decision, and it leaves "Assigned to me".
    await apiOk(server.url, server.owner.auth, 'POST', `${threads()}/${thread.id}/resolve`, { disposition: 'partly-incorporated', reason: 'Three years.' });
    expect((await inbox(ana)).notifications[0]).toMatchObject({ kind: 'decision', summary: 'Owner resolved a thread you are in: Partly incorporated', excerpt: 'Three years.' });
    expect((await inbox(ben)).notifications[0]).toMatchObject({ kind: 'decision' });
    expect((await apiOk(server.url, ana.auth, 'GET', '/api/notifications/assigned')).threads).toEqual([]);
    // A resolved thread is not reassigned.
    expect((await api(server.url, server.owner.auth, 'PUT', path, { assigneeId: ben.user.id, dueDate: null })).status).toBe(409);
  });

  it('clears an assignment', async () => {
    const thread = await startThread(ana, 'publish', 'Publish where?');
    const path = `${threads()}/${thread.id}/assignment`;
    await apiOk(server.url, server.owner.auth, 'PUT', path, { assigneeId: ben.user.id });
    expect((await api(server.url, server.owner.auth, 'PUT', path, { assigneeId: null, dueDate: '2030-01-01' })).status).toBe(400);
    const cleared = await apiOk<ThreadView>(server.url, server.owner.auth, 'PUT', path, { assigneeId: null });
    expect(cleared.assignment).toBeNull();
    expect((await apiOk(server.url, ben.auth, 'GET', '/api/notifications/assigned')).threads).toEqual([]);
  });
});

describe('versions, access and settings', () => {
  it('tells every member but the co-chair who named it about a named version', async () => {
    await apiOk(server.url, server.owner.auth, 'POST', `/api/documents/${docId}/versions`, { name: '2nd Draft', note: '' }, 201);
    for (const person of [ana, ben, observer, secretariat]) {
      expect((await inbox(person)).notifications[0]).toMatchObject({ kind: 'version', summary: 'Owner named a version: 2nd Draft', path: `/d/${docId}` });
    }
    expect(await kindsOf(server.owner)).not.toContain('version');
  });

  it('shows nothing from a group the person left, and nothing about deleted comments', async () => {
    expect((await inbox(observer)).unread).toBeGreaterThan(0);
    await apiOk(server.url, server.owner.auth, 'DELETE', `/api/groups/${server.owner.groupId}/members/${observer.user.id}`, undefined, 204);
    expect(await inbox(observer)).toEqual({ notifications: [], unread: 0 });

    const thread = await startThread(ben, 'adoption', 'Which adoption? @Secretariat', [secretariat.user.id]);
    expect((await inbox(secretariat)).notifications[0]).toMatchObject({ kind: 'mention', threadId: thread.id });
    await apiOk(server.url, ben.auth, 'DELETE', `${threads()}/${thread.id}/comments/${thread.comments[0].id}`, undefined, 204);
    expect((await inbox(secretariat)).notifications.map((n) => n.threadId)).not.toContain(thread.id);
  });

  it('keeps e-mail settings, and says e-mail is not available without SMTP_URL', async () => {
    expect(await apiOk(server.url, ben.auth, 'GET', '/api/notifications/settings')).toEqual({ immediate: true, digest: 'daily', emailOff: false, muted: [], emailAvailable: false });
    expect(await apiOk(server.url, ben.auth, 'PATCH', '/api/notifications/settings', { digest: 'hourly', immediate: false, muted: ['version'] })).toEqual({
      immediate: false,
      digest: 'hourly',
      emailOff: false,
      muted: ['version'],
      emailAvailable: false,
    });
    expect((await api(server.url, ben.auth, 'PATCH', '/api/notifications/settings', { muted: ['everything'] })).status).toBe(400);
    expect((await api(server.url, ben.auth, 'PATCH', '/api/notifications/settings', { digest: 'weekly' })).status).toBe(400);
    // Invite links are not e-mailed either (and nothing is created).
    const invite = await api(server.url, server.owner.auth, 'POST', `/api/groups/${server.owner.groupId}/invites`, { role: 'member', email: 'x@example.org' });
    expect(invite.status).toBe(409);
    expect(invite.body.error.code).toBe('email_unavailable');
  });
});

describe('since your last visit', () => {
  it('says what changed since the person last opened the document: the text, the version to compare from, new threads by others', async () => {
    const visit = () => apiOk(server.url, ana.auth, 'POST', `/api/documents/${docId}/visit`);
    const version = await apiOk(server.url, server.owner.auth, 'POST', `/api/documents/${docId}/versions`, { name: 'Before the meeting', note: '' }, 201);
    await visit();
    // The server noted the visit before it answered: any change stored after this is after it.
    const afterFirst = Date.now();
    // Her own thread is not news to her; Ben's is.
    await startThread(ana, 'Member states', 'Mine.');
    const bens = await startThread(ben, 'strategies', 'Which strategies?');
    appendParagraph(writer.doc, 'A paragraph added after her visit.');
    const changedAfter = async () => Date.parse((await apiOk(server.url, ana.auth, 'GET', `/api/documents/${docId}`)).updatedAt) > afterFirst;
    // The edit reaches the store through the writer's socket.
    while (!(await changedAfter())) await new Promise((resolve) => setTimeout(resolve, 20));

    const second = await visit();
    expect(Date.parse(second.since)).toBeLessThanOrEqual(afterFirst);
    expect(Date.parse(second.since)).toBeGreaterThanOrEqual(Date.parse(version.createdAt));
    expect(second).toMatchObject({ changed: true, compareFrom: { id: version.id, name: 'Before the meeting', kind: 'named' } });
    expect(second.newThreads).toEqual([expect.objectContaining({ id: bens.id, quote: 'strategies', author: expect.objectContaining({ name: 'Ben' }) })]);
    // Right after: nothing new.
    expect(await visit()).toMatchObject({ changed: false, newThreads: [] });
    expect((await api(server.url, observer.auth, 'POST', `/api/documents/${docId}/visit`)).status).toBe(403);
  });
});

describe('priority rounds', () => {
  it('tells who may indicate of a round opened, and reminds those who have not indicated when it closes within a day', async () => {
    const source = await apiOk(server.url, server.owner.auth, 'POST', '/api/sources/import', {
      groupId: server.owner.groupId,
      format: 'text',
      content: 'Proposals\n\n1. Publish strategies.\n\n2. Review them yearly.',
      citeAs: 'Options Paper',
    }, 201);
    const watcher = await addMember(server.url, server.owner.auth, server.owner.groupId, 'observer', 'Watcher');
    const closesAt = new Date(Date.now() + 3 * 3_600_000).toISOString();
    const round = await apiOk(server.url, server.owner.auth, 'POST', `/api/sources/${source.id}/rounds`, { title: 'Which proposals first?', maxChoices: 1, closesAt }, 201);
    expect((await inbox(ana)).notifications[0]).toMatchObject({ kind: 'round', summary: 'Owner opened a priority round: Which proposals first?', path: `/d/${source.id}` });
    // The round does not include observers: nothing for them.
    expect(await kindsOf(watcher)).toEqual([]);

    const paragraphs = (await apiOk(server.url, ben.auth, 'GET', `/api/sources/${source.id}/paragraphs`)).paragraphs;
    await apiOk(server.url, ben.auth, 'PUT', `/api/sources/${source.id}/rounds/${round.id}/indications`, { pids: [paragraphs.at(-1).pid] });
    await server.server.notifications.remindRoundsNow();
    await server.server.notifications.remindRoundsNow();
    const reminders = (await inbox(ana)).notifications.filter((n) => n.kind === 'round-closing');
    expect(reminders).toEqual([expect.objectContaining({ summary: 'A priority round closes soon and you have not indicated yet: Which proposals first?', detail: closesAt })]);
    // Ben indicated; the observer may not; the co-chair who opened it may and has not.
    expect((await kindsOf(ben)).filter((k) => k === 'round-closing')).toEqual([]);
    expect(await kindsOf(watcher)).toEqual([]);
    expect((await kindsOf(server.owner)).filter((k) => k === 'round-closing')).toEqual(['round-closing']);
  });
});
