/**
 * Redline PDFs of comparisons through the API with a real server: a member writes a draft through
 * a real collaboration client, the co-chair names versions, the member inserts and deletes
 * words; the redline is read back with pdfjs: its title, who changed what, the inserted and
 * deleted words, hostile text shown literally; who may download it. Page 1 is written to
 * test-artifacts/export/redline-1.png (and redline-drafts-1.png) to look at.
 */
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Comparison, VersionSummary } from '../../shared/api/index';
import { getDocumentSchema } from '../../shared/schema/index';
import { addMember, apiOk, authHeaders, createGroup, createInvite, signUp, type Auth, type TestAccount } from '../helpers/accounts';
import { appendParagraph, connectClient, fragmentText, sleep, waitFor, waitForSync, type TestClient } from '../helpers/clients';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';
import { readPdf, saveArtifacts, squash, textLines, textStreams, type PdfContent } from './support';

const HOSTILE = '#read("/etc/passwd") $x^2$ ] [#set page(width: 1cm)] \\ back\\slash #{1+1} <label> @ref';

let server: TestServer;
let member: TestAccount;
let observer: TestAccount;
let outsider: TestAccount;
let docId: string;
let firstDraft: VersionSummary;
let secondDraft: VersionSummary;
const clients: TestClient[] = [];

const text = (value: string) => ({ type: 'text', text: value });
const paragraph = (value: string) => ({ type: 'paragraph', content: [text(value)] });
const cell = (type: 'tableCell' | 'tableHeader', value: string) => ({ type, content: [paragraph(value)] });

const DRAFT = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 1 }, content: [text('Introduction')] },
    paragraph('The IGF should strengthen its work with national and regional initiatives.'),
    { type: 'bulletList', content: [{ type: 'listItem', content: [paragraph('Capacity building for newcomers')] }] },
    {
      type: 'table',
      content: [
        { type: 'tableRow', content: [cell('tableHeader', 'Action'), cell('tableHeader', 'Owner')] },
        { type: 'tableRow', content: [cell('tableCell', 'Support'), cell('tableCell', 'Secretariat')] },
      ],
    },
  ],
};

async function settled(c: TestClient): Promise<void> {
  await waitFor(() => {
    const room = server.server.registry.peek(docId);
    return room !== undefined && fragmentText(room.doc) === c.text();
  }, 10_000, 'the server to have the edits');
  await server.server.registry.peek(docId)!.flush();
  await sleep(30);
}

function textOf(c: TestClient, ...path: number[]): Y.XmlText {
  let node: Y.XmlElement | Y.XmlFragment = c.doc.getXmlFragment('default');
  for (const index of path) node = (node as Y.XmlElement).get(index) as Y.XmlElement;
  return node as unknown as Y.XmlText;
}

const nameVersion = (name: string): Promise<VersionSummary> =>
  apiOk(server.url, server.owner.auth, 'POST', `/api/documents/${docId}/versions`, { name }, 201);

async function redline(auth: Auth, query: Record<string, string>): Promise<{ status: number; headers: Headers; pdf: Buffer; error?: { code: string } }> {
  const response = await fetch(`${server.url}/api/documents/${docId}/compare.pdf?${new URLSearchParams(query)}`, { headers: authHeaders(auth) });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.headers.get('content-type')?.startsWith('application/json')) return { status: response.status, headers: response.headers, pdf: body, error: JSON.parse(body.toString()).error };
  return { status: response.status, headers: response.headers, pdf: body };
}

beforeAll(async () => {
  server = await startTestServer();
  member = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Amrita Choudhury');
  observer = await addMember(server.url, server.owner.auth, server.owner.groupId, 'observer', 'Olu Observer');
  outsider = await signUp(server.url, {
    invite: (await createInvite(server.url, server.owner.auth, (await createGroup(server.url, server.owner.auth, 'Elsewhere')).id, 'member')).token,
  });
  docId = await createDocument(server, 'Strategy paper');

  const amrita = connectClient(server, docId, { auth: member.auth });
  clients.push(amrita);
  await waitForSync(amrita);
  appendParagraph(amrita.doc, 'Placeholder.');
  await settled(amrita);
  firstDraft = await nameVersion('1st Draft');

  // The member writes the draft.
  amrita.doc.transact(() => {
    const fragment = amrita.doc.getXmlFragment('default');
    fragment.delete(0, fragment.length);
    prosemirrorJSONToYXmlFragment(getDocumentSchema(), DRAFT, fragment);
  });
  await settled(amrita);
  secondDraft = await nameVersion('2nd Draft');

  // Then inserts and deletes words, changes a heading and a table cell, adds hostile text.
  const heading = textOf(amrita, 0, 0);
  heading.insert(heading.length, ' and scope');
  const first = textOf(amrita, 1, 0);
  first.delete(first.toString().indexOf('strengthen '), 'strengthen '.length);
  first.insert(first.toString().indexOf('its work'), 'deepen ');
  first.delete(first.toString().indexOf(' and regional'), ' and regional'.length);
  const support = textOf(amrita, 3, 1, 0, 0, 0);
  support.delete(0, support.length);
  support.insert(0, 'Concern');
  appendParagraph(amrita.doc, HOSTILE);
  await settled(amrita);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.stop();
});

