// DOCX ⇄ ProseMirror JSON of the shared schema. Plain JavaScript, run on the conversion worker.
//
// Export (docx): the title in Word's Title style, headings in Heading 1–3, bold/italic/underline/
// strike runs, hyperlinks, real footnotes, bulleted and numbered lists (Word numbering, nested by
// level, numbered lists keep their start), block quotes in a "Quote" paragraph style, horizontal
// rules as a bordered "Horizontal Rule" paragraph, tables with their header rows repeated and
// merged cells.
//
// Import (mammoth → its HTML → here): mammoth writes a small, regular HTML (every text escaped),
// read by a minimal parser below, and mapped to the schema: Title → the title, Heading 1–6 →
// headings 1–3, lists, tables (header rows, merged cells), footnotes and endnotes → footnote
// nodes, hyperlinks (allowed targets only), quotes and rules by the style names above.
// What a round trip loses: a numbered list's start number (mammoth does not read it), a list
// item's second and later paragraphs (they leave the list), header cells outside header rows.
import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  FootnoteReferenceRun,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import mammoth from 'mammoth';
import { citationText } from './citation-text.mjs';
import { flattenBlocks, LimitError } from './limits.mjs';
import { allowedHref, ImportError, pushAll } from './markdown.mjs';
import { readDocxParts, storedArchive, xmlDepth } from './zip.mjs';

const FOOTNOTE_MAX_LENGTH = 4000;
const MAX_NESTING = 16;
const asString = (value) => (typeof value === 'string' ? value : '');
const cleanNote = (note) => asString(note).replace(/\s+/g, ' ').trim().slice(0, FOOTNOTE_MAX_LENGTH);
// eslint-disable-next-line no-control-regex
const xmlSafe = (text) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[\r\n]+/g, ' ');

const QUOTE_STYLE = 'Quote';
const RULE_STYLE = 'HorizontalRule';
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3];

// ---------------------------------------------------------------------------------------------
// Export

class DocxWriter {
  constructor() {
    this.footnotes = {};
    this.footnoteCount = 0;
    this.numbering = [];
  }

  markType(mark) {
    return asString(mark?.type).split('--')[0];
  }

  runs(nodes) {
    const out = [];
    for (const node of Array.isArray(nodes) ? nodes : []) {
      const type = asString(node?.type);
      if (type === 'text') {
        const text = xmlSafe(asString(node.text));
        if (text === '') continue;
        const marks = new Set((Array.isArray(node.marks) ? node.marks : []).map((m) => this.markType(m)));
        const linkMark = (node.marks ?? []).find((m) => this.markType(m) === 'link');
        const href = linkMark ? allowedHref(linkMark.attrs?.href) : null;
        const run = new TextRun({
          text,
          bold: marks.has('bold') || undefined,
          italics: marks.has('italic') || undefined,
          underline: marks.has('underline') ? {} : undefined,
          strike: marks.has('strike') || undefined,
          style: href ? 'Hyperlink' : undefined,
        });
        // Linked runs are gathered first ({ href, runs }), one hyperlink per stretch of one target.
        out.push(href ? { href, runs: [run] } : run);
      } else if (type === 'hardBreak') {
        out.push(new TextRun({ break: 1 }));
      } else if (type === 'footnote') {
        const note = cleanNote(node.attrs?.note);
        if (note === '') continue;
        const id = ++this.footnoteCount;
        this.footnotes[id] = { children: [new Paragraph({ children: [new TextRun(xmlSafe(note))] })] };
        out.push(new FootnoteReferenceRun(id));
      } else if (type === 'citation') {
        // Word has no citation of a paragraph of another document: it reads as its text.
        const text = xmlSafe(citationText(node.attrs));
        if (text !== '') out.push(new TextRun(text));
      } else if (Array.isArray(node?.content)) pushAll(out, this.runs(node.content));
    }
    const merged = [];
    for (const item of out) {
      const last = merged[merged.length - 1];
      if (item.href && last?.href === item.href) last.runs.push(...item.runs);
      else merged.push(item);
    }
    return merged.map((item) => (item.href ? new ExternalHyperlink({ link: item.href, children: item.runs }) : item));
  }

