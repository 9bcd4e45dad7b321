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

/** Characters a backslash escapes in text converted from Markdown. */
const ESCAPABLE = new Set('\\`*_{}[]()#+-.!$<>|~');
const SUPERSCRIPTS = new Set(SUPERSCRIPT_DIGITS);
const LINE_TERMINATORS = new Set(['\n', '\r', '\u2028', '\u2029']);
const isSpace = (c) => c !== undefined && /\s/.test(c);
const isWord = (c) => c !== undefined && /\w/.test(c);
/** Marks span at most this many characters, link targets at most LINK_TARGET_MAX. */
const SPAN_MAX = 500;
const LINK_TARGET_MAX = 1000;

/**
 * `next(from)`: the first index ≥ from where `test` holds (-1: none), remembering its last answer,
 * so that searches from increasing positions cost linear time in all.
 */
function finder(length, test) {
  let from = Infinity;
  let found = -1;
  return (start) => {
    if (start < from || (found !== -1 && start > found)) {
      found = -1;
      for (let k = start; k < length; k++) {
        if (test(k)) {
          found = k;
          break;
        }
      }
    }
    from = start;
    return found;
  };
}

/**
 * The leftovers of conversion in a line, left to right, as regular-expression matches would give
 * them (whole, escaped, bold, bold2, italic, underline, noteRef, linkText, linkTarget, superscript;
 * with their index): `\x`, `**b**`, `__b__`, `*i*` (not inside a word), `<u>u</u>`, `<br>`,
 * `[^1]`, `[text](target)`, superscript digits after a word. Spans are the shortest (the first
 * closing delimiter), at most SPAN_MAX characters and within a line. Written out rather than as one
 * regular expression with lazy spans: that took quadratic time on a long line of opening
 * delimiters without closing ones ("[[[[…", "<u><u>…": minutes for a few hundred kilobytes).
 */
function* inlineMatches(text) {
  const n = text.length;
  const nextTerminator = finder(n, (k) => LINE_TERMINATORS.has(text[k]));
  const nextDoubleStar = finder(n, (k) => text[k] === '*' && text[k + 1] === '*');
  const nextDoubleUnderscore = finder(n, (k) => text[k] === '_' && text[k + 1] === '_');
  const nextUnderlineEnd = finder(n, (k) => text.startsWith('</u>', k));
  const nextItalicEnd = finder(n, (k) => text[k] === '*' && !isSpace(text[k - 1]) && text[k - 1] !== '*' && !isWord(text[k + 1]) && text[k + 1] !== '*');
  const nextBracketEnd = finder(n, (k) => text[k] === ']');
  const nextTargetEnd = finder(n, (k) => text[k] === ')' || isSpace(text[k]));
  /** The first closing delimiter at or after `from` for a span opened at `open`, if within bounds and the line. */
  const closing = (next, from, open) => {
    const at = next(from);
    if (at < 0 || at - open > SPAN_MAX) return -1;
    const terminator = nextTerminator(open);
    return terminator !== -1 && terminator < at ? -1 : at;
  };
  const match = (index, whole, group, value) => {
    const groups = [whole, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined];
    if (Array.isArray(group)) group.forEach((g, i) => (groups[g] = value[i]));
    else if (group > 0) groups[group] = value;
    return Object.assign(groups, { index });
  };
  let i = 0;
  while (i < n) {
    const c = text[i];
    let found = null;
    if (c === '\\' && ESCAPABLE.has(text[i + 1])) found = match(i, text.slice(i, i + 2), 1, text[i + 1]);
    else if (c === '*' && text[i + 1] === '*') {
      const end = closing(nextDoubleStar, i + 3, i + 2);
      if (end !== -1) found = match(i, text.slice(i, end + 2), 2, text.slice(i + 2, end));
    } else if (c === '_' && text[i + 1] === '_') {
      const end = closing(nextDoubleUnderscore, i + 3, i + 2);
      if (end !== -1) found = match(i, text.slice(i, end + 2), 3, text.slice(i + 2, end));
    }
    if (!found && c === '*' && !isWord(text[i - 1]) && text[i - 1] !== '*' && text[i + 1] !== undefined && !isSpace(text[i + 1]) && text[i + 1] !== '*') {
      const end = closing(nextItalicEnd, i + 2, i + 1);
      if (end !== -1) found = match(i, text.slice(i, end + 1), 4, text.slice(i + 1, end));
    }
    if (!found && c === '<') {
      if (text.startsWith('<u>', i)) {
        const end = closing(nextUnderlineEnd, i + 3, i + 3);
        if (end !== -1) found = match(i, text.slice(i, end + 4), 5, text.slice(i + 3, end));
      }
      if (!found && text.startsWith('<br', i)) {
        const br = /<br\s*\/?>/y;
        br.lastIndex = i;
        const m = br.exec(text);
        if (m) found = match(i, m[0], 0);
      }
    }
    if (!found && c === '[') {
      if (text[i + 1] === '^') {
        let k = i + 2;
        while (k < n && k - (i + 2) <= 50 && text[k] !== ']' && !isSpace(text[k])) k++;
        if (text[k] === ']' && k > i + 2 && k - (i + 2) <= 50) found = match(i, text.slice(i, k + 1), 6, text.slice(i + 2, k));
      }
      if (!found) {
        const close = nextBracketEnd(i + 1);
        if (close !== -1 && close - (i + 1) <= SPAN_MAX && text[close + 1] === '(') {
          const end = nextTargetEnd(close + 2);
          if (end !== -1 && text[end] === ')' && end - (close + 2) <= LINK_TARGET_MAX) {
            found = match(i, text.slice(i, end + 1), [7, 8], [text.slice(i + 1, close), text.slice(close + 2, end)]);
          }
        }
      }
    }
    if (!found && SUPERSCRIPTS.has(c) && i > 0 && !isSpace(text[i - 1])) {
      let k = i;
      while (k < n && k - i < 10 && SUPERSCRIPTS.has(text[k])) k++;
      found = match(i, text.slice(i, k), 9, text.slice(i, k));
    }
    if (found) {
      yield found;
      i += found[0].length;
    } else i++;
  }
}

