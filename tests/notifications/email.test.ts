/**
 * Notification e-mail through a real SMTP server in the test process: a mention's message at once
 * (plain text first, short HTML, group, document, quote, link, unsubscribe link), digests grouped
 * by group and document, an observer's digest without what they can no longer read, the
 * unsubscribe link (no sign-in), retries after the SMTP server refused, failures recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadView } from '../../shared/api/index';
import { addMember, apiOk, createGroup, createInvite, type Auth, type TestAccount } from '../helpers/accounts';
import { anchorOver } from '../helpers/anchors';
import { appendParagraph, connectClient, waitForSync, type TestClient } from '../helpers/clients';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp';

let smtp: TestSmtp;
let server: TestServer;
let docId: string;
let writer: TestClient;
let ana: TestAccount;
let ben: TestAccount;
let observer: TestAccount;

const threads = (doc = docId) => `/api/documents/${doc}/threads`;
async function startThread(as: { auth: Auth }, text: string, body: string, mentions: string[] = [], doc = docId, client = writer): Promise<ThreadView> {
  return apiOk(server.url, as.auth, 'POST', threads(doc), { ...anchorOver(client.doc, text), body, mentions }, 201);
}
const reply = (as: { auth: Auth }, threadId: string, body: string, doc = docId, mentions: string[] = []) =>
  apiOk<ThreadView>(server.url, as.auth, 'POST', `${threads(doc)}/${threadId}/comments`, { body, mentions }, 201);
const deliveriesOf = (account: TestAccount) => server.store.listEmailDeliveries(account.user.id);

/** Resolves once `check` holds (the queue's state is in the store; the sender works on its own). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
const lastDelivery = async (account: TestAccount) => (await deliveriesOf(account)).at(-1)!;

beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startTestServer({ env: { SMTP_URL: smtp.url, EMAIL_RETRY_BASE_MS: '20', EMAIL_MAX_ATTEMPTS: '3', EMAIL_FROM: 'Concord <concord@example.org>' } });
  docId = await createDocument(server, 'Draft Resolution on Data Flows');
  ana = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Ana Lima');
  ben = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Ben Okafor');
  observer = await addMember(server.url, server.owner.auth, server.owner.groupId, 'observer', 'Observer Org');
  writer = connectClient(server, docId);
  await waitForSync(writer);
  appendParagraph(writer.doc, 'Cross-border data flows should be governed by trust and shared principles.');
});

afterAll(async () => {
  writer.destroy();
  await server.stop();
  await smtp.close();
});

describe('immediate messages', () => {
  it('e-mails a mention at once: plain text first with a short HTML part, group, document, quote, link and unsubscribe link', async () => {
    const before = smtp.messages.length;
    const thread = await startThread(ana, 'trust and shared principles', 'Can we name the principles here? @Ben Okafor', [ben.user.id]);
    const [message] = (await smtp.waitForMessages(before + 1)).slice(before);
    expect(message.to).toEqual([ben.user.email]);
    expect(message.subject).toBe('[Working Group on Strategy] Ana Lima mentioned you in “Draft Resolution on Data Flows”');
    const link = `${server.server.publicOrigin}/d/${docId}?thread=${thread.id}`;
    expect(message.text).toContain('Ana Lima mentioned you in “Draft Resolution on Data Flows” (Working Group on Strategy):');
    expect(message.text).toContain('> Can we name the principles here? @Ben Okafor');
    expect(message.text).toContain(`Open it: ${link}`);
    expect(message.html).toContain(`href="${link.replace('&', '&amp;')}"`);
    expect(message.html.length).toBeLessThan(2000);
    const unsubscribe = /Stop all e-mail from Concord: (\S+)/.exec(message.text)![1];
    expect(unsubscribe).toMatch(new RegExp(`^${server.server.publicOrigin}/unsubscribe/${ben.user.id}\\.[A-Za-z0-9_-]{43}$`));
    expect(message.rawHeaders).toContain(`List-Unsubscribe: <${unsubscribe}>`);
    expect(message.rawHeaders).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(message.rawHeaders).toContain('From: Concord <concord@example.org>');
    // Plain text first, then the HTML part.
    expect(message.rawHeaders).toMatch(/Content-Type: multipart\/alternative/);
    const [delivery] = (await deliveriesOf(ben)).filter((d) => d.kind === 'immediate');
    expect(message.messageId).toBe(`<${delivery.id}@${new URL(server.server.publicOrigin).hostname}>`);
    await eventually(async () => (await lastDelivery(ben)).state === 'sent', 'the delivery to be recorded as sent');
    expect(await lastDelivery(ben)).toMatchObject({ id: delivery.id, attempts: 1 });
    // The writer gets nothing about their own comment.
    expect(smtp.messages.some((m) => m.to.includes(ana.user.email))).toBe(false);
  });

  it('retries after the SMTP server refused, and records a failure after the last attempt', async () => {
    const before = smtp.messages.length;
    smtp.refuse(1, 451, 'greylisted, try again later');
    await startThread(ben, 'Cross-border', 'Is "cross-border" the agreed term? @Ana Lima', [ana.user.id]);
    const [message] = (await smtp.waitForMessages(before + 1)).slice(before);
    expect(message.to).toEqual([ana.user.email]);
    await eventually(async () => (await lastDelivery(ana)).state === 'sent', 'the retried delivery to be recorded as sent');
    const sent = await lastDelivery(ana);
    expect(sent).toMatchObject({ attempts: 2 });
    // What went wrong on the way stays recorded.
    expect(sent.lastError).toMatch(/451.*greylisted/);
    expect(smtp.messages.filter((m) => m.messageId === message.messageId)).toHaveLength(1);

    // Three refusals (EMAIL_MAX_ATTEMPTS=3): recorded as failed, not sent again.
    smtp.refuse(3, 550, 'no such mailbox');
    const refusedBefore = smtp.refused;
    await startThread(ben, 'data flows', 'And "data flows"? @Ana Lima', [ana.user.id]);
    await eventually(async () => (await lastDelivery(ana)).state === 'failed', 'the delivery to be recorded as failed');
    const failed = await lastDelivery(ana);
    expect(failed).toMatchObject({ state: 'failed', attempts: 3 });
    expect(failed.lastError).toMatch(/550.*no such mailbox/);
    expect(smtp.refused - refusedBefore).toBe(3);
  });
});

describe('digests', () => {
  let financeGroup: string;
  let budgetId: string;
  let budgetWriter: TestClient;
  let onDataFlows: ThreadView;
  let onBudget: ThreadView;

  beforeAll(async () => {
    financeGroup = (await createGroup(server.url, server.owner.auth, 'Working Group on Finance')).id;
    for (const [person, role] of [[ben, 'member'], [observer, 'observer']] as const) {
      await apiOk(server.url, person.auth, 'POST', `/api/invites/${(await createInvite(server.url, server.owner.auth, financeGroup, role)).token}/accept`);
    }
    budgetId = await createDocument(server, 'Budget Lines 2027', { auth: server.owner.auth, groupId: financeGroup });
    budgetWriter = connectClient(server, budgetId);
    await waitForSync(budgetWriter);
    appendParagraph(budgetWriter.doc, 'The secretariat budget grows by two per cent a year.');
  });
  afterAll(() => budgetWriter.destroy());

  it('gathers everything but mentions and assignments into one digest per person, grouped by group and document', async () => {
    await apiOk(server.url, ben.auth, 'PATCH', '/api/notifications/settings', { digest: 'hourly' });
    onDataFlows = await startThread(ben, 'governed by trust', 'Trust between whom?');
    onBudget = await startThread(ben, 'two per cent', 'Before or after inflation?', [], budgetId, budgetWriter);
    await reply(observer, onDataFlows.id, 'Between states and the people whose data flows.');
    await reply(observer, onBudget.id, 'After, I think.', budgetId);
    await reply(ana, onDataFlows.id, 'Between the parties to the agreement.');
    await apiOk(server.url, server.owner.auth, 'POST', `/api/documents/${docId}/versions`, { name: '3rd Draft', note: '' }, 201);
    await reply(server.owner, onBudget.id, 'After inflation.', budgetId);
    const hourly = (await deliveriesOf(ben)).filter((d) => d.state === 'collecting');
    expect(hourly).toHaveLength(1);
    // Hourly: due at the next full hour.
    expect(hourly[0].dueAt.getTime() % 3_600_000).toBe(0);

    const before = smtp.messages.length;
    expect(await server.server.notifications.sendDigestsNow(ben.user.id)).toBe(1);
    const [digest] = (await smtp.waitForMessages(before + 1)).slice(before);
    expect(digest.to).toEqual([ben.user.email]);
    expect(digest.subject).toBe('Concord digest: 5 updates in Working Group on Strategy, Working Group on Finance');
    const origin = server.server.publicOrigin;
    expect(digest.text.split('--\n')[0].trim().split('\n')).toEqual([
      '5 updates on Concord since your last digest.',
      '',
      'Working Group on Strategy',
      '=========================',
      '',
      '“Draft Resolution on Data Flows”',
      '- Observer Org replied in a thread you are in',
      '  “Between states and the people whose data flows.”',
      `  ${origin}/d/${docId}?thread=${onDataFlows.id}`,
      '- Ana Lima replied in a thread you are in',
      '  “Between the parties to the agreement.”',
      `  ${origin}/d/${docId}?thread=${onDataFlows.id}`,
      '- Owner named a version: 3rd Draft',
      `  ${origin}/d/${docId}`,
      '',
      'Working Group on Finance',
      '========================',
      '',
      '“Budget Lines 2027”',
      '- Observer Org replied in a thread you are in',
      '  “After, I think.”',
      `  ${origin}/d/${budgetId}?thread=${onBudget.id}`,
      '- Owner replied in a thread you are in',
      '  “After inflation.”',
      `  ${origin}/d/${budgetId}?thread=${onBudget.id}`,
    ]);
    expect(digest.html).toContain('<h2 style="font-size:16px">Working Group on Finance</h2>');
    await eventually(async () => (await deliveriesOf(ben)).every((d) => d.state !== 'collecting' && d.state !== 'queued'), 'the digest to be recorded');
  });

  it("leaves out of an observer's digest what they can no longer read: a group they left, a deleted comment", async () => {
    await apiOk(server.url, observer.auth, 'PATCH', '/api/notifications/settings', { immediate: false });
    // Replies in threads the observer is in, in both groups; a mention, then deleted.
    await reply(ana, onDataFlows.id, 'Or between regions.');
    await reply(ben, onBudget.id, 'Confidential figures follow.', budgetId);
    const mention = await startThread(ben, 'Cross-border data', 'Observer Org, see the annex @Observer Org', [observer.user.id]);
    expect((await apiOk(server.url, observer.auth, 'GET', '/api/notifications')).notifications.map((n: { kind: string }) => n.kind).slice(0, 3)).toEqual([
      'mention',
      'reply',
      'reply',
    ]);
    await apiOk(server.url, ben.auth, 'DELETE', `${threads()}/${mention.id}/comments/${mention.comments[0].id}`, undefined, 204);
    await apiOk(server.url, server.owner.auth, 'DELETE', `/api/groups/${financeGroup}/members/${observer.user.id}`, undefined, 204);

    const before = smtp.messages.length;
    await server.server.notifications.sendDigestsNow(observer.user.id);
    const [digest] = (await smtp.waitForMessages(before + 1)).slice(before);
    expect(digest.to).toEqual([observer.user.email]);
    expect(digest.subject).toBe('Concord digest: 3 updates in Working Group on Strategy');
    expect(digest.text).toContain('“Or between regions.”');
    expect(digest.text).toContain('Owner named a version: 3rd Draft');
    for (const unreadable of ['Working Group on Finance', 'Budget Lines', 'Confidential figures', 'After inflation', 'see the annex']) {
      expect(digest.text).not.toContain(unreadable);
      expect(digest.html).not.toContain(unreadable);
    }
  });
});

describe('settings changed while a message waits', () => {
  it('leaves kinds the person muted out of their e-mail (still in the inbox), also from a digest already waiting', async () => {
    await apiOk(server.url, observer.auth, 'PATCH', '/api/notifications/settings', { immediate: true, digest: 'daily' });
    const thread = await startThread(observer, 'trust', 'An observer asks.');
    await reply(ana, thread.id, 'Ana answers.');
    await apiOk(server.url, server.owner.auth, 'POST', `/api/documents/${docId}/versions`, { name: '4th Draft', note: '' }, 201);
    await apiOk(server.url, observer.auth, 'PATCH', '/api/notifications/settings', { muted: ['reply'] });
    const before = smtp.messages.length;
    await server.server.notifications.sendDigestsNow(observer.user.id);
    const [digest] = (await smtp.waitForMessages(before + 1)).slice(before);
    expect(digest.subject).toBe('Concord digest: 1 update in Working Group on Strategy');
    expect(digest.text).toContain('Owner named a version: 4th Draft');
    expect(digest.text).not.toContain('Ana answers.');
    // A muted kind is not queued at all from now on; the inbox has it.
    const queued = (await deliveriesOf(observer)).length;
    await reply(ben, thread.id, 'Ben answers too.');
    expect((await deliveriesOf(observer)).length).toBe(queued);
    expect((await apiOk(server.url, observer.auth, 'GET', '/api/notifications')).notifications[0]).toMatchObject({ kind: 'reply', excerpt: 'Ben answers too.' });
  });

  it('does not send a digest the person turned off meanwhile', async () => {
    await reply(ben, (await startThread(ana, 'shared principles', 'Ana asks.')).id, 'Ben answers.');
    const waiting = (await deliveriesOf(ana)).filter((d) => d.state === 'collecting');
    expect(waiting).toHaveLength(1);
    await apiOk(server.url, ana.auth, 'PATCH', '/api/notifications/settings', { digest: 'off' });
    const before = smtp.messages.length;
    await server.server.notifications.sendDigestsNow(ana.user.id);
    await eventually(async () => (await deliveriesOf(ana)).find((d) => d.id === waiting[0].id)?.state === 'skipped', 'the digest to be skipped');
    expect(smtp.messages.slice(before).filter((m) => m.to.includes(ana.user.email))).toEqual([]);
  });
});

describe('unsubscribing', () => {
  it('stops all e-mail from the link in a message, without signing in; the inbox stays', async () => {
    const toBen = smtp.messages.find((m) => m.to.includes(ben.user.email))!;
    const link = /Stop all e-mail from Concord: (\S+)/.exec(toBen.text)![1];
    // A reply waiting in Ben's digest before he unsubscribes.
    await reply(ana, onThreadOf(toBen), 'One more thought.');

    const page = await fetch(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(ben.user.email);
    expect(html).toContain('<form method="post">');
    // Opening the link changes nothing (mail scanners open links).
    expect((await apiOk(server.url, ben.auth, 'GET', '/api/notifications/settings')).emailOff).toBe(false);

    const tampered = link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await fetch(tampered)).status).toBe(404);
    expect((await fetch(tampered, { method: 'POST' })).status).toBe(404);
    expect((await fetch(link.replace(ben.user.id, ana.user.id))).status).toBe(404);
    expect((await apiOk(server.url, ben.auth, 'GET', '/api/notifications/settings')).emailOff).toBe(false);

    // A mail client's one-click unsubscribe (RFC 8058).
    const stopped = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(stopped.status).toBe(200);
    expect(await stopped.text()).toContain('Concord will send no more e-mail');
    expect(await apiOk(server.url, ben.auth, 'GET', '/api/notifications/settings')).toMatchObject({ emailOff: true, emailAvailable: true });

    // What was waiting is not sent; what comes now is not queued; the inbox has both.
    const messagesBefore = smtp.messages.length;
    await server.server.notifications.sendDigestsNow(ben.user.id);
    await eventually(async () => (await lastDelivery(ben)).state === 'skipped', 'the waiting digest to be skipped');
    const queued = (await deliveriesOf(ben)).length;
    await startThread(ana, 'shared principles', 'One more for you @Ben Okafor', [ben.user.id]);
    expect((await deliveriesOf(ben)).length).toBe(queued);
    expect((await apiOk(server.url, ben.auth, 'GET', '/api/notifications')).notifications[0]).toMatchObject({ kind: 'mention', excerpt: 'One more for you @Ben Okafor' });
    expect(smtp.messages.slice(messagesBefore).filter((m) => m.to.includes(ben.user.email))).toEqual([]);
  });
});

/** The thread a message links to. */
function onThreadOf(message: { text: string }): string {
  return /\?thread=([A-Za-z0-9_-]{16})/.exec(message.text)![1];
}

