/**
 * Source papers through the real server: importing the working group's sample papers (as text),
 * a Word file, HTML and Markdown keeps their structure and finds the papers' own numbering; bad
 * files create nothing; nobody edits a source over a socket; co-chairs correct labels live;
 * annotations take a stance (crafted requests refused); a re-import keeps pids so annotations
 * keep resolving; the W3C Web Annotation export points at the right text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, FootnoteReferenceRun, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { IMPORT_MAX_CHARS, type ListParagraphsResponse, type SourceParagraph, type SourceSummary, type ThreadView } from '../../shared/api/index';
import { addMember, api, apiOk, type TestAccount } from '../helpers/accounts';
import { anchorOver } from '../helpers/anchors';
import { appendParagraph, connectClient, docFromStored, fragmentText, sleep, waitFor, waitForSync, type TestClient } from '../helpers/clients';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';

const SAMPLES = join(import.meta.dirname, '../../../shared/samples');
const sample = (name: string) => readFileSync(join(SAMPLES, name), 'utf8');
const PRIORITIES = sample('wg-priorities-from-options-paper.txt');
const SUMMARY = sample('wg-online-meeting-III-summary-2020.txt');
const EGM = sample('wg-contribution-to-egm-2022.txt');

let server: TestServer;
let member: TestAccount;
let observer: TestAccount;
let outsider: TestAccount;
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  member = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Amrita');
  observer = await addMember(server.url, server.owner.auth, server.owner.groupId, 'observer', 'Coalition X');
  // Someone who was a member and was removed: signed in, but not in the group.
  outsider = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Former member');
  expect((await api(server.url, server.owner.auth, 'DELETE', `/api/groups/${server.owner.groupId}/members/${outsider.user.id}`)).status).toBe(204);
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await server.stop();
});

async function importSource(body: Record<string, unknown>, as: TestAccount = member): Promise<SourceSummary> {
  return apiOk(server.url, as.auth, 'POST', '/api/sources/import', { groupId: server.owner.groupId, ...body }, 201);
}

const paragraphsOf = async (id: string, as: TestAccount = observer): Promise<SourceParagraph[]> =>
  (await apiOk<ListParagraphsResponse>(server.url, as.auth, 'GET', `/api/sources/${id}/paragraphs`)).paragraphs;

const byStart = (paragraphs: SourceParagraph[], start: string): SourceParagraph => {
  const found = paragraphs.find((p) => p.text.startsWith(start));
  if (!found) throw new Error(`no paragraph starts with "${start}"`);
  return found;
};

/** The stored content's top-level and nested element names, as XML. */
async function storedXml(id: string): Promise<string> {
  const doc = docFromStored(await server.store.loadContent(id));
  const xml = doc.getXmlFragment('default').toString();
  doc.destroy();
  return xml;
}

const documentCount = async () =>
  (await apiOk(server.url, server.owner.auth, 'GET', `/api/documents?groupId=${server.owner.groupId}`)).documents.length as number;

/** Lines of a text sample that are text (not blank, not a lone "-"): the text importer makes one paragraph of each. */
const textLines = (text: string) => text.split('\n').filter((line) => line.trim() !== '' && line.trim() !== '-');