  /** Blocks → docx paragraphs and tables. `context`: list level and numbering, quote. */
  blocks(nodes, context = { level: -1, quote: false }, depth = 0) {
    const out = [];
    for (const node of Array.isArray(nodes) ? nodes : []) {
      const type = asString(node?.type);
      const content = Array.isArray(node?.content) ? node.content : [];
      const base = context.quote ? { style: QUOTE_STYLE } : {};
      if (type === 'paragraph' || (type === 'heading' && (context.level >= 0 || context.quote || context.cell))) {
        out.push(new Paragraph({ ...base, children: this.runs(content) }));
      } else if (type === 'heading') {
        const level = Math.min(3, Math.max(1, Number(node.attrs?.level) || 1));
        out.push(new Paragraph({ heading: HEADINGS[level - 1], children: this.runs(content) }));
      } else if (type === 'horizontalRule') {
        out.push(new Paragraph({ style: RULE_STYLE, children: [] }));
      } else if ((type === 'bulletList' || type === 'orderedList') && depth < MAX_NESTING) {
        const level = Math.min(8, context.level + 1);
        let reference = 'bullets';
        if (type === 'orderedList') {
          reference = `numbered-${this.numbering.length + 1}`;
          const start = Math.max(0, Math.min(32767, Number.parseInt(node.attrs?.start ?? 1, 10) || 0));
          this.numbering.push({
            reference,
            levels: Array.from({ length: 9 }, (_, l) => ({
              level: l,
              format: LevelFormat.DECIMAL,
              text: `%${l + 1}.`,
              start,
              alignment: AlignmentType.START,
              style: { paragraph: { indent: { left: 720 * (l + 1), hanging: 360 } } },
            })),
          });
        }
        for (const item of content) {
          const children = item?.type === 'listItem' ? item.content ?? [] : [item];
          children.forEach((child, i) => {
            if (i === 0 && (child?.type === 'paragraph' || child?.type === 'heading')) {
              out.push(new Paragraph({ numbering: { reference, level }, children: this.runs(child.content) }));
            } else if (child?.type === 'paragraph' || child?.type === 'heading') {
              out.push(new Paragraph({ indent: { left: 720 * (level + 1) }, children: this.runs(child.content) }));
            } else pushAll(out, this.blocks([child], { ...context, level }, depth + 1));
          });
        }
      } else if (type === 'blockquote' && depth < MAX_NESTING) {
        pushAll(out, this.blocks(content, { ...context, quote: true }, depth + 1));
      } else if (type === 'table' && depth < MAX_NESTING && !context.cell) {
        const table = this.table(content, depth);
        if (table) out.push(table, new Paragraph({ children: [] }));
      } else if (content.length > 0) {
        pushAll(out, this.blocks(content, context, depth + 1));
      }
    }
    return out;
  }

  table(rows, depth) {
    const tableRows = [];
    let header = true;
    for (const row of rows) {
      if (row?.type !== 'tableRow') continue;
      const cells = (Array.isArray(row.content) ? row.content : []).filter((cell) => cell?.type === 'tableCell' || cell?.type === 'tableHeader');
      if (cells.length === 0) continue;
      header = header && cells.every((cell) => cell.type === 'tableHeader');
      tableRows.push(
        new TableRow({
          tableHeader: header || undefined,
          children: cells.map((cell) => {
            const children = this.blocks(cell.content, { level: -1, quote: false, cell: true }, depth + 1).filter((child) => child instanceof Paragraph);
            return new TableCell({
              columnSpan: Math.max(1, Math.min(64, Number(cell.attrs?.colspan) || 1)),
              rowSpan: Math.max(1, Math.min(64, Number(cell.attrs?.rowspan) || 1)),
              children: children.length > 0 ? children : [new Paragraph({ children: [] })],
            });
          }),
        }),
      );
    }
    if (tableRows.length === 0) return null;
    return new Table({ rows: tableRows, width: { size: 100, type: WidthType.PERCENTAGE } });
  }
}

