/**
 * Comment threads through the HTTP API and the event stream: who may comment, edit, delete,
 * resolve and reopen (crafted requests refused and nothing stored), live fan-out, the
 * comment-resolution report, and that threads survive restarts and leave with their document.
 */
import { initProseMirrorDoc } from '@tiptap/y-tiptap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ThreadView } from '../../shared/api/index';
import { encodeAnchor, type ProsemirrorMapping } from '../../shared/comments/index';
import { getDocumentSchema } from '../../shared/schema/index';
import { addMember, api, apiOk, createGroup, createInvite, signUp, type TestAccount } from '../helpers/accounts';
import { anchorOver } from '../helpers/anchors';
import { appendParagraph, connectClient, sleep, waitFor, waitForSync, type TestClient } from '../helpers/clients';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
let docId: string;
let writer: TestClient;
let member: TestAccount;
let otherMember: TestAccount;
let observer: TestAccount;
let secretariat: TestAccount;
const schema = getDocumentSchema();

const PARAGRAPH = 'The IGF should strengthen its intersessional work and its links to national initiatives.';

const threadsPath = () => `/api/documents/${docId}/threads`;
const listThreads = async (): Promise<ThreadView[]> => (await apiOk(server.url, server.owner.auth, 'GET', threadsPath())).threads;

async function startThread(as: TestAccount, text: string, body = 'A comment'): Promise<ThreadView> {
  return apiOk(server.url, as.auth, 'POST', threadsPath(), { ...anchorOver(writer.doc, text), body }, 201);
}

beforeAll(async () => {
  server = await startTestServer();
  docId = await createDocument(server, 'Response to the Options Paper');
  member = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Amrita');
  otherMember = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Jorge');
  observer = await addMember(server.url, server.owner.auth, server.owner.groupId, 'observer', 'Coalition X');
  secretariat = await addMember(server.url, server.owner.auth, server.owner.groupId, 'secretariat', 'Secretariat');
  writer = connectClient(server, docId);
  await waitForSync(writer);
  appendParagraph(writer.doc, PARAGRAPH);
  await sleep(100);
});

afterAll(async () => {
  writer.destroy();
  await server.stop();
});

