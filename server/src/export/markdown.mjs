// Markdown ⇄ ProseMirror JSON of the shared schema (shared/schema). Plain JavaScript, so the
// conversion can run on a worker thread (Node 20 worker threads cannot load TypeScript).
//
// Export: CommonMark + GFM tables and strikethrough + footnotes ([^n] with the definitions at the
// end). Every character of the document's text that Markdown would read as syntax is escaped, so
// text (Markdown, HTML, <script>) comes back literally when the file is read by any CommonMark
// reader. Underline has no Markdown form: it is written as <u>…</u>. Hard breaks are `\` + line
// end (<br> in headings and table cells, which are one line).
//
// What Markdown cannot carry (documented, and the only losses in a round trip): a table's first
// row is always its header row and header cells elsewhere become plain cells; merged cells
// (colspan/rowspan) become a cell and empty cells; table cells hold paragraphs only (other blocks
// are flattened into paragraphs); empty paragraphs are left out; ordered list styles (a, i) are
// numbers.
//
// Import: markdown-it (CommonMark + GFM tables + strikethrough) with markdown-it-footnote; raw
// HTML is kept as literal text, except <u>, <b>/<strong>, <i>/<em>, <s>/<del> and <br>. Code
// spans and code blocks become plain text (the schema has no code). Headings 4–6 become level 3.
import MarkdownIt from 'markdown-it';
import footnotePlugin from 'markdown-it-footnote';
import { citationText } from './citation-text.mjs';

// ---------------------------------------------------------------------------------------------
// Shared rules (same as shared/schema): allowed link targets, footnote length.

const FOOTNOTE_MAX_LENGTH = 4000;
const MAX_NESTING = 16;
// eslint-disable-next-line no-control-regex
const IGNORED_IN_SCHEME = /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u2029\u205f\u3000\ufeff]/g;

