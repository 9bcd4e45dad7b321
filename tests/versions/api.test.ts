/**
 * Version history through the API with real clients: naming (co-chairs only), automatic
 * checkpoints, comparing known edits with who made them, and restoring while others edit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Comparison } from '../../shared/api/index';
import { addMember, api, apiOk, type TestAccount } from '../helpers/accounts';
import { appendParagraph, connectClient, fragmentText, sleep, waitFor, waitForSync, type TestClient } from '../helpers/clients';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
let member: TestAccount;
let secondMember: TestAccount;
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ env: { CHECKPOINT_AFTER_PAUSE_MS: '300' } });
  member = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Amrita');
  secondMember = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Jorge');
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await server.stop();
});

function client(docId: string, account: { auth: TestAccount['auth'] }): TestClient {
  const c = connectClient(server, docId, { auth: account.auth });
  clients.push(c);
  return c;
}

const versionsPath = (docId: string) => `/api/documents/${docId}/versions`;
const nameVersion = (docId: string, name: string) => apiOk(server.url, server.owner.auth, 'POST', versionsPath(docId), { name }, 201);
const compare = (docId: string, from: string, to = 'current'): Promise<Comparison> =>
  apiOk(server.url, member.auth, 'GET', `/api/documents/${docId}/compare?from=${from}&to=${to}`);

/** Waits until the server's copy of the document has the client's text. */
async function settled(docId: string, c: TestClient): Promise<void> {
  await waitFor(() => {
    const room = server.server.registry.peek(docId);
    return room !== undefined && fragmentText(room.doc) === c.text();
  }, 5_000, 'the server to have the edits');
  await sleep(50);
}

function paragraphText(c: TestClient, index: number): Y.XmlText {
  return (c.doc.getXmlFragment('default').get(index) as Y.XmlElement).get(0) as Y.XmlText;
}

function changedRuns(comparison: Comparison) {
  return comparison.blocks.flatMap((block) =>
    block.runs.filter((run) => run.change !== 'same').map((run) => ({ text: run.text, change: run.change, by: run.by?.name ?? null })),
  );
}

describe('naming versions', () => {
  it('co-chairs name versions; members and observers cannot (nothing stored)', async () => {
    const docId = await createDocument(server, 'Named');
    const writer = client(docId, member);
    await waitForSync(writer);
    appendParagraph(writer.doc, 'First draft text.');
    await settled(docId, writer);
    const observer = await addMember(server.url, server.owner.auth, server.owner.groupId, 'observer');
    for (const who of [member, observer]) {
      expect((await api(server.url, who.auth, 'POST', versionsPath(docId), { name: '1st Draft' })).status).toBe(403);
    }
    expect((await api(server.url, server.owner.auth, 'POST', versionsPath(docId), { name: '' })).status).toBe(400);
    const version = await apiOk(server.url, server.owner.auth, 'POST', versionsPath(docId), { name: '1st Draft', note: 'For the call', meetingDate: '2020-09-29' }, 201);
    expect(version).toMatchObject({ kind: 'named', name: '1st Draft', note: 'For the call', meetingDate: '2020-09-29', createdBy: { name: 'Owner' } });
    expect(version.contributors.map((p: { name: string }) => p.name)).toEqual(['Amrita']);
    const listed = await apiOk(server.url, observer.auth, 'GET', versionsPath(docId));
    expect(listed.versions.filter((v: { kind: string }) => v.kind === 'named').map((v: { name: string }) => v.name)).toEqual(['1st Draft']);
    const opened = await apiOk(server.url, observer.auth, 'GET', `${versionsPath(docId)}/${version.id}`);
    expect(JSON.stringify(opened.content)).toContain('First draft text.');
  });

  it('takes a checkpoint by itself after a pause in editing', async () => {
    const docId = await createDocument(server, 'Checkpoints');
    const writer = client(docId, member);
    await waitForSync(writer);
    appendParagraph(writer.doc, 'Typed, then a pause.');
    // The server is started with a 300 ms pause; poll the list for a few seconds.
    let checkpoints: { kind: string; contributors: { name: string }[] }[] = [];
    for (let i = 0; i < 50 && checkpoints.length === 0; i++) {
      await sleep(100);
      checkpoints = (await apiOk(server.url, member.auth, 'GET', versionsPath(docId))).versions.filter((v: { kind: string }) => v.kind === 'checkpoint');
    }
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(checkpoints[0].contributors.map((p) => p.name)).toContain('Amrita');
  });
});

