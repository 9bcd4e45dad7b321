/**
 * PDF export through the API with a real server: drafts written by real collaboration clients
 * (a synthetic paper with every node type, the working group's three sample papers, hostile text,
 * the six UN languages), exported, and read back with pdfjs: every block in order, footnotes,
 * table of contents against the headings' pages, link annotations, embedded fonts, glyph
 * coverage, metadata; who may export. The first pages are written to test-artifacts/export/ as
 * PNG to look at.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFontFiles } from '../../server/src/export/index';
import { addMember, apiOk, createGroup, createInvite, signUp, type TestAccount } from '../helpers/accounts';
import { startTestServer, type TestServer } from '../helpers/server';
import { expectedOf, headingLabels, hostileDraft, HOSTILE_LINES, sampleDraft, sampleFiles, SIX_LANGUAGES, syntheticDraft, type Draft, type PMNode } from './samples';
import {
  ARTIFACTS_DIR,
  exportPdf,
  fontCoverage,
  missingInOrder,
  pdfFonts,
  postScriptName,
  printedToc,
  readPdf,
  saveArtifacts,
  squash,
  textLines,
  textStreams,
  writeDraft,
  type PdfContent,
} from './support';

let server: TestServer;
let observer: TestAccount;

beforeAll(async () => {
  rmSync(ARTIFACTS_DIR, { recursive: true, force: true });
  server = await startTestServer();
  observer = await addMember(server.url, server.owner.auth, server.owner.groupId, 'observer', 'Observer');
});

afterAll(async () => {
  await server.stop();
});

/** Our fonts, by the PostScript name the PDF carries, with what they cover. */
const fonts = new Map(exportFontFiles().map((file) => [postScriptName(file), fontCoverage(file)]));

/** Exports as the owner and checks the response is a PDF. */
async function exported(docId: string, query: Record<string, string> = {}): Promise<{ pdf: Buffer; content: PdfContent; headers: Headers }> {
  const response = await exportPdf(server, server.owner.auth, docId, query);
  expect(response.error).toBeUndefined();
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/pdf');
  expect(response.pdf.subarray(0, 5).toString()).toBe('%PDF-');
  return { pdf: response.pdf, content: await readPdf(response.pdf), headers: response.headers };
}

/** Right-to-left script with the punctuation and spaces around it. */
const RTL_STRETCH = /[\s\p{P}]*[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc][\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\s\p{P}]*/gu;

/**
 * Every block in order in the body, every footnote in order at the page feet, links as
 * annotations. Right-to-left stretches are extracted in visual order, so here only the text
 * around them is checked (the six-languages test checks Arabic word by word).
 */
function expectFaithful(content: PdfContent, doc: PMNode): void {
  const expected = expectedOf(doc);
  const { body, footnotes } = textStreams(content);
  const pieces = expected.blocks.flatMap((block) => block.split(RTL_STRETCH)).filter((piece) => piece.trim() !== '');
  expect(missingInOrder(body, pieces)).toEqual([]);
  expect(missingInOrder(footnotes, expected.footnotes)).toEqual([]);
  const urls = content.links.map((link) => new URL(link.url).href);
  for (const href of expected.links) expect(urls).toContain(new URL(href).href);
}

/** Every embedded font is one of ours, embedded; no character is drawn with a font lacking its glyph. */
function expectOwnFontsCoveringEveryGlyph(pdf: Buffer, content: PdfContent, name: string): void {
  const listed = pdfFonts(pdf, name);
  expect(listed.length).toBeGreaterThan(0);
  for (const font of listed) {
    expect(font.embedded, font.name).toBe(true);
    expect([...fonts.keys()], `${font.name} is not one of the fonts that ship with Concord`).toContain(font.name);
  }
  const uncovered: string[] = [];
  for (const run of content.runs) {
    const covers = fonts.get(run.font);
    if (!covers) {
      uncovered.push(`${run.font}: ${run.str}`);
      continue;
    }
    for (const char of run.str) {
      if (/\s/u.test(char)) continue;
      if (!covers(char.codePointAt(0)!)) uncovered.push(`${run.font} lacks ${char} (U+${char.codePointAt(0)!.toString(16)}) in "${run.str}"`);
    }
  }
  expect(uncovered).toEqual([]);
}