/** Same rule as shared/schema/links.ts: absolute http(s) with a host, or mailto. */
export function allowedHref(href) {
  if (typeof href !== 'string') return null;
  const compact = href.replace(IGNORED_IN_SCHEME, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact)?.[1]?.toLowerCase();
  const allowed =
    (scheme === 'mailto' && compact.length > 'mailto:'.length) || ((scheme === 'http' || scheme === 'https') && /^https?:\/\/[^/?#\s]+/i.test(compact));
  if (!allowed) return null;
  // eslint-disable-next-line no-control-regex
  return href.trim().replace(/[\u0000-\u001f\u007f]/g, '').replace(/\s/g, (c) => encodeURIComponent(c));
}

const asString = (value) => (typeof value === 'string' ? value : '');

/**
 * Appends every item of `items` to `target`. Not `target.push(...items)`: spreading passes each
 * item as an argument, and a long document's blocks (more than about 100,000) overflow the stack.
 */
export function pushAll(target, items) {
  for (const item of items) target.push(item);
  return target;
}

/** The largest of `values` (0 for none), without spreading them as arguments. */
export const maxOf = (values) => values.reduce((max, value) => (value > max ? value : max), 0);
const cleanNote = (note) => asString(note).replace(/\s+/g, ' ').trim().slice(0, FOOTNOTE_MAX_LENGTH);

// ---------------------------------------------------------------------------------------------
// Export

/** Characters escaped wherever they are: every one can start or end Markdown syntax. */
const ALWAYS = /[\\`*_[\]<>|~&!#]/g;

/** Escapes text for Markdown inline content (not yet the start of a line). */
function escapeText(text) {
  return text.replace(ALWAYS, (c) => `\\${c}`);
}

/**
 * Makes the start of each line safe: list markers (-, +, 1. 1)), setext underlines (=, -),
 * thematic breaks and leading white space (which a reader would strip or read as code) are
 * escaped or written as character references. Trailing white space is kept as references too.
 */
function protectLines(markdown) {
  return markdown
    .split('\n')
    .map((line) => {
      let out = line.replace(/^[ \t]+/, (ws) => ws.replace(/ /g, '&#32;').replace(/\t/g, '&#9;'));
      out = out.replace(/^([-+=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
      // Trailing spaces (but not a hard break's backslash) would be stripped.
      out = out.replace(/([ \t]+)$/, (ws) => ws.replace(/ /g, '&#32;').replace(/\t/g, '&#9;'));
      return out;
    })
    .join('\n');
}

const MARK_ORDER = ['link', 'bold', 'italic', 'strike', 'underline'];
const OPEN_DELIMITERS = { bold: '**', italic: '*', strike: '~~', underline: '<u>' };
const CLOSE_DELIMITERS = { bold: '**', italic: '*', strike: '~~', underline: '</u>' };
/** Where a delimiter would not be read as one (`word**(1)**next`): the same marks as HTML. */
const OPEN_HTML = { bold: '<strong>', italic: '<em>', strike: '<s>', underline: '<u>' };
const CLOSE_HTML = { bold: '</strong>', italic: '</em>', strike: '</s>', underline: '</u>' };

/** A text node's marks we write, outermost first: [{ type, href? }]. */
function marksOf(node) {
  const out = [];
  for (const type of MARK_ORDER) {
    const mark = (Array.isArray(node.marks) ? node.marks : []).find((m) => asString(m?.type).split('--')[0] === type);
    if (!mark) continue;
    if (type === 'link') {
      const href = allowedHref(mark.attrs?.href);
      if (href) out.push({ type, href });
    } else out.push({ type });
  }
  return out;
}

const sameMark = (a, b) => a.type === b.type && a.href === b.href;

function linkDestination(href) {
  return `<${href.replace(/[\\<>]/g, (c) => `\\${c}`)}>`;
}

/**
 * Inline content as one Markdown string. `oneLine`: hard breaks as <br> (headings, table cells).
 * Footnotes get the next number from `notes` (their texts, in order).
 */
function inlineMarkdown(rawNodes, notes, oneLine, html = false) {
  // Markdown has no citation of a paragraph of another document: it reads as its text, with the marks around it.
  const nodes = (Array.isArray(rawNodes) ? rawNodes : []).map((node) =>
    node?.type === 'citation' ? { type: 'text', text: citationText(node.attrs), marks: node.marks } : node,
  );
  const [OPEN, CLOSE] = html ? [OPEN_HTML, CLOSE_HTML] : [OPEN_DELIMITERS, CLOSE_DELIMITERS];
  let out = '';
  const open = [];
  let pendingSpace = '';
  const closeTo = (keep) => {
    while (open.length > keep) {
      const mark = open.pop();
      out += mark.type === 'link' ? `](${linkDestination(mark.href)})` : CLOSE[mark.type];
    }
  };
  const setMarks = (marks) => {
    let common = 0;
    while (common < open.length && common < marks.length && sameMark(open[common], marks[common])) common++;
    closeTo(common);
    out += pendingSpace;
    pendingSpace = '';
    for (const mark of marks.slice(common)) {
      out += mark.type === 'link' ? '[' : OPEN[mark.type];
      open.push(mark);
    }
  };
  for (const node of Array.isArray(nodes) ? nodes : []) {
    const type = asString(node?.type);
    if (type === 'text') {
      const text = asString(node.text).replace(/[\r\n]+/g, ' ');
      if (text === '') continue;
      const match = /^(\s*)(.*?)(\s*)$/s.exec(text);
      const [, lead, core, trail] = match;
      if (core === '') {
        pendingSpace += text;
        continue;
      }
      const marks = marksOf(node);
      // White space at a mark's edge goes outside it (`**bold** `, not `**bold **`).
      let common = 0;
      while (common < open.length && common < marks.length && sameMark(open[common], marks[common])) common++;
      if (common < open.length || common < marks.length) {
        closeTo(common);
        out += pendingSpace + lead;
        pendingSpace = '';
        setMarks(marks);
      } else {
        out += pendingSpace + lead;
        pendingSpace = '';
      }
      out += escapeText(core);
      pendingSpace = trail;
    } else if (type === 'hardBreak') {
      closeTo(0);
      out += pendingSpace + (oneLine ? '<br>' : '\\\n');
      pendingSpace = '';
    } else if (type === 'footnote') {
      const note = cleanNote(node.attrs?.note);
      if (note === '') continue;
      out += pendingSpace;
      pendingSpace = '';
      notes.push(note);
      out += `[^${notes.length}]`;
    } else if (Array.isArray(node?.content)) {
      closeTo(0);
      out += pendingSpace + inlineMarkdown(node.content, notes, oneLine, html);
      pendingSpace = '';
    }
  }
  closeTo(0);
  out += pendingSpace;
  return protectLines(out);
}

/** Text runs with their marks, as a reader compares them (white space carries no marks). */
function markedRuns(nodes) {
  const runs = [];
  for (const node of nodes) {
    if (node.type !== 'text') {
      runs.push(node.type);
      continue;
    }
    const text = asString(node.text).replace(/[\r\n]+/g, ' ');
    const marks = text.trim() === '' ? '' : marksOf(node).map((m) => `${m.type}${m.href ?? ''}`).join(' ');
    const last = runs[runs.length - 1];
    if (typeof last === 'object' && last.marks === marks) last.text += text;
    else if (text !== '') runs.push({ text, marks });
  }
  return JSON.stringify(runs);
}

/**
 * Inline Markdown, checked: when a reader would not read the marks back as they are (a delimiter
 * next to punctuation inside a word is not one), the marks are written as HTML tags instead.
 */
function inlineChecked(nodes, notes, oneLine) {
  const list = Array.isArray(nodes) ? nodes : [];
  if (!list.some((node) => Array.isArray(node?.marks) && node.marks.length > 0)) return inlineMarkdown(list, notes, oneLine);
  // Footnote references read as `[^n]`: punctuation on both sides, like `\[\]`.
  const probeNodes = list.map((node) => (node?.type === 'footnote' ? (cleanNote(node.attrs?.note) === '' ? { type: 'text', text: '' } : { type: 'text', text: '[]' }) : node));
  const probe = inlineMarkdown(probeNodes, [], oneLine);
  const read = inlineNodes(getParser().parseInline(probe, {})[0]?.children, () => '');
  return inlineMarkdown(list, notes, oneLine, markedRuns(read) !== markedRuns(probeNodes));
}

const indent = (text, first, rest) =>
  text
    .split('\n')
    .map((line, i) => (i === 0 ? first : line === '' ? '' : rest) + line)
    .join('\n');

/** Block nodes as Markdown blocks (strings without the blank lines between them). */
function blocksMarkdown(nodes, notes, depth) {
  const out = [];
  let previousList = null;
  for (const node of Array.isArray(nodes) ? nodes : []) {
    const type = asString(node?.type);
    const content = Array.isArray(node?.content) ? node.content : [];
    const listKind = type === 'bulletList' || type === 'orderedList' ? type : null;
    if (type === 'paragraph') {
      const text = inlineChecked(content, notes, false);
      if (text.trim() !== '') out.push(text);
    } else if (type === 'heading') {
      const level = Math.min(3, Math.max(1, Number(node.attrs?.level) || 1));
      const text = inlineChecked(content, notes, true);
      if (text.trim() !== '') out.push(`${'#'.repeat(level)} ${text}`);
    } else if (type === 'horizontalRule') {
      out.push('---');
    } else if (listKind && depth < MAX_NESTING) {
      // Two lists in a row need different markers, or a reader joins them.
      const alternate = previousList?.kind === listKind && !previousList.alternate;
      const start = listKind === 'orderedList' ? Math.max(0, Math.min(999_999_999, Number.parseInt(node.attrs?.start ?? 1, 10) || 0)) : 0;
      const items = content.map((item, i) => {
        const marker = listKind === 'bulletList' ? (alternate ? '+' : '-') : `${start + i}${alternate ? ')' : '.'}`;
        const inner = blocksMarkdown(item?.type === 'listItem' ? item.content : [item], notes, depth + 1).join('\n\n');
        return inner === '' ? marker : indent(inner, `${marker} `, ' '.repeat(marker.length + 1));
      });
      if (items.length > 0) {
        out.push(items.join('\n'));
        previousList = { kind: listKind, alternate };
        continue;
      }
    } else if (type === 'blockquote' && depth < MAX_NESTING) {
      const inner = blocksMarkdown(content, notes, depth + 1).join('\n\n');
      if (inner !== '') out.push(inner.split('\n').map((line) => (line === '' ? '>' : `> ${line}`)).join('\n'));
    } else if (type === 'table') {
      const table = tableMarkdown(content, notes);
      if (table) out.push(table);
    } else if (content.length > 0) {
      pushAll(out, blocksMarkdown(depth < MAX_NESTING ? content : flatten(content), notes, depth));
    }
    previousList = null;
  }
  return out;
}

/** Paragraph-like blocks inside `nodes`, flattened (for table cells and over-deep nesting); iterative. */
function flatten(nodes) {
  const out = [];
  const stack = [...(Array.isArray(nodes) ? nodes : [])].reverse();
  while (stack.length > 0) {
    const node = stack.pop();
    if (node?.type === 'paragraph' || node?.type === 'heading') out.push({ type: 'paragraph', content: node.content ?? [] });
    else if (Array.isArray(node?.content)) for (let i = node.content.length - 1; i >= 0; i--) stack.push(node.content[i]);
  }
  return out;
}

/** A GFM table: the first row is the header; a cell's paragraphs are joined by <br><br>. */
function tableMarkdown(rows, notes) {
  const grid = [];
  for (const row of rows) {
    if (row?.type !== 'tableRow') continue;
    const cells = [];
    for (const cell of Array.isArray(row.content) ? row.content : []) {
      if (cell?.type !== 'tableCell' && cell?.type !== 'tableHeader') continue;
      const paragraphs = flatten(cell.content).map((p) => inlineChecked(p.content, notes, true));
      cells.push(paragraphs.join('<br><br>'));
      // Merged cells: the cells they cover are empty.
      const span = Math.max(1, Math.min(64, Number(cell.attrs?.colspan) || 1));
      for (let i = 1; i < span; i++) cells.push('');
    }
    if (cells.length > 0) grid.push(cells);
  }
  if (grid.length === 0) return null;
  const columns = maxOf(grid.map((cells) => cells.length));
  const line = (cells) => `| ${Array.from({ length: columns }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  return [line(grid[0]), `|${' --- |'.repeat(columns)}`, ...grid.slice(1).map(line)].join('\n');
}

/** The document (ProseMirror JSON) as Markdown, the title as `# Title` first. */
export function toMarkdown(json, title) {
  const notes = [];
  const blocks = [];
  const heading = inlineMarkdown([{ type: 'text', text: asString(title).trim() }], [], true);
  if (heading.trim() !== '') blocks.push(`# ${heading}`);
  pushAll(blocks, blocksMarkdown(json?.content, notes, 0));
  if (notes.length > 0) blocks.push(notes.map((note, i) => `[^${i + 1}]: ${inlineMarkdown([{ type: 'text', text: note }], [], true)}`).join('\n'));
  return `${blocks.join('\n\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Import

export class ImportError extends Error {
  constructor(message, field = 'content') {
    super(message);
    this.code = 'invalid_content';
    this.field = field;
  }
}

let parser = null;
function getParser() {
  if (parser) return parser;
  parser = new MarkdownIt('default', { html: true, linkify: false, typographer: false }).use(footnotePlugin);
  // Hrefs are judged by allowedHref, and kept as written (no percent-encoding round trip).
  parser.normalizeLink = (url) => url;
  parser.normalizeLinkText = (text) => text;
  parser.validateLink = () => true;
  return parser;
}

const HTML_MARKS = { u: 'underline', b: 'bold', strong: 'bold', i: 'italic', em: 'italic', s: 'strike', del: 'strike' };

/** Inline tokens → inline nodes, marks kept as a stack of active marks. */
function inlineNodes(tokens, footnoteText) {
  const out = [];
  const active = [];
  const push = (text) => {
    if (text === '') return;
    const marks = [];
    for (const type of MARK_ORDER) {
      const mark = active.findLast((m) => m.type === type);
      if (mark) marks.push(type === 'link' ? { type, attrs: { href: mark.href } } : { type });
    }
    const last = out[out.length - 1];
    if (last?.type === 'text' && JSON.stringify(last.marks ?? []) === JSON.stringify(marks)) last.text += text;
    else out.push(marks.length > 0 ? { type: 'text', text, marks } : { type: 'text', text });
  };
  const remove = (type) => {
    const index = active.findLastIndex((m) => m.type === type);
    if (index >= 0) active.splice(index, 1);
  };
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'text':
      case 'text_special':
      case 'code_inline':
        push(token.content);
        break;
      case 'softbreak':
        push(' ');
        break;
      case 'hardbreak':
        out.push({ type: 'hardBreak' });
        break;
      case 'strong_open':
        active.push({ type: 'bold' });
        break;
      case 'em_open':
        active.push({ type: 'italic' });
        break;
      case 's_open':
        active.push({ type: 'strike' });
        break;
      case 'strong_close':
        remove('bold');
        break;
      case 'em_close':
        remove('italic');
        break;
      case 's_close':
        remove('strike');
        break;
      case 'link_open': {
        const href = allowedHref(token.attrGet('href'));
        active.push({ type: href ? 'link' : 'nolink', href });
        break;
      }
      case 'link_close':
        active.splice(active.findLastIndex((m) => m.type === 'link' || m.type === 'nolink'), 1);
        break;
      case 'image':
        push(token.content);
        break;
      case 'footnote_ref': {
        const note = cleanNote(footnoteText(token.meta.id));
        if (note !== '') out.push({ type: 'footnote', attrs: { note } });
        break;
      }
      case 'html_inline': {
        const tag = /^<(\/?)([a-z]+)\s*\/?>$/i.exec(token.content.trim());
        const name = tag?.[2]?.toLowerCase();
        if (name === 'br' && !tag[1]) out.push({ type: 'hardBreak' });
        else if (name && HTML_MARKS[name]) {
          if (tag[1]) remove(HTML_MARKS[name]);
          else active.push({ type: HTML_MARKS[name] });
        } else push(token.content);
        break;
      }
      default:
        if (Array.isArray(token.children)) pushAll(out, inlineNodes(token.children, footnoteText));
        else if (typeof token.content === 'string') push(token.content);
    }
  }
  return out.filter((node) => node.type !== 'text' || node.text !== '');
}

/** Literal text (code, raw HTML) as a paragraph, its lines joined by hard breaks. */
function literalParagraph(text) {
  const content = [];
  text.replace(/\n+$/, '').split('\n').forEach((line, i) => {
    if (i > 0) content.push({ type: 'hardBreak' });
    if (line !== '') content.push({ type: 'text', text: line });
  });
  return { type: 'paragraph', content };
}

const withContent = (node) => {
  if (Array.isArray(node.content) && node.content.length === 0) delete node.content;
  return node;
};

/** Splits a cell's inline content at <br><br> into paragraphs. */
function cellParagraphs(inline) {
  const paragraphs = [[]];
  for (let i = 0; i < inline.length; i++) {
    if (inline[i].type === 'hardBreak' && inline[i + 1]?.type === 'hardBreak') {
      paragraphs.push([]);
      i++;
    } else paragraphs[paragraphs.length - 1].push(inline[i]);
  }
  return paragraphs.map((content) => withContent({ type: 'paragraph', content }));
}

/** Block tokens from `start` up to the matching close (or the end) → block nodes. */
function blockNodes(tokens, start, end, footnoteText, depth) {
  const out = [];
  let i = start;
  const matching = (from) => {
    let level = 0;
    for (let j = from; j < end; j++) {
      level += tokens[j].nesting;
      if (level === 0) return j;
    }
    return end - 1;
  };
  while (i < end) {
    const token = tokens[i];
    if (token.nesting === 1) {
      const close = matching(i);
      const inner = () => blockNodes(tokens, i + 1, close, footnoteText, depth + 1);
      switch (token.type) {
        case 'paragraph_open':
          out.push(withContent({ type: 'paragraph', content: inlineNodes(tokens[i + 1]?.children, footnoteText) }));
          break;
        case 'heading_open': {
          const level = Math.min(3, Number(token.tag.slice(1)) || 1);
          out.push({ ...withContent({ type: 'heading', attrs: { level }, content: inlineNodes(tokens[i + 1]?.children, footnoteText) }), sourceLevel: Number(token.tag.slice(1)) });
          break;
        }
        case 'bullet_list_open':
        case 'ordered_list_open': {
          const items = inner().filter((node) => node.type === 'listItem');
          if (depth >= MAX_NESTING) for (const item of items) pushAll(out, item.content);
          else if (token.type === 'bullet_list_open') out.push({ type: 'bulletList', content: items });
          else out.push({ type: 'orderedList', attrs: { start: Number(token.attrGet('start') ?? 1) }, content: items });
          break;
        }
        case 'list_item_open': {
          const content = inner();
          if (content[0]?.type !== 'paragraph') content.unshift({ type: 'paragraph' });
          out.push({ type: 'listItem', content });
          break;
        }
        case 'blockquote_open': {
          const content = inner();
          if (depth >= MAX_NESTING) pushAll(out, content);
          else out.push({ type: 'blockquote', content: content.length > 0 ? content : [{ type: 'paragraph' }] });
          break;
        }
        case 'table_open':
          out.push(tableNode(tokens, i + 1, close, footnoteText));
          break;
        case 'footnote_block_open':
          break;
        default:
          pushAll(out, inner());
      }
      i = close + 1;
      continue;
    }
    if (token.type === 'hr') out.push({ type: 'horizontalRule' });
    else if (token.type === 'code_block' || token.type === 'fence' || token.type === 'html_block') {
      const paragraph = literalParagraph(token.content);
      if (paragraph.content.length > 0) out.push(withContent(paragraph));
    }
    i++;
  }
  return out.map((node) => {
    const { sourceLevel, ...rest } = node;
    return depth === 0 ? node : rest;
  });
}

function tableNode(tokens, start, end, footnoteText) {
  const rows = [];
  let row = null;
  for (let i = start; i < end; i++) {
    const token = tokens[i];
    if (token.type === 'tr_open') {
      row = { type: 'tableRow', content: [] };
      rows.push(row);
    } else if ((token.type === 'th_open' || token.type === 'td_open') && row) {
      const inline = tokens[i + 1]?.type === 'inline' ? inlineNodes(tokens[i + 1].children, footnoteText) : [];
      row.content.push({ type: token.type === 'th_open' ? 'tableHeader' : 'tableCell', content: cellParagraphs(inline) });
    }
  }
  return { type: 'table', content: rows.filter((r) => r.content.length > 0) };
}

/** Plain text of inline nodes (for a title). */
const plainText = (nodes) =>
  (nodes ?? [])
    .map((node) => (node.type === 'text' ? node.text : node.type === 'hardBreak' ? ' ' : ''))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Markdown → { title, doc }: `doc` is ProseMirror JSON of the shared schema; `title` the text of
 * a leading `# ` heading (removed from the body) when no title is given, else the given title (a
 * leading `# ` heading equal to it is removed).
 */
export function fromMarkdown(markdown, givenTitle) {
  if (typeof markdown !== 'string') throw new ImportError('content must be text');
  // eslint-disable-next-line no-control-regex
  const binary = /[\u0000-\u0008\u000e-\u001f\ufffd]/.exec(markdown);
  if (binary) {
    throw new ImportError(`not Markdown text: it contains binary data (character U+${binary[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} at offset ${binary.index})`);
  }
  const env = {};
  const tokens = getParser().parse(markdown, env);
  const list = env.footnotes?.list ?? [];
  // Definitions: the text of the blocks between footnote_open and footnote_close, by id.
  const definitions = new Map();
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].type !== 'footnote_open') continue;
    const id = tokens[i].meta.id;
    const parts = [];
    for (i++; i < tokens.length && tokens[i].type !== 'footnote_close'; i++) {
      if (tokens[i].type === 'inline') parts.push(plainText(inlineNodes(tokens[i].children.filter((t) => t.type !== 'footnote_anchor'), () => '')));
    }
    definitions.set(id, parts.join(' '));
  }
  const footnoteText = (id) => {
    if (definitions.has(id)) return definitions.get(id);
    // Inline footnotes ^[…] carry their own tokens.
    const entry = list[id];
    return entry?.tokens ? plainText(inlineNodes(entry.tokens, () => '')) : asString(entry?.content);
  };
  let content = blockNodes(tokens, 0, tokens.length, footnoteText, 0);
  let title = typeof givenTitle === 'string' ? givenTitle.trim() : '';
  const first = content[0];
  if (first?.type === 'heading' && first.sourceLevel === 1) {
    const text = plainText(first.content);
    if (title === '' || text === title) {
      title ||= text;
      content = content.slice(1);
    }
  }
  content = content.map(({ sourceLevel, ...node }) => node);
  if (content.length === 0) content = [{ type: 'paragraph' }];
  return { title, doc: { type: 'doc', content } };
}
