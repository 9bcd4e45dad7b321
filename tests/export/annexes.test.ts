/**
 * A finished paper's PDF: the comment-resolution annex (every thread, its discussion and
 * resolution), the participants annex (members and their contributions), and the DRAFT
 * watermark that stays on until a co-chair marks the document final.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentSummary, ThreadView } from '../../shared/api/index';
import { addMember, api, apiOk, type TestAccount } from '../helpers/accounts';
import { anchorOver } from '../helpers/anchors';
import { appendParagraph, connectClient, waitForSync, type TestClient } from '../helpers/clients';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';
import { ARTIFACTS_DIR, exportPdf, readPdf, squash, type PdfContent } from './support';

let server: TestServer;
let docId: string;
let writer: TestClient;
let member: TestAccount;
let observer: TestAccount;
let silent: TestAccount;

const FIRST = 'The IGF should strengthen its intersessional work and its links to national initiatives.';
const SECOND = 'A high-level body would bring political visibility to the Forum.';

const threadsPath = () => `/api/documents/${docId}/threads`;
const startThread = (as: TestAccount, text: string, body: string): Promise<ThreadView> => apiOk(server.url, as.auth, 'POST', threadsPath(), { ...anchorOver(writer.doc, text), body }, 201);

/** The PDF's text, squashed (white space dropped), all pages. */
const allText = (pdf: PdfContent) => squash(pdf.runs.map((r) => r.str).join(''));
const pagesWith = (pdf: PdfContent, text: string) => [...new Set(pdf.runs.filter((r) => squash(r.str).includes(squash(text))).map((r) => r.page))];

beforeAll(async () => {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  server = await startTestServer();
  docId = await createDocument(server, 'Response to the Options Paper');
  member = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Amrita Choudhury');
  observer = await addMember(server.url, server.owner.auth, server.owner.groupId, 'observer', 'Coalition X');
  silent = await addMember(server.url, server.owner.auth, server.owner.groupId, 'secretariat', 'Secretariat Desk');
  writer = connectClient(server, docId, { auth: member.auth });
  await waitForSync(writer);
  appendParagraph(writer.doc, FIRST);
  appendParagraph(writer.doc, SECOND);
  await server.server.registry.peek(docId)?.flush();

  const first = await startThread(member, 'intersessional work', 'Which bodies does this cover?');
  await apiOk(server.url, observer.auth, 'POST', `${threadsPath()}/${first.id}/comments`, { body: 'Dynamic coalitions, for a start.', mentions: [] }, 201);
  await apiOk(server.url, server.owner.auth, 'POST', `${threadsPath()}/${first.id}/resolve`, { disposition: 'partly-incorporated', reason: 'Named in paragraph 3' });
  await startThread(observer, 'political visibility', 'Visibility for whom?');
});

afterAll(async () => {
  writer.destroy();
  await server.stop();
});

