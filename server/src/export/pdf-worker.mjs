// Typesetting papers as PDF, on a worker thread so a long paper never stalls the editing loop.
// Plain JavaScript: Node 20 worker threads cannot load TypeScript through tsx.
//
// workerData: { template, workspace, fontFiles, maxDataBytes, idleEvictMs }
// Job (postMessage { jobId, updates, paper, annexes }):
//   updates: Uint8Array[]   the document's Yjs state (applied in order)
//   paper:   { title, group, date, dateParts, version, paper, toc, numbered, watermark, status }
//            (numbered null: the document's own setting)
//   annexes: { comments, participants } (see annexes.ts; null when not asked for)
// Or a redline (postMessage { jobId, kind: 'redline', data }): `data` is the JSON string that
//   template/redline.typ reads (built and cleaned by redline.ts), typeset as it is.
// → { jobId, result: { pdf: Uint8Array, pages, standard: 'ua-1' | null } } or { jobId, error, code }
//   (and { log } for something worth logging)
//
// The document reaches the template as DATA: its ProseMirror JSON, cleaned up here (known node
// types and attributes only, links with allowed targets only, nesting bounded), is passed as the
// string input `concord` that template/paper.typ decodes with json() and walks. No text of the
// document is ever put into Typst markup, so nothing a person typed can run Typst code or read a
// file.
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import * as Y from 'yjs';
import { citationText } from './citation-text.mjs';
import { clampDepth } from './limits.mjs';
import { yjsToJson } from './yjs-content.mjs';

/** DOCUMENT_MAX_DEPTH (shared/api/import.ts): content nested deeper is flattened, as the Markdown and Word exports do. */
const MAX_DEPTH = 64;

const CONTENT_FRAGMENT = 'default';
const META_MAP = 'meta';
const META_NUMBERED_HEADINGS = 'numberedHeadings';
/** Same bound as shared/schema/footnote.ts. */
const FOOTNOTE_MAX_LENGTH = 4000;
/** Lists, quotes and tables nested deeper than this are flattened (Typst bounds its call depth). */
const MAX_NESTING = 8;
const MAX_SPAN = 64;

class ExportError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------------
// Cleaning the ProseMirror JSON. Content arrives from any client's Yjs updates and is not
// validated against the schema on the way in, so every shape the template relies on is made
// true here.