describe('invites by e-mail', () => {
  it('e-mails an invite link from the app; the link is still given to copy', async () => {
    const before = smtp.messages.length;
    const invite = await apiOk(server.url, server.owner.auth, 'POST', `/api/groups/${server.owner.groupId}/invites`, { role: 'member', email: 'new.person@example.org' }, 201);
    expect(invite).toMatchObject({ emailed: true, path: `/invite/${invite.token}` });
    const [message] = (await smtp.waitForMessages(before + 1)).slice(before);
    expect(message.to).toEqual(['new.person@example.org']);
    expect(message.subject).toBe('Owner invites you to Working Group on Strategy on Concord');
    expect(message.text).toContain(`Accept the invitation: ${server.server.publicOrigin}/invite/${invite.token}`);
    expect(message.text).toContain('as Member');
    expect((await fetch(`${server.url}/api/invites/${invite.token}`)).status).toBe(200);

    // A mail server that refuses: the invite exists, the answer says it was not e-mailed.
    smtp.refuse(1, 550, 'no such mailbox');
    const notSent = await apiOk(server.url, server.owner.auth, 'POST', `/api/groups/${server.owner.groupId}/invites`, { role: 'observer', email: 'nobody@example.org' }, 201);
    expect(notSent.emailed).toBe(false);
    expect((await fetch(`${server.url}/api/invites/${notSent.token}`)).status).toBe(200);
  });
});
