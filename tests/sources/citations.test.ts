/**
 * Citations of source paragraphs from drafts, through the real server and a real collaboration
 * client: the source lists the drafts citing it (kept from the drafts' content as they change);
 * a citation survives edits of the draft and resolves to the same paragraph after the source is
 * re-imported with changes; exports read it as "Options Paper V.4".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CitedParagraph, ListCitationsResponse, ListParagraphsResponse, SourceParagraph, SourceSummary } from '../../shared/api/index';
import { addMember, api, apiOk, authHeaders } from '../helpers/accounts';
import { appendParagraph, connectClient, sleep, waitForSync, type TestClient } from '../helpers/clients';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';
import { exportPdf, readPdf, squash } from '../export/support';

const PRIORITIES = readFileSync(join(import.meta.dirname, '../../../shared/samples/wg-priorities-from-options-paper.txt'), 'utf8');

let server: TestServer;
let source: SourceSummary;
let paragraphs: SourceParagraph[];
let writer: TestClient;

const citationsOf = async (): Promise<ListCitationsResponse['citations']> =>
  (await apiOk<ListCitationsResponse>(server.url, server.owner.auth, 'GET', `/api/sources/${source.id}/citations`)).citations;

/** Polls until `check` passes (the index follows a draft's changes a moment after they are stored). */
async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(200);
    }
  }
}

/** Appends a paragraph "<before><citation><after>" to the client's document. */
function appendCitingParagraph(doc: Y.Doc, before: string, paragraph: SourceParagraph, after: string): Y.XmlElement {
  const element = new Y.XmlElement('paragraph');
  const citation = new Y.XmlElement('citation');
  doc.transact(() => {
    doc.getXmlFragment('default').push([element]);
    for (const [key, value] of Object.entries({ sourceId: source.id, pid: paragraph.pid, citeAs: 'Options Paper', label: paragraph.label })) citation.setAttribute(key, value);
    element.insert(0, [new Y.XmlText(before), citation, new Y.XmlText(after)]);
  });
  return element;
}

beforeAll(async () => {
  server = await startTestServer();
  source = await apiOk<SourceSummary>(server.url, server.owner.auth, 'POST', '/api/sources/import', { groupId: server.owner.groupId, format: 'text', content: PRIORITIES, citeAs: 'Options Paper' }, 201);
  paragraphs = (await apiOk<ListParagraphsResponse>(server.url, server.owner.auth, 'GET', `/api/sources/${source.id}/paragraphs`)).paragraphs;
});

afterAll(async () => {
  writer?.destroy();
  await server.stop();
});

it('a citation is listed on its source, survives edits and a re-import, and exports as its text', async () => {
  const v4 = paragraphs.find((p) => p.label === 'V.4')!;
  const viii1 = paragraphs.find((p) => p.label === 'VIII.1')!;
  const draftId = await createDocument(server, 'WG response on communication');
  writer = connectClient(server, draftId);
  await waitForSync(writer);
  appendParagraph(writer.doc, 'Introduction.');
  const citing = appendCitingParagraph(writer.doc, 'As proposed in ', v4, ', the IGF should report to decision-making bodies.');
  appendCitingParagraph(writer.doc, 'See also ', viii1, '.');

  await eventually(async () => {
    expect(await citationsOf()).toEqual([
      { documentId: draftId, title: 'WG response on communication', paragraphs: [{ pid: v4.pid, label: 'V.4' }, { pid: viii1.pid, label: 'VIII.1' }] },
    ]);
  });

  // Edits around it: text before, the introduction removed, the other citation removed.
  writer.doc.transact(() => {
    (citing.get(0) as Y.XmlText).insert(0, 'Firmly, ');
    writer.doc.getXmlFragment('default').delete(0, 1);
    writer.doc.getXmlFragment('default').delete(1, 1);
  });
  await eventually(async () => {
    expect(await citationsOf()).toEqual([{ documentId: draftId, title: 'WG response on communication', paragraphs: [{ pid: v4.pid, label: 'V.4' }] }]);
  });

  // The hover card's paragraph.
  const hover = await apiOk<CitedParagraph>(server.url, server.owner.auth, 'GET', `/api/sources/${source.id}/paragraphs/${v4.pid}`);
  expect(hover).toMatchObject({ pid: v4.pid, label: 'V.4', citeAs: 'Options Paper', sourceId: source.id });
  expect(hover.text).toMatch(/^V\.4\. On communication between different fora/);

  // A re-import with a new paragraph first and V.4 reworded: the citation still resolves to V.4.
  const revised = PRIORITIES.replace('MAG WG ON IGF STRENGTHENING AND STRATEGY', 'MAG WG ON IGF STRENGTHENING AND STRATEGY\n\nRevised after the meeting of 29 September.').replace(
    'V.4. On communication between different fora: Introduce reporting between the IGF and decision-making bodies in both directions',
    'V.4. On communication between different fora: Introduce regular reporting between the IGF and decision-making bodies in both directions',
  );
  expect(revised).not.toBe(PRIORITIES);
  await apiOk(server.url, server.owner.auth, 'POST', `/api/sources/${source.id}/reimport`, { format: 'text', content: revised });
  const after = await apiOk<CitedParagraph>(server.url, server.owner.auth, 'GET', `/api/sources/${source.id}/paragraphs/${v4.pid}`);
  expect(after.label).toBe('V.4');
  expect(after.text).toContain('Introduce regular reporting');

  // Exports read the citation as its text.
  const markdown = await (await fetch(`${server.url}/api/documents/${draftId}/export.md`, { headers: authHeaders(server.owner.auth) })).text();
  expect(markdown).toContain('Firmly, As proposed in Options Paper V.4, the IGF should report');
  const pdf = await readPdf((await exportPdf(server, server.owner.auth, draftId, { watermark: 'false' })).pdf);
  expect(squash(pdf.runs.map((r) => r.str).join(''))).toContain(squash('Firmly, As proposed in Options Paper V.4, the IGF should report'));
});

it('only members of the group see a source’s citations', async () => {
  const leaving = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Leaving');
  await api(server.url, server.owner.auth, 'DELETE', `/api/groups/${server.owner.groupId}/members/${leaving.user.id}`);
  expect((await api(server.url, leaving.auth, 'GET', `/api/sources/${source.id}/citations`)).status).toBe(403);
  expect((await api(server.url, server.owner.auth, 'GET', `/api/sources/${source.id}/paragraphs/no-such-pid`)).status).toBe(404);
});