describe('starting and discussing threads', () => {
  it('members and observers start threads and reply; the author is always the caller', async () => {
    const thread = await startThread(member, 'intersessional work', 'Which bodies does this cover? @Jorge');
    expect(thread).toMatchObject({ quote: 'intersessional work', status: 'open', author: { id: member.user.id, name: 'Amrita' } });
    expect(thread.comments).toHaveLength(1);

    const reply = await apiOk(server.url, observer.auth, 'POST', `${threadsPath()}/${thread.id}/comments`, { body: 'Dynamic coalitions, for a start.', mentions: [member.user.id] }, 201);
    expect(reply.comments.map((c: { author: { name: string } }) => c.author.name)).toEqual(['Amrita', 'Coalition X']);
    expect(reply.comments[1].mentions).toEqual([expect.objectContaining({ id: member.user.id, name: 'Amrita' })]);

    // Forging the author (or any field the API does not take) is refused, not ignored.
    const forged = await api(server.url, member.auth, 'POST', `${threadsPath()}/${thread.id}/comments`, { body: 'as the co-chair', authorId: server.owner.user.id });
    expect(forged.status).toBe(400);
    const stored = (await listThreads()).find((t) => t.id === thread.id)!;
    expect(stored.comments.map((c) => c.author.id)).toEqual([member.user.id, observer.user.id]);
  });

  it('refuses bad input with 400 naming the field, and mentions of people outside the group', async () => {
    const empty = await api(server.url, member.auth, 'POST', threadsPath(), { ...anchorOver(writer.doc, 'links'), body: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['body']);
    // Truncated bytes, a position pointing nowhere, and not base64 at all.
    const badAnchor = await api(server.url, member.auth, 'POST', threadsPath(), { anchor: { start: '////', end: 'BQ==' }, quote: 'x', body: 'hi' });
    expect(badAnchor.status).toBe(400);
    expect(badAnchor.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['anchor.start']);
    const notBase64 = await api(server.url, member.auth, 'POST', threadsPath(), { anchor: { start: '<script>', end: 'BQ==' }, quote: 'x', body: 'hi' });
    expect(notBase64.status).toBe(400);
    const stranger = await signUp(server.url, { invite: (await createInvite(server.url, server.owner.auth, (await createGroup(server.url, server.owner.auth, 'Elsewhere')).id, 'member')).token });
    const mention = await api(server.url, member.auth, 'POST', threadsPath(), { ...anchorOver(writer.doc, 'links'), body: '@Stranger', mentions: [stranger.user.id] });
    expect(mention.status).toBe(400);
    expect(mention.body.error.fields[0].path).toBe('mentions');
  });

  it('only a comment\u2019s author edits or deletes it; deleting leaves a trace while replies remain', async () => {
    const thread = await startThread(member, 'national initiatives', 'Original wording');
    const path = `${threadsPath()}/${thread.id}/comments`;
    const firstId = thread.comments[0].id;
    expect((await api(server.url, otherMember.auth, 'PATCH', `${path}/${firstId}`, { body: 'Vandalised' })).status).toBe(403);
    expect((await api(server.url, server.owner.auth, 'DELETE', `${path}/${firstId}`)).status).toBe(403);
    const edited = await apiOk(server.url, member.auth, 'PATCH', `${path}/${firstId}`, { body: 'Better wording' });
    expect(edited.comments[0]).toMatchObject({ body: 'Better wording', deleted: false });
    expect(edited.comments[0].editedAt).not.toBeNull();

    const withReply = await apiOk(server.url, otherMember.auth, 'POST', path, { body: 'Agree' }, 201);
    const afterDelete = await apiOk(server.url, member.auth, 'DELETE', `${path}/${firstId}`);
    expect(afterDelete.comments.map((c: { deleted: boolean; body: string }) => [c.deleted, c.body])).toEqual([[true, ''], [false, 'Agree']]);
    // The last live comment takes the thread with it.
    const replyId = withReply.comments[1].id;
    expect((await api(server.url, otherMember.auth, 'DELETE', `${path}/${replyId}`)).status).toBe(204);
    expect((await listThreads()).map((t) => t.id)).not.toContain(thread.id);
  });
});

describe('resolving', () => {
  it('only co-chairs resolve and reopen; refused attempts store nothing', async () => {
    const thread = await startThread(member, 'strengthen', 'Too vague');
    const resolvePath = `${threadsPath()}/${thread.id}/resolve`;
    for (const who of [member, observer, secretariat]) {
      const refused = await api(server.url, who.auth, 'POST', resolvePath, { disposition: 'incorporated' });
      expect(refused.status).toBe(403);
    }
    const untouched = (await listThreads()).find((t) => t.id === thread.id)!;
    expect(untouched).toMatchObject({ status: 'open', resolution: null, events: [] });

    const resolved = await apiOk(server.url, server.owner.auth, 'POST', resolvePath, { disposition: 'partly-incorporated', reason: 'Kept the verb, added examples.' });
    expect(resolved).toMatchObject({ status: 'resolved', resolution: { disposition: 'partly-incorporated', reason: 'Kept the verb, added examples.', by: { id: server.owner.user.id } } });
    expect((await api(server.url, server.owner.auth, 'POST', resolvePath, { disposition: 'incorporated' })).status).toBe(409);
    // A resolved thread takes no more comments until it is reopened.
    expect((await api(server.url, member.auth, 'POST', `${threadsPath()}/${thread.id}/comments`, { body: 'But…' })).status).toBe(409);
    expect((await api(server.url, member.auth, 'POST', `${threadsPath()}/${thread.id}/reopen`)).status).toBe(403);
    const reopened = await apiOk(server.url, server.owner.auth, 'POST', `${threadsPath()}/${thread.id}/reopen`);
    expect(reopened).toMatchObject({ status: 'open', resolution: null });
    expect(reopened.events.map((e: { kind: string }) => e.kind)).toEqual(['resolved', 'reopened']);
  });

  it('rejects an unknown disposition with 400', async () => {
    const thread = await startThread(member, 'its links', 'Hmm');
    const response = await api(server.url, server.owner.auth, 'POST', `${threadsPath()}/${thread.id}/resolve`, { disposition: 'ignored' });
    expect(response.status).toBe(400);
    expect(response.body.error.fields[0].path).toBe('disposition');
  });

  it('a thing written into the shared document cannot resolve or forge threads', async () => {
    const thread = await startThread(member, 'should', 'Soften?');
    const socketClient = connectClient(server, docId, { auth: member.auth });
    await waitForSync(socketClient);
    socketClient.doc.getMap('threads').set(thread.id, { status: 'resolved', by: server.owner.user.id });
    socketClient.doc.getMap('comments').set('forged', { author: server.owner.user.id, body: 'Approved' });
    await sleep(200);
    socketClient.destroy();
    const after = (await listThreads()).find((t) => t.id === thread.id)!;
    expect(after.status).toBe('open');
    expect(after.comments.map((c) => c.body)).toEqual(['Soften?']);
  });
});

describe('other groups', () => {
  it('cannot read, comment on or resolve this document\u2019s threads, nor reach them through their own document', async () => {
    const thread = await startThread(member, 'The IGF', 'Scope?');
    const rivalGroup = await createGroup(server.url, server.owner.auth, 'Rival');
    const rival = await signUp(server.url, { invite: (await createInvite(server.url, server.owner.auth, rivalGroup.id, 'co-chair')).token });
    const rivalDoc = await createDocument(server, 'Rival draft', { auth: rival.auth, groupId: rivalGroup.id });
    expect((await api(server.url, rival.auth, 'GET', threadsPath())).status).toBe(403);
    expect((await api(server.url, rival.auth, 'GET', `/api/documents/${docId}/report`)).status).toBe(403);
    expect((await api(server.url, rival.auth, 'POST', `${threadsPath()}/${thread.id}/resolve`, { disposition: 'out-of-scope' })).status).toBe(403);
    // Their own document's path with this thread's id: no such thread there.
    expect((await api(server.url, rival.auth, 'POST', `/api/documents/${rivalDoc}/threads/${thread.id}/resolve`, { disposition: 'out-of-scope' })).status).toBe(404);
    expect((await api(server.url, rival.auth, 'POST', `/api/documents/${rivalDoc}/threads/${thread.id}/comments`, { body: 'pwned' })).status).toBe(404);
    expect((await listThreads()).find((t) => t.id === thread.id)!.status).toBe('open');
  });
});

describe('live updates', () => {
  it('streams new threads, replies and resolutions to every open client of the document', async () => {
    const received: { event: string; data: ThreadView }[] = [];
    const controller = new AbortController();
    const response = await fetch(`${server.url}/api/documents/${docId}/events`, {
      headers: { authorization: `Bearer ${otherMember.token}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    let buffered = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffered += new TextDecoder().decode(value);
          let end: number;
          while ((end = buffered.indexOf('\n\n')) >= 0) {
            const block = buffered.slice(0, end);
            buffered = buffered.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) received.push({ event, data: JSON.parse(data) });
          }
        }
      } catch {
        // aborted
      }
    })();

    const thread = await startThread(member, 'work and', 'Live?');
    await waitFor(() => received.some((r) => r.event === 'thread' && r.data.id === thread.id), 3_000, 'the new thread');
    await apiOk(server.url, observer.auth, 'POST', `${threadsPath()}/${thread.id}/comments`, { body: 'Seen live' }, 201);
    await waitFor(() => received.some((r) => r.data.comments?.some((c) => c.body === 'Seen live')), 3_000, 'the reply');
    await apiOk(server.url, server.owner.auth, 'POST', `${threadsPath()}/${thread.id}/resolve`, { disposition: 'no-consensus' });
    await waitFor(() => received.some((r) => r.data.id === thread.id && r.data.status === 'resolved'), 3_000, 'the resolution');
    controller.abort();
  });

  it('ends the stream of a person removed from the group', async () => {
    const leaving = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Leaving');
    const response = await fetch(`${server.url}/api/documents/${docId}/events`, { headers: { authorization: `Bearer ${leaving.token}` } });
    const reader = response.body!.getReader();
    await reader.read(); // the retry line
    await apiOk(server.url, server.owner.auth, 'DELETE', `/api/groups/${server.owner.groupId}/members/${leaving.user.id}`, undefined, 204);
    const next = await Promise.race([reader.read(), sleep(1_000).then(() => 'still open' as const)]);
    expect(next).toEqual({ done: true, value: undefined });
  });
});

describe('the comment-resolution report', () => {
  it('lists every thread in document order with quote, text now, discussion and resolution, as JSON and CSV', async () => {
    const docReport = await createDocument(server, 'Report draft');
    const reportWriter = connectClient(server, docReport);
    await waitForSync(reportWriter);
    appendParagraph(reportWriter.doc, 'First paragraph about capacity development.');
    appendParagraph(reportWriter.doc, 'Second paragraph: =HYPERLINK("http://evil.example") formula text.');
    await sleep(100);
    const fragment = reportWriter.doc.getXmlFragment('default');
    const anchor = (text: string) => {
      const { doc, mapping } = initProseMirrorDoc(fragment, schema);
      let from = -1;
      doc.descendants((node, pos) => {
        if (from < 0 && node.isText && node.text!.includes(text)) from = pos + node.text!.indexOf(text);
      });
      return { anchor: encodeAnchor(fragment, mapping as ProsemirrorMapping, from, from + text.length), quote: text };
    };
    const path = `/api/documents/${docReport}/threads`;
    // Started in reverse document order, to see the report reorder them.
    const second = await apiOk(server.url, member.auth, 'POST', path, { ...anchor('=HYPERLINK("http://evil.example")'), body: '=cmd|calc' }, 201);
    const first = await apiOk(server.url, member.auth, 'POST', path, { ...anchor('capacity development'), body: 'Name the programmes.' }, 201);
    await apiOk(server.url, server.owner.auth, 'POST', `${path}/${first.id}/resolve`, { disposition: 'incorporated', reason: 'Listed in footnote 3.' });
    // The anchored text of the second is then deleted: the report says so, and keeps the quote.
    const secondText = (fragment.get(1) as Y.XmlElement).get(0) as Y.XmlText;
    const start = secondText.toString().indexOf('=HYPERLINK');
    secondText.delete(start, '=HYPERLINK("http://evil.example")'.length);
    await sleep(200);

    const report = await apiOk(server.url, observer.auth, 'GET', `/api/documents/${docReport}/report`);
    expect(report).toMatchObject({ title: 'Report draft', groupName: 'Working Group on Strategy' });
    expect(report.threads.map((t: { threadId: string }) => t.threadId)).toEqual([first.id, second.id]);
    expect(report.threads[0]).toMatchObject({
      position: 1,
      quote: 'capacity development',
      currentText: 'capacity development',
      startedBy: 'Amrita',
      status: 'resolved',
      disposition: 'incorporated',
      reason: 'Listed in footnote 3.',
      resolvedBy: 'Owner',
      discussion: [expect.objectContaining({ author: 'Amrita', body: 'Name the programmes.' })],
    });
    expect(report.threads[1]).toMatchObject({ quote: '=HYPERLINK("http://evil.example")', currentText: null, status: 'open' });

    const csv = await fetch(`${server.url}/api/documents/${docReport}/report?format=csv`, { headers: { authorization: `Bearer ${observer.token}` } });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="Report draft - comment resolution.csv"/);
    const text = await csv.text();
    expect(text).toContain('"capacity development"');
    expect(text).toContain('"incorporated","Listed in footnote 3."');
    // Formula-looking cells are neutralised for spreadsheets.
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(text).not.toMatch(/(^|,)"=/m);
    reportWriter.destroy();
  });
});

describe('durability', () => {
  it('keeps threads across a restart, and removes them with their document', async () => {
    const thread = await startThread(member, 'IGF should', 'Keep me');
    const { dataDir, port } = server;
    writer.destroy();
    await server.stop();
    server = await startTestServer({ dataDir, port });
    writer = connectClient(server, docId);
    await waitForSync(writer);
    expect((await listThreads()).find((t) => t.id === thread.id)?.comments[0].body).toBe('Keep me');

    expect((await api(server.url, server.owner.auth, 'DELETE', `/api/documents/${docId}`)).status).toBe(204);
    expect(await server.store.listThreads(docId)).toEqual([]);
  });
});
