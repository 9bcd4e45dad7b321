/**
 * Writing drafts through real clients, exporting them through the API, and reading the PDFs back:
 * text (pdfjs), link annotations, outline, fonts, and glyph coverage of the font files.
 */
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import * as Y from 'yjs';
import { getDocumentSchema, META_NUMBERED_HEADINGS } from '../../shared/schema/index';
import { authHeaders, type Auth } from '../helpers/accounts';
import { connectClient, waitFor, waitForSync } from '../helpers/clients';
import { createDocument, REPO_ROOT, type TestServer } from '../helpers/server';
import type { Draft } from './samples';

export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts/export');

/** Creates a document and writes the draft into it with a real collaboration client, as an editor would. */
export async function writeDraft(server: TestServer, draft: Draft, options: { numberedHeadings?: boolean } = {}): Promise<string> {
  const docId = await createDocument(server, draft.title);
  const client = connectClient(server, docId);
  try {
    await waitForSync(client);
    client.doc.transact(() => {
      prosemirrorJSONToYXmlFragment(getDocumentSchema(), draft.doc, client.doc.getXmlFragment('default'));
      if (options.numberedHeadings !== undefined) client.doc.getMap('meta').set(META_NUMBERED_HEADINGS, options.numberedHeadings);
    });
    const expected = Y.encodeStateVector(client.doc);
    await waitFor(() => {
      const room = server.server.registry.peek(docId);
      return room !== undefined && Buffer.from(Y.encodeStateVector(room.doc)).equals(Buffer.from(expected));
    }, 10_000, 'the server to have the draft');
    const room = server.server.registry.peek(docId)!;
    await room.flush();
  } finally {
    client.destroy();
  }
  return docId;
}

export interface ExportResponse {
  status: number;
  headers: Headers;
  pdf: Buffer;
  /** The error body, for a failure. */
  error?: { code: string; message: string };
}

export async function exportPdf(server: { url: string }, auth: Auth, docId: string, query: Record<string, string> = {}): Promise<ExportResponse> {
  const search = new URLSearchParams(query).toString();
  const response = await fetch(`${server.url}/api/documents/${docId}/export.pdf${search ? `?${search}` : ''}`, { headers: authHeaders(auth) });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.headers.get('content-type')?.startsWith('application/json')) {
    return { status: response.status, headers: response.headers, pdf: Buffer.alloc(0), error: JSON.parse(body.toString()).error };
  }
  return { status: response.status, headers: response.headers, pdf: body };
}

// ---------------------------------------------------------------------------------------------
// Reading PDFs.

export interface TextRun {
  page: number;
  str: string;
  /** Font size in points. */
  size: number;
  /** Baseline from the bottom of the page, points. */
  y: number;
  x: number;
  width: number;
  /** The embedded font's name without its subset tag, e.g. "NotoSerif-Regular". */
  font: string;
}

export interface PdfContent {
  pages: number;
  pageHeight: number;
  runs: TextRun[];
  /** Link annotations: their targets, page by page. */
  links: { page: number; url: string }[];
  /** The outline (bookmarks) titles, depth-first. */
  outline: string[];
  info: Record<string, unknown>;
  isTagged: boolean;
}

export async function readPdf(pdf: Buffer): Promise<PdfContent> {
  const document = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, fontExtraProperties: true, verbosity: 0 }).promise;
  const runs: TextRun[] = [];
  const links: PdfContent['links'] = [];
  let pageHeight = 0;
  for (let number = 1; number <= document.numPages; number++) {
    const page = await document.getPage(number);
    pageHeight = page.view[3];
    // The operator list loads the page's fonts, so their real names can be looked up.
    await page.getOperatorList();
    const content = await page.getTextContent();
    for (const item of content.items) {
      if (!('str' in item) || item.str === '') continue;
      const [a, b, , , x, y] = item.transform as number[];
      let font = item.fontName;
      try {
        const loaded = page.commonObjs.get(item.fontName) as { name?: string };
        font = (loaded.name ?? font).replace(/^[A-Z]{6}\+/, '');
      } catch {
        // not loaded: keep the internal name
      }
      runs.push({ page: number, str: item.str, size: Math.round(Math.hypot(a, b) * 10) / 10, x, y, width: item.width, font });
    }
    for (const annotation of await page.getAnnotations()) {
      if (annotation.subtype === 'Link' && annotation.url) links.push({ page: number, url: annotation.url });
    }
  }
  const outline: string[] = [];
  const walk = (items: { title: string; items: unknown[] }[] | null) => {
    for (const item of items ?? []) {
      outline.push(item.title);
      walk(item.items as { title: string; items: unknown[] }[]);
    }
  };
  walk(await document.getOutline());
  const metadata = await document.getMetadata();
  const markInfo = await document.getMarkInfo();
  const result = { pages: document.numPages, pageHeight, runs, links, outline, info: metadata.info as Record<string, unknown>, isTagged: markInfo?.Marked === true };
  await document.destroy();
  return result;
}