/** The document as a .docx file (bytes). */
export async function toDocx(json, title) {
  const writer = new DocxWriter();
  const cleanTitle = xmlSafe(asString(title).trim());
  const body = writer.blocks(json?.content);
  const document = new Document({
    title: cleanTitle,
    creator: 'Concord',
    styles: {
      paragraphStyles: [
        { id: QUOTE_STYLE, name: 'Quote', basedOn: 'Normal', next: 'Normal', run: { italics: true }, paragraph: { indent: { left: 720, right: 720 } } },
        {
          id: RULE_STYLE,
          name: 'Horizontal Rule',
          basedOn: 'Normal',
          next: 'Normal',
          paragraph: { border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: 'auto', space: 1 } } },
        },
      ],
    },
    numbering: {
      config: [
        {
          reference: 'bullets',
          levels: Array.from({ length: 9 }, (_, l) => ({
            level: l,
            format: LevelFormat.BULLET,
            text: ['•', '◦', '▪'][l % 3],
            alignment: AlignmentType.START,
            style: { paragraph: { indent: { left: 720 * (l + 1), hanging: 360 } } },
          })),
        },
        ...writer.numbering,
      ],
    },
    footnotes: writer.footnotes,
    sections: [{ children: [...(cleanTitle ? [new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(cleanTitle)] })] : []), ...body] }],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

// ---------------------------------------------------------------------------------------------
// Import: mammoth's HTML → a tree → ProseMirror JSON.

const VOID = new Set(['br', 'hr', 'img']);
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const decode = (text) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });

/** The HTML mammoth writes → { tag, attrs, children } / { text }. */
function parseHtml(html) {
  const root = { tag: '#root', attrs: {}, children: [] };
  const stack = [root];
  const pattern = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z-]+(?:="[^"]*")?)*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const match of html.matchAll(pattern)) {
    const top = stack[stack.length - 1];
    if (match[5] !== undefined || match[6] !== undefined) {
      top.children.push({ text: decode(match[5] ?? match[6]) });
      continue;
    }
    const tag = match[2].toLowerCase();
    if (match[1]) {
      const index = stack.findLastIndex((node) => node.tag === tag);
      if (index > 0) stack.length = index;
      continue;
    }
    const attrs = {};
    for (const attr of match[3].matchAll(/([a-zA-Z-]+)(?:="([^"]*)")?/g)) attrs[attr[1].toLowerCase()] = decode(attr[2] ?? '');
    const node = { tag, attrs, children: [] };
    top.children.push(node);
    if (!VOID.has(tag) && !match[4]) stack.push(node);
  }
  return root;
}

const textOf = (node) => (node.text !== undefined ? node.text : node.children.map(textOf).join(''));

const MARK_TAGS = { strong: 'bold', b: 'bold', em: 'italic', i: 'italic', u: 'underline', s: 'strike', del: 'strike' };
const MARK_ORDER = ['link', 'bold', 'italic', 'strike', 'underline'];
const BLOCK_TAGS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'blockquote', 'table', 'hr', 'div']);

class HtmlReader {
  constructor(notes) {
    this.notes = notes;
  }

  inline(nodes, marks = [], out = []) {
    for (const node of nodes) {
      if (node.text !== undefined) {
        const text = node.text.replace(/[\r\n]+/g, ' ');
        if (text === '') continue;
        const sorted = MARK_ORDER.flatMap((type) => {
          const mark = marks.findLast((m) => m.type === type);
          return mark ? [type === 'link' ? { type, attrs: { href: mark.href } } : { type }] : [];
        });
        const last = out[out.length - 1];
        if (last?.type === 'text' && JSON.stringify(last.marks ?? []) === JSON.stringify(sorted)) last.text += text;
        else out.push(sorted.length > 0 ? { type: 'text', text, marks: sorted } : { type: 'text', text });
        continue;
      }
      const { tag, attrs } = node;
      if (tag === 'br') out.push({ type: 'hardBreak' });
      else if (tag === 'a' && /^#(footnote|endnote)-\d+$/.test(attrs.href ?? '') && /^(footnote|endnote)-ref-/.test(attrs.id ?? '')) {
        const note = cleanNote(this.notes.get(attrs.href.slice(1)));
        if (note !== '') out.push({ type: 'footnote', attrs: { note } });
      } else if (tag === 'a') {
        const href = allowedHref(attrs.href);
        this.inline(node.children, href ? [...marks, { type: 'link', href }] : marks, out);
      } else if (MARK_TAGS[tag]) this.inline(node.children, [...marks, { type: MARK_TAGS[tag] }], out);
      else if (tag === 'img') continue;
      else this.inline(node.children, marks, out);
    }
    return out;
  }