/** Marks (as inlineNodes writes them, in MARK_ORDER) as a string: equal for equal marks. */
const marksKey = (marks) => (marks ?? []).map((mark) => (mark.type === 'link' ? `link ${mark.attrs.href}` : mark.type)).join('\n');

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
    if (last?.type === 'text' && marksKey(last.marks) === marksKey(sorted)) last.text += value2;
    else out.push(sorted.length > 0 ? { type: 'text', text: value2, marks: sorted } : { type: 'text', text: value2 });
  };
  let last = 0;
  for (const match of inlineMatches(text)) {
    push(text.slice(last, match.index));
    last = match.index + match[0].length;
    const [whole, escaped, bold, bold2, italic, underline, noteRef, linkText, linkTarget, superscript] = match;
    const nested = (inner, mark) => {
      if (marks.length >= MAX_MARK_NESTING) return push(inner);
      // Nothing inside to read: no need to look again (a line of a million "**a **" stays quick).
      // As the reading would: trimmed at both ends.
      if (!/[\\*_<[⁰¹²³⁴⁵⁶⁷⁸⁹]/.test(inner)) return push(inner.replace(/^\s+/, '').replace(/\s+$/, ''), [mark]);
      for (const node of inlineNodes(inner, notes, [...marks, mark])) {
        if (node.type === 'text') {
          const lastNode = out[out.length - 1];
          if (lastNode?.type === 'text' && marksKey(lastNode.marks) === marksKey(node.marks)) lastNode.text += node.text;
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

/** `[text](target)` → `text` (as inlineMatches finds links, in linear time). */
function linkTexts(text) {
  const n = text.length;
  const nextBracketEnd = finder(n, (k) => text[k] === ']');
  const nextTargetEnd = finder(n, (k) => text[k] === ')' || isSpace(text[k]));
  let out = '';
  let last = 0;
  for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1)) {
    const close = nextBracketEnd(i + 1);
    if (close === -1 || close - (i + 1) > SPAN_MAX || text[close + 1] !== '(') continue;
    const end = nextTargetEnd(close + 2);
    if (end === -1 || text[end] !== ')' || end - (close + 2) > LINK_TARGET_MAX) continue;
    out += text.slice(last, i) + text.slice(i + 1, close);
    last = end + 1;
    i = end;
  }
  return out + text.slice(last);
}

const plain = (text) => linkTexts(text.replace(/\\(.)/g, '$1').replace(/\*\*|__|<\/?[a-zA-Z][^<>]*>/g, '')).trim();

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