describe('importing source papers', () => {
  it('imports the priorities paper with its proposals numbered as the paper numbers them', async () => {
    const summary = await importSource({ format: 'text', content: PRIORITIES, citeAs: 'Priorities' });
    expect(summary).toMatchObject({ kind: 'source', citeAs: 'Priorities', title: 'MAG WG ON IGF STRENGTHENING AND STRATEGY', role: 'member' });
    const paragraphs = await paragraphsOf(summary.id);
    expect(paragraphs).toHaveLength(textLines(PRIORITIES).length);
    expect(summary.paragraphCount).toBe(paragraphs.length);
    expect(paragraphs.filter((p) => p.kind === 'heading').map((p) => p.text)).toEqual([
      'MAG WG ON IGF STRENGTHENING AND STRATEGY',
      'PROPOSALS FROM THE OPTIONS PAPER SELECTED AS PRIORITIES BY THE WG FOR FURTHER ACTION',
      'PROPOSAL 1',
      'PROPOSAL 2',
      'PROPOSAL 3',
      'PROPOSALS THAT RECEIVED 6 INDICATIONS',
      'PROPOSALS THAT RECEIVED 5 INDICATIONS',
      'PROPOSALS THAT RECEIVED 4 INDICATIONS',
      'PROPOSALS THAT RECEIVED 3 INDICATIONS',
    ]);
    expect(byStart(paragraphs, 'V.4. On communication between different fora: Introduce reporting').label).toBe('V.4');
    expect(byStart(paragraphs, 'VIII.1. Create an observatory to provide').label).toBe('VIII.1');
    expect(byStart(paragraphs, 'IX.1. Build a high-quality').label).toBe('IX.1');
    expect(byStart(paragraphs, '1) As noted in the WG response').label).toBe('V.4(1)');
    expect(byStart(paragraphs, 'PROPOSAL 2').label).toBe('Proposal 2');
    expect(byStart(paragraphs, 'Suggested path forward:').label).toBe('V.4 ¶4');
    expect(byStart(paragraphs, 'ANNEX. Proposals from Options Paper').label).toBe('Annex');
    // Every paragraph has its own pid.
    expect(new Set(paragraphs.map((p) => p.pid)).size).toBe(paragraphs.length);
    // The list of "Suggested path forward" items is a list in the document.
    expect(await storedXml(summary.id)).toMatch(/<bulletlist><listitem><paragraph label="V\.4\(1\)" pid="[^"]+">1\) As noted/);
  });

  it('imports the meeting summary with its numbered paragraphs and the sub-items of paragraph 13', async () => {
    const summary = await importSource({ format: 'text', content: SUMMARY });
    const paragraphs = await paragraphsOf(summary.id);
    expect(paragraphs).toHaveLength(textLines(SUMMARY).length);
    expect(byStart(paragraphs, '13. The group agreed').label).toBe('13');
    expect(byStart(paragraphs, '13. The group agreed').pid).not.toBe('');
    expect(byStart(paragraphs, 'a) Improvements to the IGF.').label).toBe('13(a)');
    expect(byStart(paragraphs, 'd) Possible implementation models').label).toBe('13(d)');
    expect(byStart(paragraphs, 'Next Steps')).toMatchObject({ kind: 'heading', level: 2, label: '12 ¶1' });
    expect(byStart(paragraphs, 'Annex 2:').label).toBe('Annex 2');
    // Numbers 1 to 15 in the body, as the paper numbers them.
    const body = paragraphs.filter((p) => /^\d+\. /.test(p.text)).slice(0, 15);
    expect(body.map((p) => p.label)).toEqual(Array.from({ length: 15 }, (_, i) => String(i + 1)));
    // Bold lead-ins are formatting, not asterisks.
    expect(byStart(paragraphs, 'b) Strengthening IGF outcomes.').text).not.toContain('*');
    expect(await storedXml(summary.id)).toContain('<bold>Strengthening IGF outcomes.</bold>');
  });

  it('imports the EGM contribution with its sections, footnote, lists and the annex table', async () => {
    const summary = await importSource({ format: 'text', content: EGM });
    expect(summary.title).toBe('Contribution to the Internet Governance Forum (IGF) Expert Group Meeting (EGM)');
    const paragraphs = await paragraphsOf(summary.id);
    const headings = paragraphs.filter((p) => p.kind === 'heading' && p.level === 1);
    expect(headings.map((h) => h.label)).toEqual(['1', '2', '3', '4', '5', 'Annex I']);
    expect(byStart(paragraphs, 'A1 - Improvements').label).toBe('A1');
    expect(byStart(paragraphs, 'ii. How to improve the alignment').label).toBe('A(ii)');
    // The footnote is a footnote of the first paragraph, not a paragraph of its own.
    expect(byStart(paragraphs, 'The co-chairs of the Internet Governance Forum').text).not.toContain('¹');
    expect(paragraphs.some((p) => p.text.startsWith('Concettina Casa'))).toBe(false);
    const xml = await storedXml(summary.id);
    expect(xml).toMatch(/<footnote note="Concettina Casa, former MAG member, Amrita Choudhury/);
    // The four-column mapping table: a header row and one row per line of the annex.
    const table = /<table>(.*)<\/table>/s.exec(xml)![1];
    expect(table.match(/<tablerow>/g)).toHaveLength(EGM.split('\n').filter((line) => (line.match(/\t/g) ?? []).length >= 2).length);
    expect(table).toMatch(/^<tablerow><tableheader[^>]*><paragraph[^>]*>Area of work<\/paragraph><\/tableheader>/);
    // HTML in the cells is read as HTML: the bullets of a cell are list items.
    expect(table).toContain('>Establish a baseline of digital connectivity that individuals need');
    expect(byStart(paragraphs, 'Convene a global group of investors').label).toBe('Annex I ¶8');
  });

  it('imports a Word file with headings, a numbered list, a table and a footnote', async () => {
    const document = new Document({
      footnotes: { 1: { children: [new Paragraph('Adopted at the 2021 retreat.')] } },
      numbering: {
        config: [{ reference: 'numbers', levels: [{ level: 0, format: 'decimal', text: '%1.', alignment: 'left' }] }],
      },
      sections: [
        {
          children: [
            new Paragraph({ text: 'Options Paper', heading: HeadingLevel.TITLE }),
            new Paragraph({ text: 'IV. More Actionable and Concrete Outcomes', heading: HeadingLevel.HEADING_1 }),
            new Paragraph({ children: [new TextRun('IV.1. On the format of outputs: introduce reports.'), new FootnoteReferenceRun(1)] }),
            new Paragraph({ text: 'IV.2. On content: introduce multi-year planning.' }),
            new Paragraph({ text: 'First step of the plan', numbering: { reference: 'numbers', level: 0 } }),
            new Paragraph({ text: 'Second step of the plan', numbering: { reference: 'numbers', level: 0 } }),
            new Table({
              rows: [
                new TableRow({ children: [new TableCell({ children: [new Paragraph('Proposal')] }), new TableCell({ children: [new Paragraph('Indications')] })] }),
                new TableRow({ children: [new TableCell({ children: [new Paragraph('IV.1')] }), new TableCell({ children: [new Paragraph('5')] })] }),
              ],
            }),
            new Paragraph({ text: 'V. Forging Links', heading: HeadingLevel.HEADING_1 }),
            new Paragraph({ text: 'V.4. On communication between different fora.' }),
          ],
        },
      ],
    });
    const content = (await Packer.toBuffer(document)).toString('base64');
    const summary = await importSource({ format: 'docx', content });
    expect(summary.title).toBe('Options Paper');
    expect(summary.citeAs).toBe('Options Paper');
    const paragraphs = await paragraphsOf(summary.id);
    expect(paragraphs.map((p) => [p.kind, p.label, p.text])).toEqual([
      ['heading', 'IV', 'IV. More Actionable and Concrete Outcomes'],
      ['paragraph', 'IV.1', 'IV.1. On the format of outputs: introduce reports.'],
      ['paragraph', 'IV.2', 'IV.2. On content: introduce multi-year planning.'],
      ['paragraph', 'IV.2(1)', 'First step of the plan'],
      ['paragraph', 'IV.2(2)', 'Second step of the plan'],
      ['paragraph', 'IV.2 ¶1', 'Proposal'],
      ['paragraph', 'IV.2 ¶2', 'Indications'],
      ['paragraph', 'IV.2 ¶3', 'IV.1'],
      ['paragraph', 'IV.2 ¶4', '5'],
      ['heading', 'V', 'V. Forging Links'],
      ['paragraph', 'V.4', 'V.4. On communication between different fora.'],
    ]);
    const xml = await storedXml(summary.id);
    expect(xml).toContain('<footnote note="Adopted at the 2021 retreat."></footnote>');
    expect(xml).toMatch(/<orderedlist start="1"><listitem><paragraph label="IV\.2\(1\)"/);
    expect(xml.match(/<tablerow>/g)).toHaveLength(2);
  });

  it('imports HTML (safely) and Markdown, and numbers a paper without numbers 1, 2, 3', async () => {
    const html = `<!doctype html><html><head><title>Strategy paper</title><script>alert(1)</script></head><body>
      <h1>Strategy paper</h1><section><h2>Why</h2><p onclick="x()">The forum needs <b>focus</b>.</p>
      <p>It needs money<a href="#fn1" id="fnref1"><sup>1</sup></a>.</p><ul><li>One</li><li>Two</li></ul>
      <table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table></section>
      <section class="footnotes"><ol><li id="fn1"><p>Trust fund figures. <a href="#fnref1">↩</a></p></li></ol></section>
      <style>p { color: red }</style></body></html>`;
    const source = await importSource({ format: 'html', content: html });
    expect(source.title).toBe('Strategy paper');
    const paragraphs = await paragraphsOf(source.id);
    expect(paragraphs.map((p) => [p.label, p.text])).toEqual([
      ['1', 'Why'],
      ['2', 'The forum needs focus.'],
      ['3', 'It needs money.'],
      ['4', 'One'],
      ['5', 'Two'],
      ['6', 'A'],
      ['7', 'B'],
      ['8', '1'],
      ['9', '2'],
    ]);
    const xml = await storedXml(source.id);
    expect(xml).toContain('<footnote note="Trust fund figures."></footnote>');
    expect(xml).not.toMatch(/alert|color: red|onclick/);

    const markdown = await importSource({ format: 'markdown', content: '# Roadmap\n\n93. The IGF Plus should:\n\n(a) Create a body;\n\n(b) Link the forum.\n' });
    const mdParagraphs = await paragraphsOf(markdown.id);
    expect(mdParagraphs.map((p) => p.label)).toEqual(['93', '93(a)', '93(b)']);
  });

  it('refuses bad files with a clear reason and creates nothing', async () => {
    const before = await documentCount();
    const attempts: [Record<string, unknown>, number, string][] = [
      [{ format: 'docx', content: Buffer.from('this is not a zip file at all').toString('base64') }, 400, 'invalid_content'],
      [{ format: 'docx', content: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]).toString('base64') }, 400, 'invalid_content'],
      [{ format: 'text', content: 'PK\u0003\u0004\u0000binary' }, 400, 'invalid_content'],
      [{ format: 'html', content: '<html><body><script>only()</script></body></html>' }, 400, 'invalid_content'],
      [{ format: 'pdf', content: 'x' }, 400, 'invalid_request'],
      [{ format: 'text', content: 'x'.repeat(IMPORT_MAX_CHARS + 1) }, 413, 'too_large'],
    ];
    for (const [body, status, code] of attempts) {
      const response = await api(server.url, member.auth, 'POST', '/api/sources/import', { groupId: server.owner.groupId, ...body });
      expect([response.status, response.body.error.code]).toEqual([status, code]);
      expect(response.body.error.message.length).toBeGreaterThan(5);
    }
    const noText = await api(server.url, member.auth, 'POST', '/api/sources/import', { groupId: server.owner.groupId, format: 'html', content: '<p> </p>' });
    expect(noText.body.error.message).toBe('the file has no text');
    // Who may import: members with edit rights only.
    expect((await api(server.url, observer.auth, 'POST', '/api/sources/import', { groupId: server.owner.groupId, format: 'text', content: 'A paper' })).status).toBe(403);
    expect((await api(server.url, outsider.auth, 'POST', '/api/sources/import', { groupId: server.owner.groupId, format: 'text', content: 'A paper' })).body.error.code).toBe('no_access');
    expect(await documentCount()).toBe(before);
  });

  it('lists sources with their kind beside drafts', async () => {
    const draftId = await createDocument(server, 'A draft');
    const { documents } = await apiOk(server.url, member.auth, 'GET', `/api/documents?groupId=${server.owner.groupId}`);
    expect(documents.find((d: { id: string }) => d.id === draftId)).toMatchObject({ kind: 'draft', citeAs: null });
    expect(documents.filter((d: { kind: string }) => d.kind === 'source').length).toBeGreaterThanOrEqual(5);
    // Source routes are for sources only.
    expect((await api(server.url, member.auth, 'GET', `/api/sources/${draftId}/paragraphs`)).status).toBe(404);
  });
});