describe('comparing', () => {
  it('shows insertions and deletions inline, attributed, with words per person', async () => {
    const docId = await createDocument(server, 'Compare');
    const amrita = client(docId, member);
    await waitForSync(amrita);
    appendParagraph(amrita.doc, 'The IGF should strengthen its intersessional work.');
    appendParagraph(amrita.doc, 'Paragraph to be moved.');
    appendParagraph(amrita.doc, 'Paragraph to be removed.');
    // A table with one row of two cells.
    const table = new Y.XmlElement('table');
    const row = new Y.XmlElement('tableRow');
    for (const text of ['Proposal V.4', 'Support']) {
      const cell = new Y.XmlElement('tableCell');
      const p = new Y.XmlElement('paragraph');
      const t = new Y.XmlText();
      p.insert(0, [t]);
      t.insert(0, text);
      cell.insert(0, [p]);
      row.push([cell]);
    }
    table.insert(0, [row]);
    amrita.doc.getXmlFragment('default').push([table]);
    await settled(docId, amrita);
    const base = await nameVersion(docId, 'Base');

    const jorge = client(docId, secondMember);
    await waitForSync(jorge);
    // Jorge inserts words, deletes a word and a paragraph, moves a paragraph, changes a table cell.
    const first = paragraphText(jorge, 0);
    first.insert(first.toString().indexOf('work'), 'and national ');
    first.delete(first.toString().indexOf('strengthen '), 'strengthen '.length);
    const fragment = jorge.doc.getXmlFragment('default');
    jorge.doc.transact(() => {
      fragment.delete(2, 1); // "Paragraph to be removed."
      const moved = (fragment.get(1) as Y.XmlElement).clone();
      fragment.delete(1, 1);
      fragment.insert(0, [moved]);
    });
    const cellText = ((((fragment.get(fragment.length - 1) as Y.XmlElement).get(0) as Y.XmlElement).get(1) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    cellText.delete(0, cellText.length);
    cellText.insert(0, 'Concern');
    await settled(docId, jorge);

    const comparison = await compare(docId, base.id);
    expect(comparison.from.id).toBe(base.id);
    expect(comparison.to).toBeNull();
    const runs = changedRuns(comparison);
    expect(runs).toEqual(
      expect.arrayContaining([
        { text: 'and national ', change: 'inserted', by: 'Jorge' },
        { text: 'strengthen ', change: 'deleted', by: 'Jorge' },
        { text: 'Paragraph to be removed.', change: 'deleted', by: 'Jorge' },
        { text: 'Support', change: 'deleted', by: 'Jorge' },
        { text: 'Concern', change: 'inserted', by: 'Jorge' },
      ]),
    );
    // A move is a deletion where it was and an insertion where it is now.
    const moved = comparison.blocks.filter((b) => b.runs.some((r) => r.text === 'Paragraph to be moved.'));
    expect(moved.map((b) => b.change)).toEqual(['inserted', 'deleted']);
    expect(comparison.blocks.find((b) => b.runs.some((r) => r.text === 'Concern'))).toMatchObject({ type: 'paragraph', path: ['table', 'tableRow', 'tableCell'], change: 'changed' });
    expect(comparison.blocks.find((b) => b.runs.some((r) => r.text === 'Paragraph to be removed.'))?.change).toBe('deleted');
    expect(comparison.summary).toEqual([expect.objectContaining({ person: expect.objectContaining({ name: 'Jorge' }), wordsAdded: 2 + 4 + 1, wordsRemoved: 1 + 4 + 4 + 1 })]);
    // Unchanged text is there too, unmarked.
    expect(comparison.blocks[1]).toMatchObject({ change: 'changed' });
    expect(comparison.blocks[1].runs[0]).toMatchObject({ text: 'The IGF should ', change: 'same', by: null });

    // Who did what survives a restart.
    const { dataDir, port } = server;
    for (const c of clients.splice(0)) c.destroy();
    await server.stop();
    server = await startTestServer({ dataDir, port, env: { CHECKPOINT_AFTER_PAUSE_MS: '300' } });
    expect(changedRuns(await compare(docId, base.id))).toEqual(runs);
  });
});

describe('restoring', () => {
  it('makes a version current for everyone, live, while others edit; only co-chairs may', async () => {
    const docId = await createDocument(server, 'Restore');
    const amrita = client(docId, member);
    const jorge = client(docId, secondMember);
    const chair = client(docId, server.owner);
    await Promise.all([amrita, jorge, chair].map((c) => waitForSync(c)));
    appendParagraph(amrita.doc, '2nd Draft paragraph.');
    await settled(docId, amrita);
    const second = await nameVersion(docId, '2nd Draft');
    paragraphText(amrita, 0).insert(0, 'Rewritten: ');
    appendParagraph(jorge.doc, 'Added after the 2nd Draft.');
    await settled(docId, jorge);

    expect((await api(server.url, member.auth, 'POST', `${versionsPath(docId)}/${second.id}/restore`)).status).toBe(403);
    expect(fragmentText(server.server.registry.peek(docId)!.doc)).toBe('Rewritten: 2nd Draft paragraph.\nAdded after the 2nd Draft.');

    // Jorge keeps typing while the co-chair restores.
    const typing = (async () => {
      for (let i = 0; i < 20; i++) {
        appendParagraph(jorge.doc, `typing ${i}`);
        await sleep(5);
      }
    })();
    const restored = await apiOk(server.url, server.owner.auth, 'POST', `${versionsPath(docId)}/${second.id}/restore`);
    await typing;
    expect(restored.checkpoint).toMatchObject({ kind: 'checkpoint', name: 'Before restoring 2nd Draft' });
    await waitFor(() => new Set([amrita, jorge, chair].map((c) => c.text())).size === 1, 5_000, 'every client to converge');
    const text = amrita.text();
    expect(text.startsWith('2nd Draft paragraph.')).toBe(true);
    expect(text).not.toContain('Rewritten');
    expect(text).not.toContain('Added after the 2nd Draft.');
    await settled(docId, amrita);
    expect(fragmentText(server.server.registry.peek(docId)!.doc)).toBe(text);
    // Compared with what was restored, only typing that landed after the restore differs: the
    // restore kept the text both share rather than replacing everything.
    const sinceRestored = changedRuns(await compare(docId, second.id));
    expect(sinceRestored.filter((r) => !/^typing \d+$/.test(r.text))).toEqual([]);
    expect(sinceRestored.every((r) => r.change === 'inserted' && r.by === 'Jorge')).toBe(true);

    // The restore is itself undone by restoring the checkpoint taken before it.
    await apiOk(server.url, server.owner.auth, 'POST', `${versionsPath(docId)}/${restored.checkpoint.id}/restore`);
    await waitFor(() => amrita.text().startsWith('Rewritten: 2nd Draft paragraph.\nAdded after the 2nd Draft.'), 5_000, 'the undo to arrive');
    const checkpointText = JSON.stringify((await apiOk(server.url, member.auth, 'GET', `${versionsPath(docId)}/${restored.checkpoint.id}`)).content);
    expect(checkpointText).toContain('Rewritten: 2nd Draft paragraph.');
  });
});
