/**
 * The collaboration socket enforces accounts and roles on the server, whatever the client does:
 * raw sockets with missing or foreign credentials, an observer's crafted updates, and members
 * whose rights change while their socket is open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol/index';
import { addMember, api, apiOk, createGroup, signUp, type TestAccount } from '../helpers/accounts';
import { appendParagraph, connectClient, docFromStored, fragmentText, sleep, waitFor, waitForSync, type TestClient } from '../helpers/clients';
import { awarenessFrame, closeCodeOf, openSocket, syncStep2Frame, updateFrame } from '../helpers/frames';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
const clients: TestClient[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  for (const socket of sockets) socket.terminate();
  await server.stop();
});

function client(docId: string, account: { auth: TestAccount['auth'] }): TestClient {
  const c = connectClient(server, docId, { auth: account.auth });
  clients.push(c);
  return c;
}

/** A Yjs update that appends a paragraph with `text`, as a crafted client would send it. */
function paragraphUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  appendParagraph(doc, text);
  return Y.encodeStateAsUpdate(doc);
}

async function storedText(docId: string): Promise<string> {
  // Whatever is pending reaches the store within a turn; wait a little so "not stored" is meaningful.
  await sleep(200);
  return fragmentText(docFromStored(await server.store.loadContent(docId)));
}

async function rawSocket(docId: string, account: TestAccount): Promise<WebSocket> {
  const result = await openSocket(`${server.collabUrl}/${docId}`, { auth: account.auth });
  if (result.status !== 'open') throw new Error(`upgrade refused: ${result.status}`);
  sockets.push(result.socket);
  return result.socket;
}