/** The line of the summary table for a person: "AC Amrita Choudhury 9 3" → [added, removed]. */
function summaryRow(content: PdfContent, name: string): [number, number] | null {
  const line = textLines(content).find((l) => l.page === 1 && squash(l.text).includes(squash(name)));
  const spaced = line?.runs.map((r) => r.str).join(' ').replace(/\s+/g, ' ') ?? '';
  const match = new RegExp(`${name.replace(/ /g, '\\s*')}\\s*(\\d+)\\s+(\\d+)`).exec(spaced);
  return match ? [Number(match[1]), Number(match[2])] : null;
}

describe('redline PDF of a comparison', () => {
  it('shows changes since 2nd Draft: title, who changed what, inserted and deleted words, hostile text literally', async () => {
    const response = await redline(server.owner.auth, { from: secondDraft.id, to: 'current' });
    expect(response.error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(decodeURIComponent(response.headers.get('content-disposition') ?? '')).toContain(`filename*=UTF-8''Strategy paper - changes since 2nd Draft.pdf`);
    saveArtifacts('redline', response.pdf, 1);

    const content = await readPdf(response.pdf);
    expect(content.info.Title).toBe('Strategy paper — changes since 2nd Draft');
    expect(content.info.Author).toBe('Working Group on Strategy');
    expect(content.isTagged).toBe(true);
    const { margins } = textStreams(content);
    // Everything on the pages, in reading order (the authors' initials are set small).
    const body = squash(content.runs.map((run) => run.str).join(''));

    // Title block: group, title, the two versions.
    expect(body).toContain(squash('WORKING GROUP ON STRATEGY'));
    expect(body).toContain(squash('Strategy paper'));
    expect(body).toContain(squash('changes since 2nd Draft'));
    expect(body).toContain(squash('2nd Draft'));
    expect(body).toContain(squash('Current text'));

    // Who changed what: the member, with the counts the comparison gives.
    const comparison = await apiOk<Comparison>(server.url, server.owner.auth, 'GET', `/api/documents/${docId}/compare?from=${secondDraft.id}&to=current`);
    const mine = comparison.summary.find((row) => row.person?.name === 'Amrita Choudhury')!;
    expect(mine.wordsAdded).toBeGreaterThan(0);
    expect(mine.wordsRemoved).toBeGreaterThan(0);
    expect(summaryRow(content, 'Amrita Choudhury')).toEqual([mine.wordsAdded, mine.wordsRemoved]);

    // The text, in order, inserted and deleted words both there, each change marked "AC".
    expect(body).toContain('strengthen');
    expect(body).toContain('deepen');
    const order = ['Introduction', 'and scope', 'The IGF should', 'its work with national', 'and regional', 'initiatives.', 'Capacity building', 'Action', 'Owner', 'Secretariat'];
    let cursor = 0;
    for (const piece of order) {
      const at = body.indexOf(squash(piece), cursor);
      expect(at, `${piece} after position ${cursor}`).toBeGreaterThanOrEqual(0);
      cursor = at + squash(piece).length;
    }
    expect(body).toContain(squash('and scopeAC'));
    // The cell's old and new word (in either order), then the initials once: one person changed both.
    expect(body).toMatch(/(ConcernSupport|SupportConcern)AC/);

    // Hostile text is text: shown as typed, nothing read or run.
    expect(body).toContain(squash(HOSTILE));
    expect(body).not.toContain('root:x:0');
    expect(content.pageHeight).toBeGreaterThan(700);

    // Page numbers n / N.
    expect(squash(margins)).toContain(`1/${content.pages}`);

  });

  it('names both versions when comparing two, whichever way they are given', async () => {
    for (const query of [
      { from: firstDraft.id, to: secondDraft.id },
      { from: secondDraft.id, to: firstDraft.id },
    ]) {
      const response = await redline(member.auth, query);
      expect(response.status).toBe(200);
      if (query.from === firstDraft.id) saveArtifacts('redline-drafts', response.pdf, 1);
      const content = await readPdf(response.pdf);
      expect(content.info.Title).toBe('Strategy paper — changes from 1st Draft to 2nd Draft');
      const body = squash(content.runs.map((run) => run.str).join(''));
      expect(body).toContain(squash('changes from 1st Draft to 2nd Draft'));
      // The member wrote the whole draft between the two: all of it inserted, the placeholder gone.
      expect(body).toContain(squash('Placeholder.'));
      expect(body).toContain(squash('strengthen its work with national and regional initiatives.'));
      expect(body).not.toContain(squash('deepen'));
      expect(summaryRow(content, 'Amrita Choudhury')?.[0]).toBeGreaterThan(10);
    }
  });

  it('observers may download it; people outside the group may not; unknown versions are 404', async () => {
    const byObserver = await redline(observer.auth, { from: secondDraft.id });
    expect(byObserver.status).toBe(200);
    expect(byObserver.pdf.subarray(0, 5).toString()).toBe('%PDF-');

    const refused = await redline(outsider.auth, { from: secondDraft.id, to: 'current' });
    expect(refused.status).toBe(403);
    expect(refused.pdf.subarray(0, 5).toString()).not.toBe('%PDF-');

    const unknown = await redline(server.owner.auth, { from: 'AAAAAAAAAAAAAAAA', to: 'current' });
    expect(unknown.status).toBe(404);
    expect(unknown.error?.code).toBe('not_found');

    const bad = await redline(server.owner.auth, { from: 'nope' });
    expect(bad.status).toBe(400);
  });
});
