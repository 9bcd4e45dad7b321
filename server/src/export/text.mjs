// Plain-text import (for source papers). A text file has no markup, so structure is inferred:
// - paragraphs are separated by blank lines; inside a block each line is a paragraph of its own
//   (papers saved as text keep one paragraph per line), unless the block looks hard-wrapped
//   (long lines not ending a sentence), whose lines are joined;
// - lines starting with "- ", "* " or "•" are bullet-list items (consecutive ones, even across
//   blank lines, make one list); "# " lines are headings, "> " lines quotes;
// - a block of one line is a heading when it is in capitals (level 1) or short, starts with a
//   capital and does not end like a sentence (level 2);
// - lines with two or more tabs are table rows (cells may hold HTML, as text copied from a web
//   page does); the first row is the header when it holds no HTML;
// - footnotes: a reference written ¹ or [^1] after a word, and its text on a line "¹ …" or
//   "[^1]: …", become a footnote;
// - leftovers of conversion are read, not shown: **bold**, *italic*, <u>…</u>, [text](link)
//   (a link only when its target is an allowed web address), backslash escapes, stray tags.
// Numbers the paper writes ("1.", "V.4.", "a)") stay in the text: they are the paper's labels.
import { blocksFromHtmlFragment } from './html.mjs';
import { allowedHref, ImportError, maxOf, pushAll } from './markdown.mjs';

const FOOTNOTE_MAX_LENGTH = 4000;
const MARK_ORDER = ['link', 'bold', 'italic', 'strike', 'underline'];
const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const fromSuperscript = (text) => [...text].map((c) => String(SUPERSCRIPT_DIGITS.indexOf(c))).join('');

const BULLET = /^\s*(?:[-*+•●▪◦‣]|–)(?:\s+(.*))?$/;
const MD_HEADING = /^(#{1,6})\s+(.*)$/;
const QUOTE = /^>\s?(.*)$/;
/** A line that starts a numbered paragraph or item: "1.", "13)", "V.4.", "a)", "(a)". */
const NUMBERED_START = /^\s*(?:\d+(?:\.\d+)*[.)]|[IVX]+\.\d+|\(?[a-z]\)|\(\d+\))\s/;
const NOTE_DEFINITION = /^(?:([⁰¹²³⁴⁵⁶⁷⁸⁹]+)|\[\^([^\]\s]+)\]:)\s*(.+)$/;
const BLOCK_HTML = /^\s*<(p|div|ul|ol|table|h[1-6]|blockquote|section)\b/i;

const isTableLine = (line) => (line.match(/\t/g) ?? []).length >= 2;

/** Marks nested in marks deeper than this are read as plain text (no real paper nests them; the stack stays small). */
const MAX_MARK_NESTING = 8;