describe('a source paper is read-only, annotated, corrected and re-imported', () => {
  let source: SourceSummary;
  let viewer: TestClient;
  let paragraphs: SourceParagraph[];
  const QUOTE = 'communication between different fora';
  let supportThread: ThreadView;

  const labelInClient = (client: TestClient, pid: string): string | undefined => {
    const find = (parent: Y.XmlFragment | Y.XmlElement): string | undefined => {
      for (const child of parent.toArray()) {
        if (!(child instanceof Y.XmlElement)) continue;
        if (child.getAttribute('pid') === pid) return child.getAttribute('label');
        const inner = find(child);
        if (inner !== undefined) return inner;
      }
      return undefined;
    };
    return find(client.doc.getXmlFragment('default'));
  };

  beforeAll(async () => {
    source = await importSource({ format: 'text', content: PRIORITIES, citeAs: 'Priorities paper' });
    paragraphs = await paragraphsOf(source.id);
    viewer = connectClient(server, source.id, { auth: member.auth });
    clients.push(viewer);
    await waitForSync(viewer);
  });

  it('drops edits sent over a co-chair\'s socket: not stored, not broadcast', async () => {
    const before = fragmentText(viewer.doc);
    const chair = connectClient(server, source.id);
    clients.push(chair);
    await waitForSync(chair);
    appendParagraph(chair.doc, 'A co-chair tries to edit the source');
    chair.doc.getXmlFragment('default').delete(0, 1);
    await sleep(300);
    expect(fragmentText(viewer.doc)).toBe(before);
    const stored = docFromStored(await server.store.loadContent(source.id));
    expect(fragmentText(stored)).toBe(before);
    expect(fragmentText(stored)).not.toContain('A co-chair tries');
    stored.destroy();
    // A fresh connection gets the source as imported.
    const late = connectClient(server, source.id, { auth: observer.auth });
    clients.push(late);
    await waitForSync(late);
    expect(fragmentText(late.doc)).toBe(before);
  });

  it('takes annotations with a stance from members and observers; crafted ones are refused', async () => {
    const threads = `/api/documents/${source.id}/threads`;
    supportThread = await apiOk(server.url, member.auth, 'POST', threads, { ...anchorOver(viewer.doc, QUOTE, 'V.4. On communication'), body: 'A priority for us.', stance: 'support' }, 201);
    expect(supportThread).toMatchObject({ stance: 'support', quote: QUOTE, author: { name: 'Amrita' } });
    const question = await apiOk(server.url, observer.auth, 'POST', threads, { ...anchorOver(viewer.doc, 'database of databases', 'VIII.1. Create an observatory to provide'), body: 'Who maintains it?', stance: 'question' }, 201);
    expect(question.stance).toBe('question');
    const plain = await apiOk(server.url, member.auth, 'POST', threads, { ...anchorOver(viewer.doc, 'path forward', 'Suggested path forward:'), body: 'Just a comment.' }, 201);
    expect(plain.stance).toBeNull();

    const wrongStance = await api(server.url, member.auth, 'POST', threads, { ...anchorOver(viewer.doc, 'reporting', 'V.4. On'), body: 'x', stance: 'love' });
    expect([wrongStance.status, wrongStance.body.error.fields[0].path]).toEqual([400, 'stance']);
    const nonMember = await api(server.url, outsider.auth, 'POST', threads, { ...anchorOver(viewer.doc, 'reporting', 'V.4. On'), body: 'x', stance: 'concern' });
    expect([nonMember.status, nonMember.body.error.code]).toEqual([403, 'no_access']);
    const draftId = await createDocument(server, 'Draft with a stance');
    const onDraft = await api(server.url, member.auth, 'POST', `/api/documents/${draftId}/threads`, { ...anchorOver(viewer.doc, 'reporting', 'V.4. On'), body: 'x', stance: 'support' });
    expect([onDraft.status, onDraft.body.error.fields[0].path]).toEqual([400, 'stance']);

    const listed: ThreadView[] = (await apiOk(server.url, observer.auth, 'GET', threads)).threads;
    expect(listed.map((t) => t.stance).sort()).toEqual([null, 'question', 'support'].sort());
    const report = await apiOk(server.url, observer.auth, 'GET', `/api/documents/${source.id}/report`);
    expect(report.threads.map((entry: { quote: string; stance: string | null }) => [entry.quote, entry.stance])).toEqual([
      [QUOTE, 'support'],
      ['path forward', null],
      ['database of databases', 'question'],
    ]);
  });

  it('shows the stance in the live event stream', async () => {
    const controller = new AbortController();
    const stream = await fetch(`${server.url}/api/documents/${source.id}/events`, { headers: { authorization: `Bearer ${observer.token}` }, signal: controller.signal });
    const reader = stream.body!.getReader();
    let received = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        received += Buffer.from(value).toString('utf8');
        if (received.includes('"stance":"concern"')) return;
      }
    })();
    await sleep(100);
    await apiOk(server.url, member.auth, 'POST', `/api/documents/${source.id}/threads`, { ...anchorOver(viewer.doc, 'fundraising structure', 'X.1. Establish'), body: 'Costly.', stance: 'concern' }, 201);
    await Promise.race([reading, sleep(5000)]);
    controller.abort();
    expect(received).toMatch(/event: thread\ndata: \{[^\n]*"stance":"concern"/);
  });

  it('lets a co-chair correct a label, live for open viewers; members may not', async () => {
    const target = byStart(paragraphs, 'Roadmap: Paragraphs 93(a) and 93(c)');
    expect(target.label).toBe('V.4 ¶2');
    const path = `/api/sources/${source.id}/paragraphs/${encodeURIComponent(target.pid)}`;
    const refused = await api(server.url, member.auth, 'PATCH', path, { label: 'V.4 Roadmap' });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);
    expect((await api(server.url, server.owner.auth, 'PATCH', path, { label: '' })).status).toBe(400);
    expect((await api(server.url, server.owner.auth, 'PATCH', `/api/sources/${source.id}/paragraphs/nope`, { label: 'X' })).status).toBe(404);
    const corrected = await apiOk(server.url, server.owner.auth, 'PATCH', path, { label: 'V.4 Roadmap' });
    expect(corrected).toEqual({ ...target, label: 'V.4 Roadmap' });
    await waitFor(() => labelInClient(viewer, target.pid) === 'V.4 Roadmap', 5000, 'the corrected label to reach the viewer');
    expect(byStart(await paragraphsOf(source.id), 'Roadmap: Paragraphs 93(a)').label).toBe('V.4 Roadmap');
  });

  it('exports the annotations as W3C Web Annotations with the right selectors', async () => {
    const response = await fetch(`${server.url}/api/sources/${source.id}/annotations.jsonld`, { headers: { authorization: `Bearer ${observer.token}` } });
    expect(response.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    const collection = await response.json();
    expect(collection).toMatchObject({ '@context': 'http://www.w3.org/ns/anno.jsonld', type: 'AnnotationCollection', total: 4 });
    const items = collection.first.items as Record<string, any>[];
    const v4 = byStart(paragraphs, 'V.4. On communication between different fora: Introduce');
    const annotation = items.find((item) => item.id.endsWith(supportThread.id))!;
    expect(annotation).toMatchObject({ type: 'Annotation', motivation: 'assessing', creator: { type: 'Person', name: 'Amrita' } });
    expect(annotation.body).toEqual([
      { type: 'TextualBody', value: 'support', purpose: 'tagging' },
      expect.objectContaining({ type: 'TextualBody', value: 'A priority for us.', purpose: 'assessing' }),
    ]);
    expect(annotation.target.source).toBe(`${server.server.publicOrigin}/d/${source.id}#${v4.pid}`);
    const start = v4.text.indexOf(QUOTE);
    expect(start).toBe('V.4. On '.length);
    expect(annotation.target.selector).toEqual([
      { type: 'TextQuoteSelector', exact: QUOTE, prefix: 'V.4. On ', suffix: v4.text.slice(start + QUOTE.length, start + QUOTE.length + 32) },
      { type: 'TextPositionSelector', start, end: start + QUOTE.length },
    ]);
    expect(v4.text.slice(annotation.target.selector[1].start, annotation.target.selector[1].end)).toBe(QUOTE);
    const question = items.find((item) => item.motivation === 'questioning')!;
    expect(question.target.selector[0].exact).toBe('database of databases');
    const pos = question.target.selector[1];
    expect(byStart(paragraphs, 'VIII.1. Create an observatory to provide').text.slice(pos.start, pos.end)).toBe('database of databases');
  });

  it('re-imports the paper keeping pids, so annotations still resolve to the same paragraph', async () => {
    const revised = PRIORITIES.replace('PROPOSAL 1\n', 'PROPOSAL 1\n\nA new introduction to the first proposal, added in the revision.\n')
      .replace('It was noted that the communication between the IGF', 'It was noted in the revision that the communication between the IGF')
      .replace(/\nPROPOSAL 3\n[\s\S]*?\nANNEX\./, '\nANNEX.');
    const path = `/api/sources/${source.id}/reimport`;
    expect((await api(server.url, member.auth, 'POST', path, { format: 'text', content: revised })).status).toBe(403);
    const before = paragraphs;
    const result = await apiOk(server.url, server.owner.auth, 'POST', path, { format: 'text', content: revised });
    const after = await paragraphsOf(source.id);
    const removedCount = before.length - after.length + 1;
    expect(result.paragraphs).toEqual({ kept: after.length - 1, added: 1, removed: removedCount });
    expect(result.source.paragraphCount).toBe(after.length);

    // The same paragraphs keep their pids: by label, by text, and by similar text.
    const pidOf = (list: SourceParagraph[], start: string) => byStart(list, start).pid;
    expect(pidOf(after, 'V.4. On communication between different fora: Introduce')).toBe(pidOf(before, 'V.4. On communication between different fora: Introduce'));
    expect(pidOf(after, 'Note from previous WG meeting')).toBe(pidOf(before, 'Note from previous WG meeting'));
    expect(pidOf(after, '1) As noted in the WG response')).toBe(pidOf(before, '1) As noted in the WG response'));
    const added = byStart(after, 'A new introduction to the first proposal');
    expect(before.map((p) => p.pid)).not.toContain(added.pid);
    expect(after.some((p) => p.text.startsWith('VIII.1. Create an observatory to provide'))).toBe(false);

    // The annotation's text is where it was, in the same paragraph, for the viewer too.
    await waitFor(() => fragmentText(viewer.doc).includes('A new introduction to the first proposal'), 5000, 'the re-import to reach the viewer');
    const report = await apiOk(server.url, observer.auth, 'GET', `/api/documents/${source.id}/report`);
    const entry = report.threads.find((e: { threadId: string }) => e.threadId === supportThread.id);
    expect(entry.currentText).toBe(QUOTE);
    const collection = await apiOk(server.url, observer.auth, 'GET', `/api/sources/${source.id}/annotations.jsonld`);
    const annotation = collection.first.items.find((item: { id: string }) => item.id.endsWith(supportThread.id));
    expect(annotation.target.source).toMatch(new RegExp(`#${pidOf(before, 'V.4. On communication between different fora: Introduce').replace(/[.()]/g, '\\$&')}$`));
    expect(annotation.target.selector[1]).toEqual({ type: 'TextPositionSelector', start: 8, end: 8 + QUOTE.length });
    // The annotation on the removed proposal no longer resolves, so it is not exported.
    expect(collection.first.items.some((item: { motivation: string }) => item.motivation === 'questioning')).toBe(false);
    // Restoring a version would bypass all this: refused for sources.
    const version = await apiOk(server.url, server.owner.auth, 'POST', `/api/documents/${source.id}/versions`, { name: 'After re-import' }, 201);
    const restore = await api(server.url, server.owner.auth, 'POST', `/api/documents/${source.id}/versions/${version.id}/restore`);
    expect([restore.status, restore.body.error.code]).toEqual([409, 'source_read_only']);
  });
});