/** Text with every kind of white space removed (line breaks fall anywhere), NFKC-folded. */
export const squash = (value: string): string => value.normalize('NFKC').replace(/[\s\u200b-\u200f\u202a-\u202e\u2066-\u2069]+/gu, '');

/**
 * Finds each expected text in order in `haystack` (all squashed), from `from` on. A text may be
 * cut in two by something in between: a table row that breaks across pages is read as the first
 * part of each of its cells, the header repeated on the next page, then the rest of each cell.
 * Then the longest prefix found is taken, the rest is searched after it, and the search for the
 * next text goes on after the prefix (the next cell's first part comes before this one's rest).
 * Returns the texts not found, or found out of order.
 */
export function missingInOrder(haystack: string, expected: string[], from = 0): string[] {
  const missing: string[] = [];
  let cursor = from;
  for (const text of expected) {
    const needle = squash(text);
    if (needle === '') continue;
    const at = haystack.indexOf(needle, cursor);
    if (at >= 0) {
      cursor = at + needle.length;
      continue;
    }
    // Split once: the longest prefix (of at least 8 characters) found, then the rest after it.
    let found = false;
    for (let cut = needle.length - 1; cut >= 8 && !found; cut--) {
      const head = haystack.indexOf(needle.slice(0, cut), cursor);
      if (head < 0) continue;
      const tail = haystack.indexOf(needle.slice(cut), head + cut);
      if (tail >= 0 && tail - (head + cut) < 4000) {
        cursor = head + cut;
        found = true;
      }
    }
    if (!found) missing.push(text);
  }
  return missing;
}

// ---------------------------------------------------------------------------------------------
// Which characters a font file has glyphs for (its cmap), to prove there is no missing glyph.

export function fontCoverage(file: string): (codePoint: number) => boolean {
  const data = readFileSync(file);
  const numTables = data.readUInt16BE(4);
  let cmap = -1;
  for (let i = 0; i < numTables; i++) {
    const record = 12 + i * 16;
    if (data.toString('latin1', record, record + 4) === 'cmap') cmap = data.readUInt32BE(record + 8);
  }
  if (cmap < 0) throw new Error(`${file}: no cmap table`);
  const subtables = new Map<string, number>();
  for (let i = 0; i < data.readUInt16BE(cmap + 2); i++) {
    const record = cmap + 4 + i * 8;
    subtables.set(`${data.readUInt16BE(record)}/${data.readUInt16BE(record + 2)}`, cmap + data.readUInt32BE(record + 4));
  }
  const full = subtables.get('3/10') ?? subtables.get('0/4');
  if (full !== undefined && data.readUInt16BE(full) === 12) {
    const groups: [number, number, number][] = [];
    for (let i = 0; i < data.readUInt32BE(full + 12); i++) {
      const g = full + 16 + i * 12;
      groups.push([data.readUInt32BE(g), data.readUInt32BE(g + 4), data.readUInt32BE(g + 8)]);
    }
    return (cp) => groups.some(([start, end, glyph]) => cp >= start && cp <= end && glyph + (cp - start) !== 0);
  }
  const bmp = subtables.get('3/1') ?? subtables.get('0/3');
  if (bmp === undefined || data.readUInt16BE(bmp) !== 4) throw new Error(`${file}: no usable cmap subtable`);
  const segments = data.readUInt16BE(bmp + 6) / 2;
  const ends = bmp + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const rangeOffsets = deltas + segments * 2;
  return (cp) => {
    if (cp > 0xffff) return false;
    for (let s = 0; s < segments; s++) {
      if (cp > data.readUInt16BE(ends + s * 2)) continue;
      const start = data.readUInt16BE(starts + s * 2);
      if (cp < start) return false;
      const delta = data.readInt16BE(deltas + s * 2);
      const rangeOffset = data.readUInt16BE(rangeOffsets + s * 2);
      if (rangeOffset === 0) return ((cp + delta) & 0xffff) !== 0;
      const glyph = data.readUInt16BE(rangeOffsets + s * 2 + rangeOffset + (cp - start) * 2);
      return glyph !== 0 && ((glyph + delta) & 0xffff) !== 0;
    }
    return false;
  };
}

// ---------------------------------------------------------------------------------------------
// Artefacts: the PDF and its first pages as PNG, to look at.