/** Inline text with markdown-ish leftovers → inline nodes. */
function inlineNodes(text, notes, marks = []) {
  const out = [];
  const push = (value, extra = []) => {
    const value2 = value.replace(/\*\*|__/g, '').replace(/<\/?[a-zA-Z][^<>]*>/g, '');
    if (value2 === '') return;
    const all = [...marks, ...extra];
    const sorted = MARK_ORDER.flatMap((type) => {
      const mark = all.findLast((m) => m.type === type);
      return mark ? [type === 'link' ? { type, attrs: { href: mark.href } } : { type }] : [];
    });
    const last = out[out.length - 1];
    if (last?.type === 'text' && JSON.stringify(last.marks ?? []) === JSON.stringify(sorted)) last.text += value2;
    else out.push(sorted.length > 0 ? { type: 'text', text: value2, marks: sorted } : { type: 'text', text: value2 });
  };
  const pattern =
    /\\([\\`*_{}[\]()#+\-.!$<>|~])|\*\*(.+?)\*\*|__(.+?)__|(?<![\w*])\*(?![\s*])(.+?)(?<![\s*])\*(?![\w*])|<u>(.*?)<\/u>|<br\s*\/?>|\[\^([^\]\s]+)\]|\[([^\]]*)\]\(([^)\s]*)\)|(?<=\S)([⁰¹²³⁴⁵⁶⁷⁸⁹]+)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    push(text.slice(last, match.index));
    last = match.index + match[0].length;
    const [whole, escaped, bold, bold2, italic, underline, noteRef, linkText, linkTarget, superscript] = match;
    const nested = (inner, mark) => {
      if (marks.length >= MAX_MARK_NESTING) return push(inner);
      for (const node of inlineNodes(inner, notes, [...marks, mark])) {
        if (node.type === 'text') {
          const lastNode = out[out.length - 1];
          if (lastNode?.type === 'text' && JSON.stringify(lastNode.marks ?? []) === JSON.stringify(node.marks ?? [])) lastNode.text += node.text;
          else out.push(node);
        } else out.push(node);
      }
    };
    if (escaped !== undefined) push(escaped);
    else if (bold !== undefined || bold2 !== undefined) nested(bold ?? bold2, { type: 'bold' });
    else if (italic !== undefined) nested(italic, { type: 'italic' });
    else if (underline !== undefined) nested(underline, { type: 'underline' });
    else if (/^<br/i.test(whole)) out.push({ type: 'hardBreak' });
    else if (noteRef !== undefined || superscript !== undefined) {
      const note = notes.get(noteRef ?? fromSuperscript(superscript));
      if (note) out.push({ type: 'footnote', attrs: { note } });
      else push(whole);
    } else if (linkText !== undefined) {
      const href = linkTarget.startsWith('#') ? null : allowedHref(linkTarget);
      if (href) nested(linkText, { type: 'link', href });
      else nested(linkText, { type: 'nolink' });
    }
  }
  push(text.slice(last));
  // Trim the ends of the paragraph (tabs and spaces left by conversion).
  if (out[0]?.type === 'text') out[0].text = out[0].text.replace(/^\s+/, '');
  const end = out[out.length - 1];
  if (end?.type === 'text') end.text = end.text.replace(/\s+$/, '');
  return out.filter((node) => node.type !== 'text' || node.text !== '');
}

const plain = (text) => text.replace(/\\(.)/g, '$1').replace(/\*\*|__|<\/?[a-zA-Z][^<>]*>/g, '').replace(/\[([^\]]*)\]\([^)\s]*\)/g, '$1').trim();

/** The heading level of a block that is one line, or 0 when it reads as a paragraph. */
function headingLevel(line) {
  const text = plain(line);
  if (text === '' || text.includes('\t') || NUMBERED_START.test(text) && !/^\d+\.\s+\P{Ll}+$/u.test(text)) return 0;
  const letters = text.match(/\p{L}/gu) ?? [];
  const upper = letters.filter((c) => /\p{Lu}/u.test(c)).length;
  if (letters.length >= 3 && upper / letters.length >= 0.9 && text.length <= 160) return 1;
  const words = text.split(/\s+/).length;
  // Not a reference such as "Roadmap: Paragraphs 93(a) and 93(c)".
  if (text.length <= 60 && words <= 9 && /^\p{Lu}/u.test(text) && !/[.,;:!?]$/.test(text) && !/\d\([a-z]\)/.test(text)) return 2;
  return 0;
}

const paragraph = (text, notes) => {
  const content = inlineNodes(text, notes);
  return content.length > 0 ? { type: 'paragraph', content } : null;
};

/** Table rows (lines split at tabs) → a table node; cells holding HTML are read as HTML. */
function tableNode(rows, notes) {
  const width = maxOf(rows.map((cells) => cells.length));
  const headerRow = !rows[0].some((cell) => /<[a-z]/i.test(cell));
  const content = rows.map((cells, index) => ({
    type: 'tableRow',
    content: Array.from({ length: width }, (_, column) => {
      const raw = (cells[column] ?? '').trim();
      let blocks = [];
      if (/<[a-z]/i.test(raw)) {
        blocks = blocksFromHtmlFragment(raw).filter((b) => ['paragraph', 'bulletList', 'orderedList', 'blockquote'].includes(b.type));
      } else if (raw !== '') {
        const p = paragraph(raw, notes);
        if (p) blocks = [p];
      }
      return { type: index === 0 && headerRow ? 'tableHeader' : 'tableCell', content: blocks.length > 0 ? blocks : [{ type: 'paragraph' }] };
    }),
  }));
  return { type: 'table', content };
}

/** Plain text → { title, doc }, as fromMarkdown (the whole text is kept as content). */
export function fromText(text, givenTitle) {
  if (typeof text !== 'string') throw new ImportError('content must be text');
  // eslint-disable-next-line no-control-regex
  const binary = /[\u0000-\u0008\u000e-\u001f\ufffd]/.exec(text);
  if (binary) throw new ImportError(`not plain text: it contains binary data (character U+${binary[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} at offset ${binary.index})`);
  const lines = text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n').split('\n');
  const blank = (line) => line.trim() === '';

  // Footnote texts first: references may come before their definitions.
  const notes = new Map();
  const isDefinition = (line) => {
    const match = NOTE_DEFINITION.exec(line.trim());
    return match ? { key: match[1] ? fromSuperscript(match[1]) : match[2], note: plain(match[3]).replace(/\s+/g, ' ').slice(0, FOOTNOTE_MAX_LENGTH) } : null;
  };
  for (const line of lines) {
    const definition = isDefinition(line);
    if (definition && !notes.has(definition.key)) notes.set(definition.key, definition.note);
  }

  const content = [];
  const pushListItem = (itemText) => {
    const p = paragraph(itemText ?? '', notes);
    if (!p) return;
    const last = content[content.length - 1];
    const item = { type: 'listItem', content: [p] };
    if (last?.type === 'bulletList') last.content.push(item);
    else content.push({ type: 'bulletList', content: [item] });
  };

  let i = 0;
  while (i < lines.length) {
    if (blank(lines[i])) {
      i++;
      continue;
    }
    if (isTableLine(lines[i])) {
      const rows = [];
      while (i < lines.length) {
        if (isTableLine(lines[i])) rows.push(lines[i++].split('\t'));
        else if (blank(lines[i]) && i + 1 < lines.length && isTableLine(lines[i + 1])) i++;
        else break;
      }
      content.push(tableNode(rows, notes));
      continue;
    }
    const block = [];
    while (i < lines.length && !blank(lines[i]) && !isTableLine(lines[i])) block.push(lines[i++]);
    if (block.every((line) => isDefinition(line))) continue;
    if (BLOCK_HTML.test(block[0])) {
      pushAll(content, blocksFromHtmlFragment(block.join('\n')));
      continue;
    }
    if (block.length === 1 && !BULLET.test(block[0]) && !MD_HEADING.test(block[0]) && !QUOTE.test(block[0])) {
      const level = headingLevel(block[0]);
      if (level > 0) {
        const inline = inlineNodes(block[0], notes);
        if (inline.length > 0) content.push({ type: 'heading', attrs: { level }, content: inline });
        continue;
      }
    }
    let pending = null;
    const flush = () => {
      if (pending !== null) {
        const p = paragraph(pending, notes);
        if (p) content.push(p);
      }
      pending = null;
    };
    for (const line of block) {
      if (isDefinition(line)) continue;
      const bullet = BULLET.exec(line);
      const heading = MD_HEADING.exec(line.trim());
      const quote = QUOTE.exec(line.trim());
      if (bullet) {
        flush();
        pushListItem(bullet[1]);
      } else if (heading) {
        flush();
        const inline = inlineNodes(heading[2], notes);
        if (inline.length > 0) content.push({ type: 'heading', attrs: { level: Math.min(3, heading[1].length) }, content: inline });
      } else if (quote) {
        flush();
        const p = paragraph(quote[1], notes);
        const last = content[content.length - 1];
        if (p && last?.type === 'blockquote') last.content.push(p);
        else if (p) content.push({ type: 'blockquote', content: [p] });
      } else if (pending !== null && pending.length >= 50 && pending.length <= 100 && !/[.:;!?]["”’)]?$/.test(pending) && !NUMBERED_START.test(line)) {
        // A hard-wrapped paragraph: the line goes on.
        pending = `${pending} ${line.trim()}`;
      } else {
        flush();
        pending = line;
      }
    }
    flush();
  }
  // A paper starts with its title.
  const firstText = content.map((block) => (block.content ?? []).map((n) => n.text ?? '').join('').trim()).find((t) => t !== '') ?? '';
  const title = (typeof givenTitle === 'string' && givenTitle.trim()) || firstText;
  return { title, doc: { type: 'doc', content: content.length > 0 ? content : [{ type: 'paragraph' }] } };
}