// Same rule as shared/schema/links.ts (isAllowedLinkHref): absolute http(s) with a host, or mailto.
// eslint-disable-next-line no-control-regex
const IGNORED_IN_SCHEME = /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u2029\u205f\u3000\ufeff]/g;
function allowedHref(href) {
  if (typeof href !== 'string') return null;
  const compact = href.replace(IGNORED_IN_SCHEME, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact)?.[1]?.toLowerCase();
  const allowed =
    (scheme === 'mailto' && compact.length > 'mailto:'.length) || ((scheme === 'http' || scheme === 'https') && /^https?:\/\/[^/?#\s]+/i.test(compact));
  if (!allowed) return null;
  // What a browser would request: control characters dropped, spaces inside encoded.
  // eslint-disable-next-line no-control-regex
  return href.trim().replace(/[\u0000-\u001f\u007f]/g, '').replace(/\s/g, (c) => encodeURIComponent(c));
}

const MARKS = new Set(['bold', 'italic', 'underline', 'strike', 'link']);
const BLOCK_CONTAINERS = new Set(['blockquote', 'listItem', 'tableCell', 'tableHeader']);

const clampInt = (value, min, max, fallback) => {
  const n = Number(value);
  return Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : fallback;
};

const asString = (value) => (typeof value === 'string' ? value : '');

// Strong right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms)
// and strong left-to-right letters; a paragraph's direction is that of its first strong letter.
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/u;
const STRONG = /[\p{L}]/u;

function directionOf(inline) {
  for (const node of inline) {
    if (node.type !== 'text') continue;
    for (const char of node.text) {
      if (RTL.test(char)) return 'rtl';
      if (STRONG.test(char)) return 'ltr';
    }
  }
  return 'ltr';
}

function cleanMarks(marks) {
  const out = [];
  const seen = new Set();
  for (const mark of Array.isArray(marks) ? marks : []) {
    // y-prosemirror names marks that may overlap "type--hash".
    const type = asString(mark?.type).split('--')[0];
    if (!MARKS.has(type) || seen.has(type)) continue;
    if (type === 'link') {
      const href = allowedHref(mark.attrs?.href);
      if (!href) continue;
      out.push({ type, href });
    } else out.push({ type });
    seen.add(type);
  }
  return out;
}

/** Inline content: text runs (with marks), hard breaks, footnotes; anything else by its text. */
function cleanInline(nodes, out = []) {
  for (const node of Array.isArray(nodes) ? nodes : []) {
    const type = asString(node?.type);
    if (type === 'text') {
      const text = asString(node.text);
      if (text !== '') out.push({ type: 'text', text, marks: cleanMarks(node.marks) });
    } else if (type === 'hardBreak') {
      out.push({ type: 'hardBreak' });
    } else if (type === 'footnote') {
      const note = asString(node.attrs?.note).replace(/\s+/g, ' ').trim().slice(0, FOOTNOTE_MAX_LENGTH);
      if (note !== '') out.push({ type: 'footnote', note });
    } else if (type === 'citation') {
      // A citation of a source paragraph reads as its text: "Options Paper V.4".
      const text = citationText(node.attrs);
      if (text !== '') out.push({ type: 'text', text, marks: [] });
    } else if (Array.isArray(node?.content)) {
      cleanInline(node.content, out);
    }
  }
  return out;
}

function textBlock(type, inline, extra = {}) {
  return { type, ...extra, dir: directionOf(inline), content: inline };
}

/** Block content at nesting depth `depth`. Inline nodes among blocks become paragraphs. */
function cleanBlocks(nodes, depth) {
  const out = [];
  let loose = [];
  const flushLoose = () => {
    const inline = cleanInline(loose);
    if (inline.length > 0) out.push(textBlock('paragraph', inline));
    loose = [];
  };
  for (const node of Array.isArray(nodes) ? nodes : []) {
    const type = asString(node?.type);
    if (type === 'text' || type === 'hardBreak' || type === 'footnote' || type === 'citation') {
      loose.push(node);
      continue;
    }
    flushLoose();
    const content = Array.isArray(node?.content) ? node.content : [];
    if (type === 'paragraph') {
      const inline = cleanInline(content);
      if (inline.length > 0) out.push(textBlock('paragraph', inline));
    } else if (type === 'heading') {
      const inline = cleanInline(content);
      if (inline.length > 0) out.push(textBlock('heading', inline, { level: clampInt(node.attrs?.level, 1, 3, 1) }));
    } else if (type === 'horizontalRule') {
      out.push({ type: 'horizontalRule' });
    } else if (depth >= MAX_NESTING) {
      // Too deep to nest again: its blocks join this level.
      out.push(...cleanBlocks(content.flatMap((child) => (BLOCK_CONTAINERS.has(child?.type) || child?.type === 'tableRow' ? child.content ?? [] : [child])), depth));
    } else if (type === 'bulletList' || type === 'orderedList') {
      const items = content.map((item) => ({ type: 'listItem', content: cleanBlocks(item?.type === 'listItem' ? item.content : [item], depth + 1) }));
      if (items.length === 0) continue;
      const list = { type, content: items };
      if (type === 'orderedList') {
        list.start = clampInt(node.attrs?.start, 0, 1_000_000, 1);
        const style = asString(node.attrs?.type);
        list.style = ['a', 'A', 'i', 'I'].includes(style) ? style : '1';
      }
      out.push(list);
    } else if (type === 'blockquote') {
      const inner = cleanBlocks(content, depth + 1);
      if (inner.length > 0) out.push({ type: 'blockquote', content: inner });
    } else if (type === 'table') {
      const table = cleanTable(content, depth);
      if (table) out.push(table);
    } else if (content.length > 0) {
      // An unknown container (from a newer client, say): keep what it holds.
      out.push(...cleanBlocks(content, depth));
    }
  }
  flushLoose();
  return out;
}

/**
 * Tables: rows of cells with spans; the leading rows made only of header cells are the header
 * (repeated on every page the table runs onto). Columns: the widest row; widths from the
 * editor's column widths when every column has one, else equal.
 */
function cleanTable(rows, depth) {
  const cleanRows = [];
  for (const row of rows) {
    if (row?.type !== 'tableRow') continue;
    const cells = [];
    for (const cell of Array.isArray(row.content) ? row.content : []) {
      const header = cell?.type === 'tableHeader';
      if (!header && cell?.type !== 'tableCell') continue;
      const attrs = cell.attrs ?? {};
      const align = ['left', 'center', 'right'].includes(attrs.align) ? attrs.align : null;
      const widths = Array.isArray(attrs.colwidth) ? attrs.colwidth.map(Number) : null;
      cells.push({
        type: header ? 'tableHeader' : 'tableCell',
        colspan: clampInt(attrs.colspan, 1, MAX_SPAN, 1),
        rowspan: clampInt(attrs.rowspan, 1, MAX_SPAN, 1),
        align,
        widths: widths && widths.every((w) => Number.isFinite(w) && w > 0) ? widths : null,
        content: cleanBlocks(cell.content, depth + 1),
      });
    }
    if (cells.length > 0) cleanRows.push({ type: 'tableRow', content: cells });
  }
  if (cleanRows.length === 0) return null;
  const columns = Math.max(...cleanRows.map((row) => row.content.reduce((sum, cell) => sum + cell.colspan, 0)));
  for (const row of cleanRows) for (const cell of row.content) cell.colspan = Math.min(cell.colspan, columns);
  let headerRows = 0;
  while (headerRows < cleanRows.length - 1 && cleanRows[headerRows].content.every((cell) => cell.type === 'tableHeader')) headerRows++;
  // A header cell may not reach into the body.
  for (let r = 0; r < headerRows; r++) for (const cell of cleanRows[r].content) cell.rowspan = Math.min(cell.rowspan, headerRows - r);
  const firstRowWidths = cleanRows[0].content.flatMap((cell) => (cell.widths && cell.widths.length === cell.colspan ? cell.widths : [null]));
  const widths = firstRowWidths.length === columns && firstRowWidths.every((w) => w !== null) ? firstRowWidths : null;
  for (const row of cleanRows) for (const cell of row.content) delete cell.widths;
  return { type: 'table', columns, widths, headerRows, content: cleanRows };
}

// ---------------------------------------------------------------------------------------------

/** Exports after which memoized results nobody reused are dropped. */
const CACHE_MAX_AGE = 3;

let compiler = null;
let idleTimer = null;

function getCompiler() {
  // Fonts are given file by file: the template names only these families, with fallback off.
  compiler ??= NodeCompiler.create({ workspace: workerData.workspace, fontArgs: [{ fontPaths: workerData.fontFiles }] });
  return compiler;
}

function diagnosticsText(error) {
  const diagnostics = error?.shortDiagnostics ?? [];
  return diagnostics.map((d) => d.message).join('; ') || String(error?.kind ?? 'unknown error');
}

function render({ updates, paper, annexes }) {
  const doc = new Y.Doc();
  try {
    for (const update of updates) Y.applyUpdate(doc, update);
    // Read without recursion, and flattened where nested too deep: a client may nest content arbitrarily.
    const json = clampDepth(yjsToJson(doc.getXmlFragment(CONTENT_FRAGMENT)), MAX_DEPTH);
    const numbered = paper.numbered ?? doc.getMap(META_MAP).get(META_NUMBERED_HEADINGS) === true;
    const blocks = cleanBlocks(json.content, 0);
    const data = JSON.stringify({ meta: { ...paper, numbered }, content: blocks, annexes });
    if (Buffer.byteLength(data) > workerData.maxDataBytes) {
      throw new ExportError(
        'too_large',
        `this document is too large to export as PDF (${(Buffer.byteLength(data) / 2 ** 20).toFixed(1)} MiB of content; the limit is ${(workerData.maxDataBytes / 2 ** 20).toFixed(0)} MiB)`,
      );
    }
    return typeset(workerData.template, data);
  } finally {
    doc.destroy();
  }
}

/** A redline: its data comes ready (see redline.ts); only its size is checked here. */
function renderRedline({ data }) {
  if (typeof data !== 'string') throw new ExportError('export_failed', 'no redline data');
  if (Buffer.byteLength(data) > workerData.maxDataBytes) {
    throw new ExportError(
      'too_large',
      `this comparison is too large to export as PDF (${(Buffer.byteLength(data) / 2 ** 20).toFixed(1)} MiB of content; the limit is ${(workerData.maxDataBytes / 2 ** 20).toFixed(0)} MiB)`,
    );
  }
  return typeset(join(workerData.workspace, 'redline.typ'), data);
}

/** Typesets `template` with `data` as its `concord` input: PDF/UA-1 when the typesetter can, else tagged. */
function typeset(template, data) {
  const typst = getCompiler();
  try {
    const compiled = typst.compile({ mainFilePath: template, inputs: { concord: data } });
    const error = compiled.takeError();
    if (error || !compiled.result) throw new ExportError('export_failed', `the paper could not be typeset: ${diagnosticsText(error)}`);
    const document = compiled.result;
    let pdf;
    let standard = 'ua-1';
    try {
      // PDF/UA-1: tagged, with the structure a screen reader needs.
      pdf = typst.pdf(document, { pdfStandard: 'ua-1' });
    } catch (error) {
      // Content PDF/UA refuses (it is strict about some structures) still gets a tagged PDF.
      parentPort.postMessage({ log: `PDF/UA-1 refused, exporting a tagged PDF instead: ${error instanceof Error ? error.message : String(error)}` });
      pdf = typst.pdf(document, { pdfTags: true });
      standard = null;
    }
    return { pdf: new Uint8Array(pdf), pages: document.numOfPages, standard };
  } finally {
    // The typesetter memoizes layout across exports (an export after a small edit reuses most
    // of the last one); keep what the last few exports used, and drop all of it when idle.
    typst.evictCache(CACHE_MAX_AGE);
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => typst.evictCache(0), workerData.idleEvictMs ?? 60_000);
  }
}

parentPort.on('message', (job) => {
  try {
    const result = job.kind === 'redline' ? renderRedline(job) : render(job);
    parentPort.postMessage({ jobId: job.jobId, result }, [result.pdf.buffer]);
  } catch (error) {
    parentPort.postMessage({
      jobId: job.jobId,
      error: error instanceof Error ? error.message : String(error),
      code: error instanceof ExportError ? error.code : 'export_failed',
    });
  }
});