describe('a synthetic paper with every node type', () => {
  let draft: Draft;
  let docId: string;

  beforeAll(async () => {
    draft = syntheticDraft();
    docId = await writeDraft(server, draft, { numberedHeadings: true });
  });

  it('shows every heading, paragraph, list item, table cell and footnote in order, with links, metadata and tags', async () => {
    const { pdf, content, headers } = await exported(docId, { toc: 'false', watermark: 'true' });
    saveArtifacts('synthetic', pdf, 4);
    expectFaithful(content, draft.doc);
    expect(headers.get('content-disposition')).toBe(
      `attachment; filename="Synthetic paper with every node type.pdf"; filename*=UTF-8''Synthetic%20paper%20with%20every%20node%20type.pdf`,
    );
    expect(headers.get('x-pdf-standard')).toBe('ua-1');
    expect(content.info.Title).toBe(draft.title);
    expect(content.info.Author).toBe('Working Group on Strategy');
    expect(content.isTagged).toBe(true);
    // Title block: group, title, date.
    const firstPage = textLines(content).filter((line) => line.page === 1).map((line) => line.text);
    expect(firstPage).toContain('WORKING GROUP ON STRATEGY');
    expect(firstPage.some((line) => /^Date\s*\d{1,2} [A-Z][a-z]+ \d{4}$/.test(line))).toBe(true);
    // The 70-row table runs onto further pages and its header row comes back on each.
    const headerRows = textLines(content).filter((line) => line.text.replace(/\s+/g, '') === 'StakeholdergroupMembersRemarks');
    expect(headerRows.length).toBeGreaterThanOrEqual(2);
    expect(new Set(headerRows.map((line) => line.page)).size).toBe(headerRows.length);
    // Numbered headings (the document's own setting), page numbers "n / N", the watermark.
    expect(content.outline).toEqual(headingLabels(expectedOf(draft.doc).headings, true));
    expect(textStreams(content).margins).toContain(`1 / ${content.pages}`);
    expect(content.runs.filter((run) => run.str === 'DRAFT')).toHaveLength(content.pages);
    expectOwnFontsCoveringEveryGlyph(pdf, content, 'synthetic');
  });

  it('prints a table of contents whose entries are the headings, with the pages they are on', async () => {
    const { content } = await exported(docId, { toc: 'true' });
    const headings = expectedOf(draft.doc).headings;
    const labels = headingLabels(headings, true);
    const inBody = headingLabels(headings, true, true);
    const toc = printedToc(content);
    expect(toc.map((entry) => squash(entry.label))).toEqual(labels.map(squash));
    // Each heading's page: where its text is set in the heading's own size.
    const sizes = { 1: 13.5, 2: 11.5, 3: 10.5 } as Record<number, number>;
    const lines = textLines(content);
    for (const [index, heading] of headings.entries()) {
      const line = lines.find((l) => squash(l.text) === squash(inBody[index]) && l.runs.every((run) => run.size === sizes[heading.level] && run.font.includes('Bold')));
      expect(line, `heading "${labels[index]}" in the body`).toBeDefined();
      expect(toc[index].page, labels[index]).toBe(line!.page);
    }
  });

  it('numbers headings or not as asked, on A4 or Letter', async () => {
    const plain = await exported(docId, { numbered: 'false', paper: 'letter', toc: 'false' });
    expect(plain.content.outline).toEqual(headingLabels(expectedOf(draft.doc).headings, false));
    expect(Math.round(plain.content.pageHeight)).toBe(792);
    const a4 = await exported(docId, { toc: 'false', watermark: 'false' });
    expect(Math.round(a4.content.pageHeight)).toBe(842);
    expect(a4.content.runs.some((run) => run.str === 'DRAFT')).toBe(false);
  });

  it('sets the six UN languages with glyphs from fonts that have them, Arabic right to left', async () => {
    const { pdf, content } = await exported(docId, { toc: 'false' });
    const { body } = textStreams(content);
    // The paragraph mixing all six, and each language in its own paragraph (Arabic checked below).
    for (const line of SIX_LANGUAGES.filter((l) => !/[\u0600-\u06ff]/u.test(l))) expect(body).toContain(squash(line));
    expect(body).toContain(squash(SIX_LANGUAGES.slice(0, 4).join(' ')));
    // Arabic: each word extracted as written, in the Arabic font, laid out right to left, the
    // paragraph set against the right margin.
    const arabic = SIX_LANGUAGES.find((l) => /[\u0600-\u06ff]/u.test(l))!;
    const words = arabic.replace(/[.:]/g, '').split(/\s+/);
    const line = textLines(content).find((l) => l.runs.every((run) => !/[A-Za-z]/.test(run.str)) && words.every((w) => l.text.includes(w)));
    expect(line, 'the Arabic paragraph').toBeDefined();
    const positions = words.map((word) => line!.runs.find((run) => run.str.includes(word)));
    for (const run of positions) expect(run?.font).toBe('NotoNaskhArabic');
    for (let i = 1; i < positions.length; i++) expect(positions[i]!.x).toBeLessThan(positions[i - 1]!.x);
    const rightEdge = Math.max(...line!.runs.map((run) => run.x + run.width));
    expect(rightEdge).toBeGreaterThan(595 - 72 - 5);
    // Chinese in the Chinese font.
    expect(content.runs.some((run) => run.str.includes('工作组欢迎该报告') && run.font === 'NotoSansHans-Regular')).toBe(true);
    expectOwnFontsCoveringEveryGlyph(pdf, content, 'languages');
  });

  it('observers may export; people outside the group may not; bad options are refused', async () => {
    const asObserver = await exportPdf(server, observer.auth, docId);
    expect(asObserver.status).toBe(200);
    expect(asObserver.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const outsider = await signUp(server.url, {
      invite: (await createInvite(server.url, server.owner.auth, (await createGroup(server.url, server.owner.auth, 'Elsewhere')).id, 'member')).token,
    });
    const refused = await exportPdf(server, outsider.auth, docId);
    expect(refused.status).toBe(403);
    expect(refused.error?.code).toBe('no_access');
    expect((await exportPdf(server, {}, docId)).status).toBe(401);
    const bad = await exportPdf(server, server.owner.auth, docId, { paper: 'a3', toc: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.error?.code).toBe('invalid_request');
    expect((await exportPdf(server, server.owner.auth, docId, { version: 'AAAAAAAAAAAAAAAA' })).status).toBe(404);
    expect((await exportPdf(server, server.owner.auth, 'AAAAAAAAAAAAAAAA')).status).toBe(404);
  });
});

describe("the working group's papers", () => {
  for (const file of sampleFiles()) {
    it(`${file}: every paragraph, heading, table cell and footnote, in order, on a sane number of pages`, async () => {
      const draft = sampleDraft(file);
      const numbered = file.includes('priorities');
      const docId = await writeDraft(server, draft);
      const { pdf, content } = await exported(docId, { toc: 'false', numbered: String(numbered) });
      saveArtifacts(file.replace(/\.txt$/, ''), pdf, 2);
      expectFaithful(content, draft.doc);
      const expected = expectedOf(draft.doc);
      expect(content.pages).toBeGreaterThanOrEqual(Math.ceil(expected.characters / 6000));
      expect(content.pages).toBeLessThanOrEqual(Math.ceil(expected.characters / 1500) + 2);
      expect(content.outline).toEqual(headingLabels(expected.headings, numbered));
      expectOwnFontsCoveringEveryGlyph(pdf, content, file.replace(/\.txt$/, ''));
      // With the table of contents: one entry per heading.
      const withToc = await exported(docId, { toc: 'true', numbered: String(numbered) });
      saveArtifacts(`${file.replace(/\.txt$/, '')}-toc`, withToc.pdf, 1);
      const toc = printedToc(withToc.content);
      expect(toc.map((entry) => squash(entry.label))).toEqual(headingLabels(expected.headings, numbered).map(squash));
    });
  }
});

describe('hostile content', () => {
  it('comes out literally: no Typst code runs, no file is read, no unsafe link is made', async () => {
    const draft = hostileDraft();
    draft.doc.content!.push({
      type: 'paragraph',
      content: [{ type: 'text', text: 'not a link', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }],
    });
    const docId = await writeDraft(server, draft);
    const { pdf, content } = await exported(docId, { toc: 'true' });
    saveArtifacts('hostile', pdf, 1);
    expectFaithful(content, draft.doc);
    for (const line of HOSTILE_LINES) expect(textStreams(content).body).toContain(squash(line));
    expect(content.info.Title).toBe(draft.title);
    expect(textLines(content).some((line) => squash(line.text) === squash(draft.title))).toBe(true);
    const all = content.runs.map((run) => run.str).join(' ');
    expect(all).not.toMatch(/root:x:0:0/);
    expect(content.pages).toBe(1);
    expect(content.links.map((link) => new URL(link.url).href)).toEqual(
      ['https://example.org/?q=#read("x")', 'HTTPS://EXAMPLE.ORG/UPPER', 'https://example.org/a b'].map((href) => new URL(href).href),
    );
  });
});

describe('versions and limits', () => {
  it('exports a named version: its content, its title and its name in the title block', async () => {
    const draft = syntheticDraft();
    const docId = await writeDraft(server, { title: 'Versioned paper', doc: { type: 'doc', content: draft.doc.content!.slice(0, 3) } });
    const version = await apiOk(server.url, server.owner.auth, 'POST', `/api/documents/${docId}/versions`, { name: '2nd Draft', meetingDate: '2022-02-28' }, 201);
    await apiOk(server.url, server.owner.auth, 'PATCH', `/api/documents/${docId}`, { title: 'Renamed since' });
    const { content, headers } = await exported(docId, { version: version.id, toc: 'false' });
    const lines = textLines(content).map((line) => line.text);
    expect(lines.some((line) => /^Version\s*2nd Draft$/.test(line))).toBe(true);
    expect(lines.some((line) => /^Date\s*28 February 2022$/.test(line))).toBe(true);
    expect(content.info.Title).toBe('Versioned paper');
    expect(headers.get('content-disposition')).toContain('filename="Versioned paper.pdf"');
  });

  it('flattens absurdly deep nesting instead of failing', async () => {
    let inner: PMNode = { type: 'paragraph', content: [{ type: 'text', text: 'The deepest item.' }] };
    for (let depth = 0; depth < 40; depth++) {
      inner = depth % 3 === 2 ? { type: 'blockquote', content: [inner] } : { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: `Level ${depth}` }] }, inner] }] };
    }
    const docId = await writeDraft(server, { title: 'Deep', doc: { type: 'doc', content: [inner] } });
    const { content } = await exported(docId);
    expect(textStreams(content).body).toContain(squash('The deepest item.'));
  });
});