  /** Children that mix inline content and blocks → blocks (inline runs become paragraphs). */
  blocks(nodes, depth = 0) {
    const out = [];
    let loose = [];
    const flush = () => {
      const content = this.inline(loose);
      if (content.some((node) => node.type !== 'text' || node.text.trim() !== '')) out.push({ type: 'paragraph', content });
      loose = [];
    };
    for (const node of nodes) {
      if (node.text !== undefined || !BLOCK_TAGS.has(node.tag)) {
        loose.push(node);
        continue;
      }
      flush();
      const { tag } = node;
      if (tag === 'p' || tag === 'div') {
        const content = this.inline(node.children);
        out.push(content.length > 0 ? { type: 'paragraph', content } : { type: 'paragraph' });
      } else if (/^h[1-6]$/.test(tag)) {
        const content = this.inline(node.children);
        out.push({ type: 'heading', attrs: { level: Math.min(3, Number(tag[1])) }, content, sourceLevel: Number(tag[1]), isTitle: node.attrs.class === 'title' });
      } else if (tag === 'hr') out.push({ type: 'horizontalRule' });
      else if ((tag === 'ul' || tag === 'ol') && depth < MAX_NESTING) {
        const items = node.children
          .filter((child) => child.tag === 'li')
          .map((li) => {
            const content = this.blocks(li.children, depth + 1).map(({ sourceLevel, isTitle, ...block }) => block);
            if (content[0]?.type !== 'paragraph') content.unshift({ type: 'paragraph' });
            return { type: 'listItem', content };
          });
        if (items.length > 0) out.push(tag === 'ul' ? { type: 'bulletList', content: items } : { type: 'orderedList', attrs: { start: 1 }, content: items });
      } else if (tag === 'blockquote' && depth < MAX_NESTING) {
        const content = this.blocks(node.children, depth + 1).map(({ sourceLevel, isTitle, ...block }) => block);
        out.push({ type: 'blockquote', content: content.length > 0 ? content : [{ type: 'paragraph' }] });
      } else if (tag === 'table') {
        const table = this.table(node, depth);
        if (table) out.push(table);
      } else pushAll(out, this.blocks(node.children, depth + 1));
    }
    flush();
    return out;
  }

  table(node, depth) {
    const rows = [];
    const walk = (parent) => {
      for (const child of parent.children) {
        if (child.tag === 'tr') rows.push(child);
        else if (child.tag === 'thead' || child.tag === 'tbody' || child.tag === 'tfoot') walk(child);
      }
    };
    walk(node);
    const content = rows
      .map((tr) => ({
        type: 'tableRow',
        content: tr.children
          .filter((cell) => cell.tag === 'td' || cell.tag === 'th')
          .map((cell) => {
            const blocks = this.blocks(cell.children, depth + 1)
              .map(({ sourceLevel, isTitle, ...block }) => block)
              // A table in a cell: its text, as paragraphs.
              .flatMap((block) => (block.type === 'table' ? flattenBlocks([block]) : [block]))
              .filter((block) => block.type === 'paragraph' || block.type === 'bulletList' || block.type === 'orderedList' || block.type === 'blockquote' || block.type === 'heading');
            const attrs = {};
            const colspan = Number.parseInt(cell.attrs.colspan ?? '1', 10);
            const rowspan = Number.parseInt(cell.attrs.rowspan ?? '1', 10);
            if (colspan > 1) attrs.colspan = Math.min(64, colspan);
            if (rowspan > 1) attrs.rowspan = Math.min(64, rowspan);
            return {
              type: cell.tag === 'th' ? 'tableHeader' : 'tableCell',
              ...(Object.keys(attrs).length > 0 ? { attrs } : {}),
              content: blocks.length > 0 ? blocks.map((b) => (b.type === 'heading' ? { type: 'paragraph', content: b.content } : b)) : [{ type: 'paragraph' }],
            };
          }),
      }))
      .filter((row) => row.content.length > 0);
    return rows.length > 0 ? { type: 'table', content } : null;
  }
}

