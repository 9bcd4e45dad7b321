/**
 * Property-based fuzzing of the HTTP import routes against a real server (issue 13: nothing a
 * client sends can take the service down). fast-check generates:
 * - Word files: valid .docx archives built from generated content (paragraphs with styles and
 *   runs, tables nested in tables), then mutated: truncated, bits flipped, wrong or huge sizes in
 *   the headers, wrong entry counts, unknown compression methods, many entries, XML nested
 *   thousands deep, zip bombs with honest and lying headers;
 * - Markdown: nested lists and quotes (to thousands of levels), tables, code, footnotes, HTML,
 *   random Unicode;
 * - HTML and plain text: generated trees of tags, deep nesting, random Unicode.
 * Each case is POSTed to /api/documents/import, /api/sources/import or a source's re-import.
 * Every answer must be 201 (200 for a re-import), 400 or 413 — never a 5xx, never a hang — and a
 * 4xx must store nothing (the group's document count is unchanged). After each batch the server
 * is alive and a client still edits a document live.
 *
 * The server runs with small limits (a few MiB unzipped, thousands of nodes) so that small
 * generated files reach them. Counterexamples fast-check found and shrank are kept below as fixed
 * regression cases.
 */
import { fc, it } from '@fast-check/vitest';
import { strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import * as Y from 'yjs';
import { api } from '../helpers/accounts';
import { connectClient, waitFor, waitForSync, type TestClient } from '../helpers/clients';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';
import { buildZip, documentCount, docxEntries, W_NS, zipBomb, type ZipEntry } from './import-support';

let server: TestServer;
/** The source re-imports go to; a fresh one every REIMPORTS_PER_SOURCE, so its history stays short. */
let sourceId: string;
let reimports = 0;
const REIMPORTS_PER_SOURCE = 10;
let editedDoc: string;
const clients: TestClient[] = [];
/** IMPORT_FUZZ_SCALE=10 runs ten times the cases (to fuzz longer locally); CI runs the modest default. */
const SCALE = Math.max(1, Number(process.env.IMPORT_FUZZ_SCALE ?? 1));
const runs = (n: number) => ({ numRuns: n * SCALE });
/** Every case sent, by property, and the statuses they got. */
const tally = new Map<string, Map<number, number>>();

// Made before the server starts: deflating takes a moment (see import-bounds.test.ts).
const BOMB = zipBomb(8);
const LYING_BOMB = zipBomb(8, { lie: true });

beforeAll(async () => {
  server = await startTestServer({
    env: {
      IMPORT_MAX_UNZIPPED_BYTES: String(4 * 2 ** 20),
      IMPORT_MAX_ZIP_ENTRIES: '64',
      DOCUMENT_MAX_CHARACTERS: '200000',
      DOCUMENT_MAX_NODES: '20000',
      DOCUMENT_MAX_TABLE_CELLS: '500',
    },
  });
  sourceId = await freshSource();
  editedDoc = await createDocument(server, 'Edited during the fuzzing');
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  const lines = [...tally].map(([name, statuses]) => {
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    return `${name}: ${total} cases (${[...statuses].sort((a, b) => a[0] - b[0]).map(([status, n]) => `${status}×${n}`).join(', ')})`;
  });
  console.log(`import fuzzing:\n  ${lines.join('\n  ')}\n  ${[...tally.values()].reduce((sum, s) => sum + [...s.values()].reduce((a, b) => a + b, 0), 0)} cases in all`);
  await server?.stop();
});

type Route = 'draft' | 'source' | 'reimport';

async function freshSource(): Promise<string> {
  const source = await api(server.url, server.owner.auth, 'POST', '/api/sources/import', {
    groupId: server.owner.groupId,
    format: 'text',
    content: 'A source\n\n1. The first paragraph.\n\n2. The second paragraph.',
  });
  expect(source.status).toBe(201);
  return source.body.id;
}

/**
 * Sends one case and checks the answer: 201/200, 400 or 413, within 60 s; a refusal stores nothing
 * (and a refused re-import leaves the source as it was).
 */
async function sendCase(property: string, route: Route, format: 'markdown' | 'docx' | 'html' | 'text', content: string): Promise<void> {
  const body = route === 'reimport' ? { format, content } : { groupId: server.owner.groupId, format, content };
  await sendBody(property, route, JSON.stringify(body));
}

/** As sendCase, with the request body as given (any bytes). */
async function sendBody(property: string, route: Route, body: string): Promise<void> {
  if (route === 'reimport' && ++reimports % REIMPORTS_PER_SOURCE === 0) sourceId = await freshSource();
  const before = await documentCount(server);
  const path = route === 'draft' ? '/api/documents/import' : route === 'source' ? '/api/sources/import' : `/api/sources/${sourceId}/reimport`;
  const format = /"format"\s*:\s*"([a-z]*)"/.exec(body)?.[1] ?? '?';
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.owner.auth.token}` },
    body,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  const statuses = tally.get(property) ?? new Map<number, number>();
  tally.set(property, statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1));
  const ok = route === 'reimport' ? 200 : 201;
  expect([ok, 400, 413], `${route} ${format}: ${response.status} ${text.slice(0, 300)}`).toContain(response.status);
  expect(await documentCount(server)).toBe(before + (response.status === 201 ? 1 : 0));
  if (response.status >= 400) expect(JSON.parse(text).error.code).toMatch(/^(invalid_request|invalid_content|invalid_json|too_large)$/);
}

/** The server still answers, and a client's edit still reaches another client live. */
async function serverStillEdits(): Promise<void> {
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  const writer = connectClient(server, editedDoc);
  const reader = connectClient(server, editedDoc);
  clients.push(writer, reader);
  await Promise.all([waitForSync(writer), waitForSync(reader)]);
  const word = `edit-${Math.random().toString(36).slice(2)}`;
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(word)]);
  writer.doc.getXmlFragment('default').insert(0, [paragraph]);
  await waitFor(() => reader.text().includes(word), 10_000, 'the edit to reach the other client');
  writer.destroy();
  reader.destroy();
}

// ---------------------------------------------------------------------------------------------
// Word files

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = fc.string({ unit: 'grapheme', maxLength: 30 });
const wordRun = fc
  .record({ text, bold: fc.boolean(), italic: fc.boolean(), underline: fc.boolean() })
  .map(({ text: t, bold, italic, underline }) => {
    const properties = `${bold ? '<w:b/>' : ''}${italic ? '<w:i/>' : ''}${underline ? '<w:u w:val="single"/>' : ''}`;
    return `<w:r>${properties ? `<w:rPr>${properties}</w:rPr>` : ''}<w:t xml:space="preserve">${escapeXml(t)}</w:t></w:r>`;
  });
const wordParagraph = fc
  .record({ style: fc.constantFrom('', 'Title', 'Heading1', 'Heading2', 'Heading5', 'Quote', 'ListParagraph', 'Horizontal Rule'), runs: fc.array(wordRun, { maxLength: 4 }) })
  .map(({ style, runs }) => `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}${runs.join('')}</w:p>`);
const { wordBlock } = fc.letrec<{ wordBlock: string; wordTable: string }>((tie) => ({
  wordBlock: fc.oneof({ depthSize: 'small', withCrossShrink: true }, wordParagraph, tie('wordTable')),
  wordTable: fc
    .array(fc.array(fc.array(tie('wordBlock'), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 })
    .map((rows) => `<w:tbl>${rows.map((cells) => `<w:tr>${cells.map((blocks) => `<w:tc>${blocks.join('')}<w:p/></w:tc>`).join('')}</w:tr>`).join('')}</w:tbl>`),
}));
const wordBody = fc.array(wordBlock, { minLength: 1, maxLength: 12 }).map((blocks) => blocks.join(''));

type Mutation =
  | { kind: 'none' }
  | { kind: 'stored' }
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; positions: number[] }
  | { kind: 'sizes'; entry: number; size: number; compressed: number | null }
  | { kind: 'count'; count: number }
  | { kind: 'method'; entry: number; method: number }
  | { kind: 'entries'; count: number }
  | { kind: 'deep'; depth: number; tag: string }
  | { kind: 'bomb'; lie: boolean };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.constant({ kind: 'stored' as const }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('flip' as const), positions: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }) }),
  fc.record({
    kind: fc.constant('sizes' as const),
    entry: fc.nat(2),
    size: fc.oneof(fc.nat(4096), fc.constant(0), fc.constant(0xffffffff), fc.constant(0xfffffff0), fc.integer({ min: 0, max: 0xffffffff })),
    compressed: fc.option(fc.oneof(fc.nat(4096), fc.constant(0xffffffff), fc.integer({ min: 0, max: 0xffffffff }))),
  }),
  fc.record({ kind: fc.constant('count' as const), count: fc.oneof(fc.nat(10), fc.constant(0xffff)) }),
  fc.record({ kind: fc.constant('method' as const), entry: fc.nat(2), method: fc.oneof(fc.constant(0), fc.constant(1), fc.constant(12), fc.constant(99), fc.nat(0xffff)) }),
  fc.record({ kind: fc.constant('entries' as const), count: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('deep' as const), depth: fc.integer({ min: 50, max: 3000 }), tag: fc.constantFrom('w:sdt><w:sdtContent', 'w:tbl><w:tr><w:tc', 'w:x', 'w:smartTag') }),
  fc.record({ kind: fc.constant('bomb' as const), lie: fc.boolean() }),
);

/** A Word file of `body`, mutated. */
function wordFile(body: string, change: Mutation): Uint8Array {
  if (change.kind === 'bomb') return change.lie ? LYING_BOMB : BOMB;
  let documentBody = body;
  if (change.kind === 'deep') {
    const [open, close] = [`<${change.tag}>`, `</${change.tag.split('><').reverse().join('></')}>`];
    documentBody = `${open.repeat(change.depth)}${body}${close.repeat(change.depth)}`;
  }
  let entries: ZipEntry[] = docxEntries(documentBody);
  if (change.kind === 'stored') entries = entries.map((entry) => ({ ...entry, method: 0 }));
  if (change.kind === 'sizes') {
    entries[change.entry] = { ...entries[change.entry], declaredSize: change.size, ...(change.compressed !== null && { declaredCompressedSize: change.compressed }) };
  }
  if (change.kind === 'method') entries[change.entry] = { ...entries[change.entry], method: change.method, compressed: entries[change.entry].data };
  if (change.kind === 'entries') entries.push(...Array.from({ length: change.count }, (_, i) => ({ name: `word/media/image${i}.png`, data: strToU8(`not an image ${i}`) })));
  let bytes = buildZip(entries, change.kind === 'count' ? { declaredCount: change.count } : {});
  if (change.kind === 'truncate') bytes = bytes.slice(0, Math.floor(change.at * bytes.length));
  if (change.kind === 'flip') {
    bytes = bytes.slice();
    for (const at of change.positions) {
      const index = Math.min(bytes.length - 1, Math.floor(at * bytes.length));
      bytes[index] ^= 1 << index % 8;
    }
  }
  return bytes;
}

describe('Word files', () => {
  it.prop([wordBody, mutation, fc.constantFrom<Route>('draft', 'source', 'reimport')], runs(60))(
    'generated and mutated .docx files: 201, 400 or 413, nothing stored on a refusal',
    async (body, change, route) => {
      await sendCase('Word files', route, 'docx', Buffer.from(wordFile(body, change)).toString('base64'));
    },
    120_000,
  );

  it('the server still answers and edits after the Word batch', serverStillEdits, 30_000);
});

// ---------------------------------------------------------------------------------------------
// Markdown

const inlineMarkdown = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom('**bold**', '*it*', '~~s~~', '[link](https://example.org/x)', '[bad](javascript:alert(1))', '<u>u</u>', '`code`', '[^1]', '<br>', '\\', '<script>x</script>', '&amp;', '|', '*', '_', '![img](x.png)'),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join('').replace(/\r?\n/g, ' '));

interface MarkdownBlock {
  lines: string[];
}
const indentLines = (lines: string[], first: string, rest: string): string[] => lines.map((line, i) => (i === 0 ? first : rest) + line);
const { markdownBlock } = fc.letrec<{ markdownBlock: MarkdownBlock; markdownList: MarkdownBlock; markdownQuote: MarkdownBlock }>((tie) => ({
  markdownBlock: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    inlineMarkdown.map((line) => ({ lines: [line] })),
    fc.record({ level: fc.integer({ min: 1, max: 6 }), line: inlineMarkdown }).map(({ level, line }) => ({ lines: [`${'#'.repeat(level)} ${line}`] })),
    fc
      .record({ columns: fc.integer({ min: 1, max: 6 }), rows: fc.array(fc.array(inlineMarkdown, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 30 }) })
      .map(({ columns, rows }) => ({
        lines: [`|${' h |'.repeat(columns)}`, `|${' --- |'.repeat(columns)}`, ...rows.map((cells) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`)],
      })),
    fc.constantFrom<MarkdownBlock>({ lines: ['```', 'code <b>', '```'] }, { lines: ['---'] }, { lines: ['[^1]: a footnote'] }, { lines: ['<div>', 'raw <i>html</i>', '</div>'] }),
    fc.record({ depth: fc.integer({ min: 10, max: 3000 }), marker: fc.constantFrom('> ', '- ', '1. ', '  - ') }).map(({ depth, marker }) => ({
      lines: marker === '  - ' ? Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}- level ${i}`) : [`${marker.repeat(depth)}deep`],
    })),
    tie('markdownList'),
    tie('markdownQuote'),
  ),
  markdownList: fc
    .record({ ordered: fc.boolean(), items: fc.array(fc.array(tie('markdownBlock'), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 4 }) })
    .map(({ ordered, items }) => ({
      lines: items.flatMap((blocks, i) => {
        const marker = ordered ? `${i + 1}. ` : '- ';
        return indentLines(blocks.flatMap((block, b) => (b === 0 ? block.lines : ['', ...block.lines])), marker, ' '.repeat(marker.length));
      }),
    })),
  markdownQuote: fc.array(tie('markdownBlock'), { minLength: 1, maxLength: 3 }).map((blocks) => ({ lines: blocks.flatMap((block) => [...block.lines, '']).map((line) => `> ${line}`) })),
}));
const markdownDocument = fc.oneof(
  fc.array(markdownBlock, { minLength: 1, maxLength: 10 }).map((blocks) => blocks.map((block) => block.lines.join('\n')).join('\n\n')),
  fc.string({ unit: 'grapheme', maxLength: 400 }),
);

describe('Markdown', () => {
  it.prop([markdownDocument, fc.constantFrom<Route>('draft', 'source', 'reimport')], runs(60))(
    'generated Markdown (deep nesting, tables, random Unicode): 201, 400 or 413, nothing stored on a refusal',
    async (markdown, route) => {
      await sendCase('Markdown', route, 'markdown', markdown);
    },
    120_000,
  );

  it('the server still answers and edits after the Markdown batch', serverStillEdits, 30_000);
});

// ---------------------------------------------------------------------------------------------
// HTML and text

const htmlText = fc.string({ unit: 'grapheme', maxLength: 20 }).map((t) => t.replace(/</g, '&lt;'));
const tagName = fc.constantFrom('div', 'p', 'span', 'b', 'i', 'u', 'a', 'ul', 'ol', 'li', 'table', 'tr', 'td', 'th', 'blockquote', 'h1', 'h3', 'h6', 'pre', 'script', 'style', 'section', 'br', 'hr', 'img', 'svg', 'dl', 'dd');
const attribute = fc.constantFrom('', ' href="https://example.org"', ' href="javascript:x()"', ' href="#fn1" id="fnref1"', ' id="fn1"', ' colspan="3"', ' rowspan="100000"', ' class="title"', ' style="x"');
const { htmlNode } = fc.letrec<{ htmlNode: string }>((tie) => ({
  htmlNode: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    htmlText,
    fc.record({ tag: tagName, attribute, children: fc.array(tie('htmlNode'), { maxLength: 4 }) }).map(({ tag, attribute: a, children }) => `<${tag}${a}>${children.join('')}</${tag}>`),
    fc.record({ depth: fc.integer({ min: 100, max: 5000 }), tag: tagName }).map(({ depth, tag }) => `${`<${tag}>`.repeat(depth)}deep${`</${tag}>`.repeat(depth)}`),
  ),
}));
const htmlDocument = fc.oneof(
  fc.array(htmlNode, { minLength: 1, maxLength: 8 }).map((nodes) => `<html><head><title>T</title></head><body>${nodes.join('')}</body></html>`),
  fc.array(htmlNode, { maxLength: 8 }).map((nodes) => nodes.join('')),
  fc.string({ unit: 'grapheme', maxLength: 400 }),
);
const textDocument = fc.oneof(
  fc.array(fc.oneof(inlineMarkdown, fc.constantFrom('- item', '• item', '1. numbered', 'a\tb\tc', '<td>x</td>\t<p>y</p>\tz', '¹ a note', 'word¹', 'ALL CAPS HEADING', '')), { maxLength: 30 }).map((lines) => lines.join('\n')),
  fc.string({ unit: 'grapheme', maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

describe('HTML and plain text', () => {
  it.prop([htmlDocument, fc.constantFrom<Route>('source', 'reimport')], runs(40))(
    'generated HTML (deep nesting, hostile attributes): 201, 400 or 413, nothing stored on a refusal',
    async (html, route) => {
      await sendCase('HTML', route, 'html', html);
    },
    120_000,
  );

  it.prop([textDocument, fc.constantFrom<Route>('source', 'reimport')], runs(30))(
    'generated plain text (bullets, tabs, footnotes, binary): 201, 400 or 413, nothing stored on a refusal',
    async (content, route) => {
      await sendCase('text', route, 'text', content);
    },
    120_000,
  );

  it('the server still answers and edits after the HTML and text batches', serverStillEdits, 30_000);
});

// ---------------------------------------------------------------------------------------------
// Request bodies: the upload routes read their JSON themselves (server/src/export/upload.ts).

/** A key written with some letters as \u escapes (the same key to any JSON reader). */
const escapedKey = (key: string, escape: boolean): string => (escape ? `"${[...key].map((c, i) => (i % 2 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join('')}"` : JSON.stringify(key));
const requestBody = fc
  .record({
    content: fc.oneof(
      { weight: 6, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }) },
      { weight: 2, arbitrary: fc.constantFrom('', 'a "quoted" \\ back\\slash', '\u0000', '}{":,', '# Title\n\nText') },
      fc.integer(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
    ),
    format: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('markdown', 'html', 'text') }, fc.constantFrom('docx', 'pdf', '')),
    title: fc.option(fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) }, fc.string({ minLength: 200, maxLength: 300 }), fc.integer()), { freq: 2 }),
    extra: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, fc.string({ maxLength: 10 })),
    escapeKeys: fc.boolean(),
    space: fc.constantFrom('', ' ', '\n\t '),
    change: fc.oneof(
      { weight: 4, arbitrary: fc.constant({ kind: 'none' as const }) },
      fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: fc.constantFrom('"', '\\', '{', '}', ',', ':', ']', 'x', '\u0000', ' ') }),
      fc.constant({ kind: 'duplicate' as const }),
      fc.constant({ kind: 'array' as const }),
    ),
  })
  .map(({ content, format, title, extra, escapeKeys, space, change }) => {
    const entries: [string, unknown][] = [
      ['groupId', null],
      ['format', format],
      ['content', content],
      ...(title !== null ? [['title', title] as [string, unknown]] : []),
      ...(extra !== null ? [[extra, 1] as [string, unknown]] : []),
    ];
    if (change.kind === 'duplicate') entries.push(['content', 'a second content']);
    const body = (groupId: string | null) =>
      `${space}{${entries.filter(([key]) => key !== 'groupId' || groupId !== null).map(([key, value]) => `${space}${escapedKey(key, escapeKeys)}${space}:${space}${JSON.stringify(key === 'groupId' ? groupId : value)}`).join(`,${space}`)}${space}}${space}`;
    return (groupId: string | null): string => {
      let text = body(groupId);
      if (change.kind === 'truncate') text = text.slice(0, Math.floor(change.at * text.length));
      if (change.kind === 'insert') {
        const at = Math.floor(change.at * text.length);
        text = `${text.slice(0, at)}${change.text}${text.slice(at)}`;
      }
      if (change.kind === 'array') text = `[${text}]`;
      return text;
    };
  });

describe('request bodies', () => {
  it.prop([requestBody, fc.constantFrom<Route>('draft', 'source', 'reimport')], runs(40))(
    'generated and damaged JSON bodies (escaped keys, duplicate keys, wrong types, truncated): 201, 400 or 413, nothing stored on a refusal',
    async (body, route) => {
      await sendBody('request bodies', route, body(route === 'reimport' ? null : server.owner.groupId));
    },
    120_000,
  );
});

// ---------------------------------------------------------------------------------------------
// Regressions: counterexamples the fuzzing found (shrunk), kept as fixed cases. Both were answered
// 400 invalid_request (content must not be empty), a code the properties first did not allow.

describe('regressions found by fuzzing', () => {
  it('fixed cases: 201, 400 or 413', async () => {
    const cases: [Route, 'markdown' | 'docx' | 'html' | 'text', string][] = [
      // ["<w:p></w:p>", { kind: 'truncate', at: 0 }, 'draft']: a Word file truncated to nothing.
      ['draft', 'docx', Buffer.from(wordFile('<w:p></w:p>', { kind: 'truncate', at: 0 })).toString('base64')],
      // ['', 'draft']: empty Markdown; ['', 'source'] for HTML and text.
      ['draft', 'markdown', ''],
      ['source', 'html', ''],
      ['source', 'text', ''],
      // Hand-made while writing the properties: the extremes they sample rarely.
      ['source', 'text', `${'<u>'.repeat(50_000)}x${'</u>'.repeat(50_000)}`],
      ['draft', 'markdown', `${'> '.repeat(50_000)}deep`],
      ['draft', 'docx', Buffer.from(wordFile('<w:p/>', { kind: 'deep', depth: 3000, tag: 'w:tbl><w:tr><w:tc' })).toString('base64')],
      ['reimport', 'docx', Buffer.from(wordFile('<w:p/>', { kind: 'sizes', entry: 2, size: 0xffffffff, compressed: 0xffffffff })).toString('base64')],
    ];
    for (const [route, format, content] of cases) await sendCase('regressions', route, format, content);
    expect(W_NS).toContain('wordprocessingml');
  }, 60_000);
});