describe('opening a socket', () => {
  it('refuses an upgrade without a cookie or token (401) before loading the document', async () => {
    const docId = await createDocument(server, 'Not for strangers');
    expect(server.server.registry.peek(docId)).toBeUndefined();
    expect((await openSocket(`${server.collabUrl}/${docId}`)).status).toBe(401);
    expect((await openSocket(`${server.collabUrl}/${docId}`, { auth: { token: 'cpat_made-up' } })).status).toBe(401);
    expect((await openSocket(`${server.collabUrl}/${docId}`, { auth: { cookie: 'concord_session=cs_made-up' } })).status).toBe(401);
    expect(server.server.registry.peek(docId)).toBeUndefined();
  });

  it('refuses a foreign Origin even with a valid session cookie (cross-site websocket hijacking)', async () => {
    const docId = await createDocument(server, 'Hijack target');
    const cookieAuth = { cookie: server.owner.cookie };
    expect((await openSocket(`${server.collabUrl}/${docId}`, { auth: cookieAuth, origin: 'https://evil.example' })).status).toBe(403);
    expect((await openSocket(`${server.collabUrl}/${docId}`, { auth: cookieAuth, origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect(server.server.registry.peek(docId)).toBeUndefined();
    // The app's own origin, with the same cookie, is let in.
    const own = await openSocket(`${server.collabUrl}/${docId}`, { auth: cookieAuth, origin: server.url });
    expect(own.status).toBe('open');
    own.socket?.close();
  });

  it('lets a script in with a bearer token, and refuses a member of another group guessing the id (403)', async () => {
    const docId = await createDocument(server, 'Group A draft');
    const withToken = await openSocket(`${server.collabUrl}/${docId}`, { auth: server.owner.auth });
    expect(withToken.status).toBe('open');
    withToken.socket?.close();

    const outsider = await signUp(server.url, { invite: (await apiOk(server.url, server.owner.auth, 'POST', `/api/groups/${(await createGroup(server.url, server.owner.auth, 'Group B')).id}/invites`, { role: 'co-chair' }, 201)).token });
    expect((await openSocket(`${server.collabUrl}/${docId}`, { auth: outsider.auth })).status).toBe(403);
    expect((await openSocket(`${server.collabUrl}/${docId}`, { auth: { cookie: outsider.cookie } })).status).toBe(403);
    expect((await api(server.url, outsider.auth, 'GET', `/api/documents/${docId}`)).status).toBe(403);
    // Unknown ids are 404 for a signed-in person, 401 for anyone else (existence is not revealed).
    expect((await openSocket(`${server.collabUrl}/AAAAAAAAAAAAAAAA`, { auth: outsider.auth })).status).toBe(404);
    expect((await openSocket(`${server.collabUrl}/AAAAAAAAAAAAAAAA`)).status).toBe(401);
  });
});

describe('an observer', () => {
  it('has crafted updates and sync step 2s dropped: not applied, stored or broadcast', async () => {
    const docId = await createDocument(server, 'Observed draft');
    const member = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Member');
    const observer = await addMember(server.url, server.owner.auth, server.owner.groupId, 'observer', 'Observer');
    const editor = client(docId, member);
    await waitForSync(editor);
    appendParagraph(editor.doc, 'text by the member');

    const raw = await rawSocket(docId, observer);
    const received: Buffer[] = [];
    raw.on('message', (data: Buffer) => received.push(data));
    const forged = paragraphUpdate('FORGED BY OBSERVER');
    raw.send(updateFrame(forged));
    raw.send(syncStep2Frame(paragraphUpdate('FORGED STEP 2')));
    await sleep(300);

    // The socket stays open (a stock observer client sends a step 2 legitimately) but nothing landed.
    expect(raw.readyState).toBe(raw.OPEN);
    expect(editor.text()).toBe('text by the member');
    expect(await storedText(docId)).toBe('text by the member');
    const roomText = fragmentText(server.server.registry.peek(docId)!.doc);
    expect(roomText).toBe('text by the member');
    // Nothing came back to anyone carrying the forged bytes.
    expect(received.some((frame) => Buffer.from(frame).includes(Buffer.from('FORGED')))).toBe(false);

    // The member's edits still flow, to the observer too.
    appendParagraph(editor.doc, 'second paragraph');
    await waitFor(() => received.some((frame) => Buffer.from(frame).includes(Buffer.from('second paragraph'))), 5_000, 'observer to receive the edit');
  });

  it('with a stock client, reads live but its local typing reaches nobody', async () => {
    const docId = await createDocument(server, 'Live for observers');
    const member = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member');
    const observer = await addMember(server.url, server.owner.auth, server.owner.groupId, 'observer');
    const writer = client(docId, member);
    const reader = client(docId, observer);
    await Promise.all([waitForSync(writer), waitForSync(reader)]);
    appendParagraph(writer.doc, 'seen live');
    await waitFor(() => reader.text() === 'seen live', 5_000, 'observer to see the edit');
    appendParagraph(reader.doc, 'typed by the observer');
    appendParagraph(writer.doc, 'after');
    await waitFor(() => reader.text().includes('after'), 5_000, 'observer to keep receiving');
    expect(writer.text()).toBe('seen live\nafter');
    expect(await storedText(docId)).toBe('seen live\nafter');
  });

  it('appears in presence under its account name, whatever name it claims, as viewing and not among who is editing', async () => {
    const docId = await createDocument(server, 'Presence');
    const member = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Real Member');
    const observer = await addMember(server.url, server.owner.auth, server.owner.groupId, 'observer', 'Dynamic Coalition X');
    const watcher = client(docId, member);
    await waitForSync(watcher);
    const raw = await rawSocket(docId, observer);
    raw.send(awarenessFrame(424_242, 1, { user: { name: 'Co-chair (official)', color: '#000000' } }));
    const userOf = (id: number) => (watcher.provider.awareness.getStates().get(id) as { user?: { name: string; color: string } } | undefined)?.user;
    await waitFor(() => userOf(424_242) !== undefined, 5_000, 'the raw socket\u2019s presence');
    expect(userOf(424_242)?.name).toBe('Dynamic Coalition X');
    expect(userOf(424_242)?.color).toBe(observer.user.color);
    const summary = await apiOk(server.url, member.auth, 'GET', `/api/documents/${docId}`);
    // Shown as viewing, and never among who is editing (home page, document list).
    expect((watcher.provider.awareness.getStates().get(424_242) as { user?: { viewing?: boolean } }).user?.viewing).toBe(true);
    expect(summary.activeEditors.map((e: { name: string }) => e.name)).not.toContain('Dynamic Coalition X');
    expect(summary.activeEditors.map((e: { name: string }) => e.name)).not.toContain('Co-chair (official)');
  });
  it('is listed once among who is editing, however many tabs a person has open', async () => {
    const docId = await createDocument(server, 'Two tabs');
    const member = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Two Tabs');
    const tabs = [client(docId, member), client(docId, member), client(docId, server.owner)];
    for (const tab of tabs) tab.provider.awareness.setLocalStateField('user', { name: 'whatever', color: '#123456' });
    await Promise.all(tabs.map((tab) => waitForSync(tab)));
    await waitFor(() => tabs[2].provider.awareness.getStates().size === 3, 5_000, 'three presences');
    const summary = await apiOk(server.url, member.auth, 'GET', `/api/documents/${docId}`);
    expect(summary.activeEditors.map((e: { name: string }) => e.name).sort()).toEqual(['Owner', 'Two Tabs']);
  });
});

describe('rights that change while a socket is open', () => {
  it('a removed member\u2019s open socket is closed (4403) at once and its writes are not applied', async () => {
    const docId = await createDocument(server, 'Removal');
    const member = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Leaving');
    const raw = await rawSocket(docId, member);
    raw.send(updateFrame(paragraphUpdate('before removal')));
    await waitFor(() => fragmentText(server.server.registry.peek(docId)!.doc) === 'before removal', 5_000, 'member edit');

    const closed = closeCodeOf(raw, 1_000);
    const removed = api(server.url, server.owner.auth, 'DELETE', `/api/groups/${server.owner.groupId}/members/${member.user.id}`);
    // Sent while the removal is under way: applied before it, or dropped after it, never after.
    raw.send(updateFrame(paragraphUpdate('racing the removal')));
    expect((await removed).status).toBe(204);
    raw.send(updateFrame(paragraphUpdate('after removal')));
    expect(await closed).toBe(CloseCode.AccessRevoked);
    expect(await storedText(docId)).not.toContain('after removal');
    expect((await openSocket(`${server.collabUrl}/${docId}`, { auth: member.auth })).status).toBe(403);
  });

  it('a member demoted to observer is closed with 4009, reconnects, and can no longer write', async () => {
    const docId = await createDocument(server, 'Demotion');
    const member = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Demoted');
    const watcher = client(docId, server.owner);
    const demoted = client(docId, member);
    await Promise.all([waitForSync(watcher), waitForSync(demoted)]);
    const closeCodes: number[] = [];
    demoted.provider.on('connection-close', (event: CloseEvent | null) => event && closeCodes.push(event.code));
    appendParagraph(demoted.doc, 'written as member');
    await waitFor(() => watcher.text() === 'written as member', 5_000, 'member edit to arrive');

    const started = Date.now();
    await apiOk(server.url, server.owner.auth, 'PATCH', `/api/groups/${server.owner.groupId}/members/${member.user.id}`, { role: 'observer' });
    await waitFor(() => closeCodes.includes(CloseCode.RoleChanged), 1_000, 'the socket to be closed with 4009');
    expect(Date.now() - started).toBeLessThan(1_000);
    // The stock client reconnects by itself, now as an observer: it reads, but cannot write.
    await waitFor(() => demoted.provider.wsconnected && demoted.provider.synced, 5_000, 'reconnect');
    appendParagraph(demoted.doc, 'written as observer');
    appendParagraph(watcher.doc, 'co-chair continues');
    await waitFor(() => demoted.text().includes('co-chair continues'), 5_000, 'observer to read on');
    expect(watcher.text()).toBe('written as member\nco-chair continues');
    expect(await storedText(docId)).toBe('written as member\nco-chair continues');
  });

  it('revoking a token closes the sockets opened with it (4401) and refuses it from then on', async () => {
    const docId = await createDocument(server, 'Bot');
    const bot = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Bot owner');
    const raw = await rawSocket(docId, bot);
    const tokens = await apiOk(server.url, { cookie: bot.cookie }, 'GET', '/api/tokens');
    const closed = closeCodeOf(raw, 1_000);
    expect((await api(server.url, { cookie: bot.cookie }, 'DELETE', `/api/tokens/${tokens.tokens[0].id}`)).status).toBe(204);
    expect(await closed).toBe(CloseCode.Unauthenticated);
    expect((await openSocket(`${server.collabUrl}/${docId}`, { auth: bot.auth })).status).toBe(401);
    expect((await api(server.url, bot.auth, 'GET', '/api/groups')).status).toBe(401);
  });

  it('signing out closes that session\u2019s sockets (4401)', async () => {
    const docId = await createDocument(server, 'Sign-out');
    const person = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member');
    const result = await openSocket(`${server.collabUrl}/${docId}`, { auth: { cookie: person.cookie }, origin: server.url });
    if (result.status !== 'open') throw new Error(`refused ${result.status}`);
    sockets.push(result.socket);
    const closed = closeCodeOf(result.socket, 1_000);
    expect((await api(server.url, { cookie: person.cookie }, 'POST', '/api/auth/signout')).status).toBe(204);
    expect(await closed).toBe(CloseCode.Unauthenticated);
    expect((await api(server.url, { cookie: person.cookie }, 'GET', '/api/groups')).status).toBe(401);
  });
});