export function saveArtifacts(name: string, pdf: Buffer, pages = 3): string[] {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const pdfPath = join(ARTIFACTS_DIR, `${name}.pdf`);
  writeFileSync(pdfPath, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', String(pages), pdfPath, join(ARTIFACTS_DIR, name)]);
  return [pdfPath];
}

/** `pdffonts` lines: name, type, embedded. */
export function pdfFonts(pdf: Buffer, name: string): { name: string; embedded: boolean }[] {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const pdfPath = join(ARTIFACTS_DIR, `${name}.pdf`);
  writeFileSync(pdfPath, pdf);
  const output = execFileSync('pdffonts', [pdfPath], { encoding: 'utf8' });
  return output
    .split('\n')
    .slice(2)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const fields = line.trim().split(/\s+/);
      // name … emb sub uni objectId gen: "emb" is the 5th field from the end.
      return { name: fields[0].replace(/^[A-Z]{6}\+/, '').replace(/-Identity-H$/, ''), embedded: fields[fields.length - 5] === 'yes' };
    });
}

// ---------------------------------------------------------------------------------------------
// Where text sits on the page.

/** Header (running title) and footer (page numbers) lie in the top and bottom margins. */
const inMargins = (run: TextRun, pageHeight: number) => run.y > pageHeight - 60 || run.y < 55;
/** The "DRAFT" watermark. */
const isWatermark = (run: TextRun) => run.size > 60;
/** Footnote texts are set smaller than anything in the body (8.5 pt; tables are 9 pt). */
export const isFootnoteSize = (run: TextRun) => run.size < 8.8;

/** The body's text and the footnotes' text, each squashed, in reading order. */
export function textStreams(content: PdfContent): { body: string; footnotes: string; margins: string } {
  let body = '';
  let footnotes = '';
  let margins = '';
  for (const run of content.runs) {
    if (isWatermark(run)) continue;
    if (inMargins(run, content.pageHeight)) margins += run.str + ' ';
    else if (isFootnoteSize(run)) footnotes += squash(run.str);
    else body += squash(run.str);
  }
  return { body, footnotes, margins };
}

/** Runs grouped into lines (same page, baselines within 3 pt: dot leaders sit a little higher), left to right. */
export function textLines(content: PdfContent): { page: number; y: number; runs: TextRun[]; text: string }[] {
  const runs = content.runs.filter((run) => !isWatermark(run)).sort((a, b) => a.page - b.page || b.y - a.y);
  const lines: { page: number; y: number; runs: TextRun[] }[] = [];
  for (const run of runs) {
    const line = lines[lines.length - 1];
    if (line && line.page === run.page && Math.abs(line.y - run.y) < 3) line.runs.push(run);
    else lines.push({ page: run.page, y: run.y, runs: [run] });
  }
  return lines.map((line) => {
    const sorted = line.runs.sort((a, b) => a.x - b.x);
    return { ...line, runs: sorted, text: sorted.map((r) => r.str).join('') };
  });
}

/**
 * The printed table of contents: entries "<label> . . . . <page>" read from the lines after
 * "Contents" (a long heading's entry wraps onto two lines; its dots and page end the second).
 */
export function printedToc(content: PdfContent): { label: string; page: number }[] {
  const lines = textLines(content);
  const start = lines.findIndex((line) => line.text.trim() === 'Contents');
  if (start < 0) return [];
  const entries: { label: string; page: number }[] = [];
  let pending = '';
  for (const line of lines.slice(start + 1)) {
    const match = /^(.*?)\s*(?:\.\s*){4,}(\d+)\s*$/.exec(line.text);
    if (match) {
      entries.push({ label: `${pending} ${match[1]}`.replace(/\s+/g, ' ').trim(), page: Number(match[2]) });
      pending = '';
    } else if (entries.length > 0 && pending !== '') break;
    else pending += ` ${line.text}`;
    if (pending.length > 400) break;
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Font files by the PostScript name a PDF knows them by.

export function postScriptName(file: string): string {
  const data = readFileSync(file);
  const numTables = data.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const record = 12 + i * 16;
    if (data.toString('latin1', record, record + 4) !== 'name') continue;
    const table = data.readUInt32BE(record + 8);
    const count = data.readUInt16BE(table + 2);
    const strings = table + data.readUInt16BE(table + 4);
    for (let r = 0; r < count; r++) {
      const entry = table + 6 + r * 12;
      if (data.readUInt16BE(entry + 6) !== 6) continue;
      const platform = data.readUInt16BE(entry);
      const length = data.readUInt16BE(entry + 8);
      const offset = strings + data.readUInt16BE(entry + 10);
      const bytes = data.subarray(offset, offset + length);
      if (platform === 3 || platform === 0) return Buffer.from(bytes).swap16().toString('utf16le');
      return bytes.toString('latin1');
    }
  }
  throw new Error(`${file}: no PostScript name`);
}
