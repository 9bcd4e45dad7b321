import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol/index';
import { addMember, api, authHeaders, type Auth } from '../helpers/accounts';
import { appendParagraph, connectClient, sleep, waitFor, waitForSync, type TestClient } from '../helpers/clients';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer | null = null;
const clients: TestClient[] = [];

/** A stock client with the owner's token, or `auth`'s. */
function client(docId: string, auth?: Auth): TestClient {
  const c = connectClient(server!, docId, { auth });
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await server?.stop();
  server = null;
});

describe('sync with stock y-websocket clients', () => {
  it('converges several clients editing concurrently', async () => {
    server = await startTestServer();
    const docId = await createDocument(server);
    const editors = [client(docId), client(docId), client(docId), client(docId)];
    await Promise.all(editors.map((c) => waitForSync(c)));

    // Everyone types into the same paragraph at once, at random places.
    appendParagraph(editors[0].doc, 'start');
    await waitFor(() => editors.every((c) => c.text() === 'start'), 10_000, 'first paragraph everywhere');
    for (let round = 0; round < 30; round++) {
      editors.forEach((c, i) => {
        const text = (c.doc.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText;
        text.insert(Math.floor(Math.random() * (text.length + 1)), 'wxyz'[i]);
      });
      if (round % 5 === 0) await sleep(5);
    }
    await waitFor(() => new Set(editors.map((c) => c.text())).size === 1 && editors[0].text().length === 5 + 30 * 4, 10_000, 'convergence');
    const final = editors[0].text();
    for (const letter of 'wxyz') expect(final.split(letter).length - 1).toBe(30);
  });

  it('gives a late joiner the full document, title included', async () => {
    server = await startTestServer();
    const docId = await createDocument(server, 'Contribution to the EGM');
    const writer = client(docId);
    await waitForSync(writer);
    appendParagraph(writer.doc, 'Introduction');
    appendParagraph(writer.doc, 'The Working Group on Strategy welcomes the opportunity.');
    await sleep(100);
    const late = client(docId);
    await waitForSync(late);
    await waitFor(() => late.text() === writer.text());
    expect(late.text()).toBe('Introduction\nThe Working Group on Strategy welcomes the opportunity.');
    expect(late.doc.getMap('meta').get('title')).toBe('Contribution to the EGM');
  });

  it('keeps documents across a server restart and reconnected clients converge', async () => {
    server = await startTestServer();
    const { dataDir, port } = server;
    const docId = await createDocument(server);
    const a = client(docId);
    const b = client(docId);
    await Promise.all([waitForSync(a), waitForSync(b)]);
    appendParagraph(a.doc, 'before restart');
    await waitFor(() => b.text() === 'before restart');

    await server.stop();
    // While the server is down both keep editing locally.
    appendParagraph(a.doc, 'offline edit from A');
    appendParagraph(b.doc, 'offline edit from B');
    server = await startTestServer({ dataDir, port });

    await waitFor(() => a.provider.wsconnected && b.provider.wsconnected, 10_000, 'reconnect');
    await waitFor(() => a.text() === b.text() && a.text().split('\n').length === 3, 10_000, 'convergence after restart');
    expect(a.text()).toContain('offline edit from A');
    expect(a.text()).toContain('offline edit from B');

    // And a brand-new client after another restart reads it all from SQLite.
    for (const c of clients.splice(0)) c.destroy();
    await server.stop();
    server = await startTestServer({ dataDir, port });
    const fresh = client(docId);
    await waitForSync(fresh);
    expect(fresh.text().split('\n').sort()).toEqual(['before restart', 'offline edit from A', 'offline edit from B']);
  });

  it('shows presence: names from awareness, and the home list names who is editing', async () => {
    server = await startTestServer();
    const docId = await createDocument(server);
    // Presence shows account names (whatever a client claims), so each editor has its own account.
    const amrita = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Amrita');
    const jorge = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Jorge');
    const a = client(docId, amrita.auth);
    const b = client(docId, jorge.auth);
    a.provider.awareness.setLocalStateField('user', { name: 'Amrita', color: '#2b6cb0' });
    b.provider.awareness.setLocalStateField('user', { name: 'Jorge', color: '#c05621' });
    await Promise.all([waitForSync(a), waitForSync(b)]);
    const names = (c: TestClient) => [...c.provider.awareness.getStates().values()].map((s) => s.user?.name).filter(Boolean).sort();
    await waitFor(() => names(a).length === 2 && names(b).length === 2, 5000, 'presence');
    expect(names(b)).toEqual(['Amrita', 'Jorge']);

    const list = (await api(server.url, server.owner.auth, 'GET', '/api/documents')).body;
    expect(list.documents[0].activeEditors.map((e: { name: string }) => e.name).sort()).toEqual(['Amrita', 'Jorge']);

    b.destroy();
    await waitFor(() => names(a).length === 1, 5000, 'leaver removed from presence');
    expect(names(a)).toEqual(['Amrita']);
  });

  it('shows a rename through the API live in open editors', async () => {
    server = await startTestServer();
    const docId = await createDocument(server, 'Draft');
    const a = client(docId);
    await waitForSync(a);
    const response = await api(server.url, server.owner.auth, 'PATCH', `/api/documents/${docId}`, { title: '2nd Draft' });
    expect(response.status).toBe(200);
    expect(response.body.title).toBe('2nd Draft');
    await waitFor(() => a.doc.getMap('meta').get('title') === '2nd Draft', 5000, 'live title');

    // A title typed in the editor reaches the document list.
    a.doc.getMap('meta').set('title', 'Version of 29 September');
    let listed = '';
    for (let i = 0; i < 100 && listed !== 'Version of 29 September'; i++) {
      await sleep(20);
      listed = (await api(server.url, server.owner.auth, 'GET', `/api/documents/${docId}`)).body.title;
    }
    expect(listed).toBe('Version of 29 September');
  });

  it('disconnects open editors with "document deleted" when a document is deleted', async () => {
    server = await startTestServer();
    const docId = await createDocument(server);
    const raw = new WebSocket(`${server.collabUrl}/${docId}`, { headers: authHeaders(server.owner.auth) });
    const closed = new Promise<number>((resolve) => raw.on('close', (code) => resolve(code)));
    await new Promise((resolve) => raw.on('open', resolve));
    expect((await api(server.url, server.owner.auth, 'DELETE', `/api/documents/${docId}`)).status).toBe(204);
    expect(await closed).toBe(CloseCode.DocumentDeleted);
    expect((await api(server.url, server.owner.auth, 'GET', `/api/documents/${docId}`)).status).toBe(404);
  });

  it('unloads rooms after the last client leaves, so memory follows open documents only', async () => {
    server = await startTestServer({ env: { ROOM_UNLOAD_GRACE_MS: '50' } });
    const health = async () => (await (await fetch(`${server!.url}/healthz`)).json()) as { rooms: number; peers: number };
    const ids = await Promise.all(Array.from({ length: 20 }, () => createDocument(server!)));
    for (const id of ids) {
      const c = connectClient(server, id);
      await waitForSync(c);
      appendParagraph(c.doc, `content of ${id}`);
      await sleep(20);
      c.destroy();
    }
    let stats = await health();
    for (let i = 0; i < 100 && stats.rooms > 0; i++) {
      await sleep(20);
      stats = await health();
    }
    expect(stats).toEqual({ status: 'ok', rooms: 0, peers: 0, unstoredBytes: 0 });
    // Unloaded documents still open with their content.
    const again = client(ids[7]);
    await waitForSync(again);
    expect(again.text()).toBe(`content of ${ids[7]}`);
  });

  it('keeps a lone editor connected: its awareness renewals are answered', async () => {
    // The stock client drops and reopens its socket after 30 s without any incoming message;
    // alone in a document, the only traffic it gets is the echo of its own awareness renewals.
    server = await startTestServer();
    const docId = await createDocument(server);
    const alone = client(docId);
    await waitForSync(alone);
    const before = alone.provider.wsLastMessageReceived;
    await sleep(20);
    alone.provider.awareness.setLocalStateField('user', { name: 'Chengetai', color: '#276749' });
    await waitFor(() => alone.provider.wsLastMessageReceived > before, 2000, 'awareness echo');
  });

  it('refuses a malformed upgrade path with 400 and stays up', async () => {
    server = await startTestServer();
    const statusOf = (path: string) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(`${server!.collabUrl}/${path}`);
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.on('open', () => resolve(101));
        socket.on('error', () => {});
      });
    expect(await statusOf('%E0%A4%A')).toBe(400);
    expect(await statusOf('..%2F..%2Fetc%2Fpasswd')).toBe(400);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