const STYLE_MAP = [
  "p[style-name='Title'] => h1.title:fresh",
  "p[style-name='Quote'] => blockquote > p:fresh",
  "p[style-name='Intense Quote'] => blockquote > p:fresh",
  "p[style-name='Horizontal Rule'] => hr",
  'u => u',
  'strike => s',
];

/**
 * A .docx file (base64) → { title, doc }, as fromMarkdown. `limits`: { maxZipEntries,
 * maxUnzippedBytes, maxXmlDepth } (see zip.mjs): mammoth only ever sees an archive checked
 * against them, rebuilt from the parts it reads.
 */
export async function fromDocx(base64, givenTitle, limits) {
  if (typeof base64 !== 'string' || !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(base64)) throw new ImportError('not base64: a DOCX file must be sent base64-encoded');
  const file = Buffer.from(base64, 'base64');
  if (file.length < 4 || file.readUInt32LE(0) !== 0x04034b50) throw new ImportError('not a DOCX file: it is not a ZIP archive');
  const parts = readDocxParts(file, limits);
  for (const [name, bytes] of Object.entries(parts)) {
    if (xmlDepth(bytes, limits.maxXmlDepth) > limits.maxXmlDepth) {
      throw new LimitError(`the Word file's XML (${name}) is nested more than ${limits.maxXmlDepth} levels deep; the limit is ${limits.maxXmlDepth} levels`);
    }
  }
  const buffer = Buffer.from(storedArchive(parts));
  let html;
  try {
    const result = await mammoth.convertToHtml(
      { buffer },
      { styleMap: STYLE_MAP, convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
    );
    html = result.value;
  } catch (error) {
    throw new ImportError(`not a readable DOCX file: ${error instanceof Error ? error.message : String(error)}`);
  }
  return contentFromHtmlTree(parseHtml(html), givenTitle);
}

/**
 * An HTML tree ({ tag, attrs, children } / { text }, as parseHtml makes) → { title, doc }: footnotes
 * in Word's form (`<a href="#footnote-1" id="footnote-ref-1">` and `<li id="footnote-1">`), a
 * Title-style or leading h1 as the title. Shared by the DOCX and HTML importers.
 */
export function contentFromHtmlTree(tree, givenTitle) {
  // Footnote and endnote texts (mammoth lists them at the end), without their back links.
  const notes = new Map();
  const stripNotes = (node) => {
    if (node.text !== undefined) return;
    node.children = node.children.filter((child) => {
      if (child.tag === 'li' && /^(footnote|endnote)-\d+$/.test(child.attrs.id ?? '')) {
        const withoutBackLinks = (n) => (n.text !== undefined ? n.text : n.tag === 'a' && /^#(footnote|endnote)-ref-/.test(n.attrs.href ?? '') ? '' : n.children.map(withoutBackLinks).join(' '));
        notes.set(child.attrs.id, withoutBackLinks(child));
        return false;
      }
      stripNotes(child);
      return !(child.tag === 'ol' && child.children.length === 0);
    });
  };
  stripNotes(tree);
  let content = new HtmlReader(notes).blocks(tree.children);
  let title = typeof givenTitle === 'string' ? givenTitle.trim() : '';
  const titleIndex = content.findIndex((block) => block.isTitle);
  const plain = (block) =>
    (block.content ?? [])
      .map((n) => (n.type === 'text' ? n.text : ' '))
      .join('')
      .replace(/\s+/g, ' ')
      .trim();
  if (titleIndex >= 0) {
    title ||= plain(content[titleIndex]);
    content.splice(titleIndex, 1);
  } else if (content[0]?.type === 'heading' && content[0].sourceLevel === 1 && (title === '' || plain(content[0]) === title)) {
    title ||= plain(content[0]);
    content = content.slice(1);
  }
  content = content.map(({ sourceLevel, isTitle, ...block }) => block);
  if (content.length === 0) content = [{ type: 'paragraph' }];
  return { title, doc: { type: 'doc', content } };
}