describe('annexes', () => {
  it('the comment-resolution annex lists every thread in document order with its discussion and resolution', async () => {
    const response = await exportPdf(server, observer.auth, docId, { comments: 'true' });
    expect(response.status).toBe(200);
    const pdf = await readPdf(response.pdf);
    writeFileSync(join(ARTIFACTS_DIR, 'annex-comments.pdf'), response.pdf);
    const text = allText(pdf);
    const annexAt = text.indexOf(squash('Annex I: Resolution of comments'));
    expect(annexAt).toBeGreaterThan(text.indexOf(squash(SECOND)));
    const annex = text.slice(annexAt);
    const expected = [
      'intersessional work',
      'Amrita Choudhury',
      'Which bodies does this cover?',
      'Coalition X',
      'Dynamic coalitions, for a start.',
      'Partly incorporated: Named in paragraph 3',
      'political visibility',
      'Visibility for whom?',
      'Open',
    ].map(squash);
    let at = 0;
    for (const piece of expected) {
      const found = annex.indexOf(piece, at);
      expect(found, `"${piece}" in order in the annex`).toBeGreaterThanOrEqual(0);
      at = found + piece.length;
    }
    // The annex starts on its own page and is in the contents and the bookmarks.
    expect(Math.min(...pagesWith(pdf, 'Annex I'))).toBeGreaterThan(Math.min(...pagesWith(pdf, SECOND.slice(0, 20))));
    expect(pdf.outline).toContain('Annex I: Resolution of comments');
  });

  it('the participants annex lists members by role with what each contributed', async () => {
    const response = await exportPdf(server, member.auth, docId, { comments: 'true', participants: 'true' });
    const pdf = await readPdf(response.pdf);
    writeFileSync(join(ARTIFACTS_DIR, 'annex-participants.pdf'), response.pdf);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', String(pdf.pages), '-l', String(pdf.pages), join(ARTIFACTS_DIR, 'annex-participants.pdf'), join(ARTIFACTS_DIR, 'annex-participants')]);
    const text = allText(pdf);
    const annex = text.slice(text.indexOf(squash('Annex II: Participants and contributors')));
    expect(annex.length).toBeGreaterThan(0);
    // Co-chair first, then members, secretariat, observers; contributions from the record.
    const rows = [
      [server.owner.user.name, 'Co-chair', '1 thread resolved'],
      ['Amrita Choudhury', 'Member', 'Drafting; 1 comment'],
      ['Secretariat Desk', 'Secretariat', '—'],
      ['Coalition X', 'Observer', '2 comments'],
    ].map((row) => squash(row.join('')));
    let at = 0;
    for (const row of rows) {
      const found = annex.indexOf(row, at);
      expect(found, `row "${row}" in order`).toBeGreaterThanOrEqual(0);
      at = found + row.length;
    }
  });

  it('without the options, no annex', async () => {
    const pdf = await readPdf((await exportPdf(server, member.auth, docId)).pdf);
    expect(allText(pdf)).not.toContain(squash('Annex I'));
  });
});

describe('final', () => {
  const watermarked = async (query: Record<string, string> = {}) => {
    const pdf = await readPdf((await exportPdf(server, member.auth, docId, query)).pdf);
    return { hasDraft: pdf.runs.some((r) => r.str.includes('DRAFT')), text: allText(pdf) };
  };

  it('a draft exports with the DRAFT watermark by default; once a co-chair marks it final, without', async () => {
    const before = await watermarked();
    expect(before.hasDraft).toBe(true);
    expect(before.text).toContain(squash('Status Draft'));

    // Members and the secretariat may not mark it final; the co-chair may.
    expect((await api(server.url, member.auth, 'PATCH', `/api/documents/${docId}`, { final: true })).status).toBe(403);
    expect((await api(server.url, silent.auth, 'PATCH', `/api/documents/${docId}`, { final: true })).status).toBe(403);
    expect((await apiOk<DocumentSummary>(server.url, member.auth, 'GET', `/api/documents/${docId}`)).final).toBeNull();
    const marked = await apiOk<DocumentSummary>(server.url, server.owner.auth, 'PATCH', `/api/documents/${docId}`, { final: true });
    expect(marked.final).toMatchObject({ by: server.owner.user.name });

    const after = await watermarked();
    expect(after.hasDraft).toBe(false);
    expect(after.text).toContain(squash('Status Final'));
    // Still there when asked for.
    expect((await watermarked({ watermark: 'true' })).hasDraft).toBe(true);

    const back = await apiOk<DocumentSummary>(server.url, server.owner.auth, 'PATCH', `/api/documents/${docId}`, { final: false });
    expect(back.final).toBeNull();
    expect((await watermarked()).hasDraft).toBe(true);
  });

  it('a request that needs two permissions is refused unless the person has both', async () => {
    // Renaming is editing, but marking final is not the member's call: nothing changes.
    const response = await api(server.url, member.auth, 'PATCH', `/api/documents/${docId}`, { title: 'Renamed', final: true });
    expect(response.status).toBe(403);
    const summary = await apiOk<DocumentSummary>(server.url, member.auth, 'GET', `/api/documents/${docId}`);
    expect(summary.title).toBe('Response to the Options Paper');
    expect(summary.final).toBeNull();
  });
});
