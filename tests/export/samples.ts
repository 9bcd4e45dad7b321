/**
 * Documents to export: the working group's real papers (../shared/samples/*.txt) turned into
 * drafts, a synthetic document with every node type, and what each should show in the PDF.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isAllowedLinkHref } from '../../shared/schema/index';

export const SAMPLES_DIR = resolve(import.meta.dirname, '../../../shared/samples');

export type PMNode = { type: string; attrs?: Record<string, unknown>; content?: PMNode[]; text?: string; marks?: { type: string; attrs?: Record<string, unknown> }[] };

export interface Draft {
  title: string;
  doc: PMNode;
}

export function sampleFiles(): string[] {
  return readdirSync(SAMPLES_DIR)
    .filter((name) => name.endsWith('.txt'))
    .sort();
}

const text = (value: string, marks?: PMNode['marks']): PMNode => ({ type: 'text', text: value, ...(marks && marks.length > 0 ? { marks } : {}) });
const paragraph = (content: PMNode[]): PMNode => ({ type: 'paragraph', content });
const heading = (level: number, content: PMNode[]): PMNode => ({ type: 'heading', attrs: { level }, content });

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** Leftover HTML and markdown from conversion, as a person pasting the text would end up with. */
function cleanLine(line: string): string {
  return line
    .replace(/<\/?(p|ul|li|u|span|div|br)\b[^>]*>/gi, ' ')
    .replace(/\\([()[\]])/g, '$1')
    .replace(/\*\*/g, (marker, offset, whole: string) => ((whole.match(/\*\*/g) ?? []).length % 2 === 1 ? '' : marker))
    .replace(/[ \t\u00a0]+/g, ' ')
    .trim();
}

/**
 * Inline content of a line: **bold**, *italic*, [text](href) links (only http(s) targets stay
 * links; "#" targets become plain text), <https://…> autolinks, superscript footnote markers.
 */
function inlineOf(line: string, footnotes: Map<string, string>): PMNode[] {
  const out: PMNode[] = [];
  const pattern = /\*\*(.+?)\*\*|\*(.+?)\*|\[([^\]]+)\]\(([^)]*)\)|<(https?:\/\/[^>\s]+)>|([⁰¹²³⁴⁵⁶⁷⁸⁹]+)/gu;
  let last = 0;
  for (const match of line.matchAll(pattern)) {
    if (match.index > last) out.push(text(line.slice(last, match.index)));
    last = match.index + match[0].length;
    if (match[1] !== undefined) out.push(text(match[1], [{ type: 'bold' }]));
    else if (match[2] !== undefined) out.push(text(match[2], [{ type: 'italic' }]));
    else if (match[3] !== undefined) {
      const href = match[4];
      out.push(/^https?:\/\//.test(href) ? text(match[3], [{ type: 'link', attrs: { href } }]) : text(match[3]));
    } else if (match[5] !== undefined) out.push(text(match[5], [{ type: 'link', attrs: { href: match[5] } }]));
    else if (match[6] !== undefined) {
      const note = footnotes.get(match[6]);
      if (note) out.push({ type: 'footnote', attrs: { note } });
      else out.push(text(match[6]));
    }
  }
  if (last < line.length) out.push(text(line.slice(last)));
  // Merge neighbouring plain runs; drop empty ones.
  return out.filter((node) => node.type !== 'text' || node.text !== '');
}

function isHeadingLine(line: string, previous: string | undefined, next: string | undefined): 1 | 2 | null {
  if (line.length > 110 || /[.;:,]$/.test(line) || /^[-•(]/.test(line) || /^https?:/.test(line)) return null;
  const letters = line.replace(/[^\p{L}]/gu, '');
  if (letters.length > 3 && letters === letters.toUpperCase()) return 1;
  if (/^annex\b/i.test(line)) return 1;
  const standsAlone = (previous === undefined || previous === '') && (next === undefined || next === '');
  if (standsAlone && line.length <= 60 && /^\p{Lu}/u.test(line) && /\p{L}$/u.test(line)) return 2;
  return null;
}

/** A sample paper as a draft: its first line is the title; the rest becomes blocks. */
export function sampleDraft(file: string): Draft {
  const raw = readFileSync(join(SAMPLES_DIR, file), 'utf8').replace(/\r\n?/g, '\n');
  const lines = raw.split('\n');
  // Footnote texts ("¹ Concettina Casa, …") are found first and attached at their markers.
  const footnotes = new Map<string, string>();
  const kept: string[] = [];
  for (const line of lines) {
    const note = new RegExp(`^([${SUPERSCRIPT_DIGITS}]+)\\s+(.+)$`, 'u').exec(line.trim());
    if (note) footnotes.set(note[1], cleanLine(note[2]));
    else kept.push(line);
  }
  let title = '';
  const content: PMNode[] = [];
  let list: PMNode | null = null;
  let table: PMNode | null = null;
  let inOwnToc = false;
  for (let i = 0; i < kept.length; i++) {
    const rawLine = kept[i];
    const line = cleanLine(rawLine);
    const next = i + 1 < kept.length ? cleanLine(kept[i + 1]) : undefined;
    if (line === '' || line === '-') {
      list = null;
      if (rawLine.trim() === '' && table && kept[i + 1]?.includes('\t')) continue;
      table = null;
      continue;
    }
    if (!title) {
      title = line;
      continue;
    }
    // The paper's own table of contents: the export makes a real one.
    if (/^table of contents$/i.test(line)) {
      inOwnToc = true;
      continue;
    }
    if (inOwnToc && /\t\d+\s*$/.test(rawLine)) continue;
    inOwnToc = false;
    if (rawLine.includes('\t')) {
      const cells = rawLine.split('\t').map(cleanLine);
      if (!table) {
        table = { type: 'table', content: [] };
        content.push(table);
      }
      const header = table.content!.length === 0;
      table.content!.push({
        type: 'tableRow',
        content: cells.map((cell) => ({ type: header ? 'tableHeader' : 'tableCell', content: [paragraph(cell ? inlineOf(cell, footnotes) : [])] })),
      });
      continue;
    }
    table = null;
    const bullet = /^\s*[-•]\s+(.*)$/.exec(rawLine);
    if (bullet) {
      if (!list) {
        list = { type: 'bulletList', content: [] };
        content.push(list);
      }
      list.content!.push({ type: 'listItem', content: [paragraph(inlineOf(cleanLine(bullet[1]), footnotes))] });
      continue;
    }
    list = null;
    const level = isHeadingLine(line, i > 0 ? cleanLine(kept[i - 1]) : undefined, next);
    content.push(level ? heading(level, inlineOf(line, footnotes)) : paragraph(inlineOf(line, footnotes)));
  }
  // A paper whose sections are only short stand-alone lines has them as its top level.
  const headings = content.filter((node) => node.type === 'heading');
  if (headings.length > 0 && headings.every((node) => node.attrs?.level === 2)) for (const node of headings) node.attrs = { level: 1 };
  // Tables are rectangular in the editor: pad short rows.
  for (const node of content) {
    if (node.type !== 'table') continue;
    const width = Math.max(...node.content!.map((row) => row.content!.length));
    for (const row of node.content!) {
      while (row.content!.length < width) row.content!.push({ type: row.content![0].type, content: [paragraph([])] });
    }
  }
  return { title, doc: { type: 'doc', content } };
}

/** The six UN languages in one paragraph. */
export const SIX_LANGUAGES = [
  'English: The Working Group welcomes the report.',
  'Français : Le Groupe de travail se félicite du rapport, à l’unanimité.',
  'Español: El Grupo de Trabajo acoge con beneplácito el informe, señaló.',
  'Русский: Рабочая группа приветствует доклад.',
  'العربية: يرحب الفريق العامل بالتقرير.',
  '中文：工作组欢迎该报告。',
];

/** Text that would be Typst code if it were ever pasted into markup. */
export const HOSTILE_LINES = [
  '#read("/etc/passwd")',
  '#import "@preview/cetz:0.3.0": *',
  '#set page(fill: red) $x^2$ and $$ and a lone $ dollar',
  'Close brackets ] ]] and [open and close] and #{1 + 1}',
  'Backslashes \\ \\\\ \\n and \\u{1F600} stay',
  '<label> @reference #label("x") // not a comment /* nor this */',
  '= Not a heading',
  '- not a list item',
  '```raw``` and `code` and *not strong* _not emph_',
];

/** A document with every node type and mark of the schema. */
export function syntheticDraft(): Draft {
  const table: PMNode = {
    type: 'table',
    content: [
      {
        type: 'tableRow',
        content: ['Stakeholder group', 'Members', 'Remarks'].map((value) => ({ type: 'tableHeader', content: [paragraph([text(value)])] })),
      },
      ...Array.from({ length: 70 }, (_, row) => ({
        type: 'tableRow',
        content: [
          { type: 'tableHeader', content: [paragraph([text(`Group ${row + 1}`)])] },
          { type: 'tableCell', content: [paragraph([text(`${(row * 7) % 13} members`)])] },
          { type: 'tableCell', content: [paragraph([text(`Remark on row ${row + 1}, kept short.`)])] },
        ],
      })),
      {
        type: 'tableRow',
        content: [{ type: 'tableCell', attrs: { colspan: 3 }, content: [paragraph([text('A cell spanning all three columns closes the table.')])] }],
      },
    ],
  };
  return {
    title: 'Synthetic paper with every node type',
    doc: {
      type: 'doc',
      content: [
        heading(1, [text('Introduction')]),
        paragraph([
          text('A paragraph with '),
          text('bold', [{ type: 'bold' }]),
          text(', '),
          text('italic', [{ type: 'italic' }]),
          text(', '),
          text('underlined', [{ type: 'underline' }]),
          text(', '),
          text('struck', [{ type: 'strike' }]),
          text(' text, a '),
          text('link to the IGF', [{ type: 'link', attrs: { href: 'https://www.intgovforum.org/' } }]),
          text(' and a footnote'),
          { type: 'footnote', attrs: { note: 'The first footnote, at the foot of the page.' } },
          text('.'),
        ]),
        paragraph([text('A line'), { type: 'hardBreak' }, text('broken in two.')]),
        heading(2, [text('Lists'), { type: 'footnote', attrs: { note: 'A note on a heading: shown at the heading, not in the contents.' } }]),
        {
          type: 'bulletList',
          content: [
            { type: 'listItem', content: [paragraph([text('First bullet point.')])] },
            {
              type: 'listItem',
              content: [
                paragraph([text('Second bullet point, with a nested list:')]),
                {
                  type: 'orderedList',
                  attrs: { start: 1 },
                  content: [
                    { type: 'listItem', content: [paragraph([text('Nested numbered item one.')])] },
                    { type: 'listItem', content: [paragraph([text('Nested numbered item two.')])] },
                  ],
                },
              ],
            },
          ],
        },
        {
          type: 'orderedList',
          attrs: { start: 3 },
          content: [
            { type: 'listItem', content: [paragraph([text('An ordered list starting at three.')])] },
            { type: 'listItem', content: [paragraph([text('Its second item.')])] },
          ],
        },
        heading(3, [text('A quotation')]),
        {
          type: 'blockquote',
          content: [paragraph([text('The IGF is a space for global multistakeholder dialogue on Internet policy issues.')])],
        },
        { type: 'horizontalRule' },
        heading(1, [text('Mapping table')]),
        paragraph([text('The table below runs over more than one page; its header row repeats.')]),
        table,
        heading(1, [text('Languages')]),
        paragraph([text(SIX_LANGUAGES.join(' '))]),
        ...SIX_LANGUAGES.map((line) => paragraph([text(line)])),
        paragraph([text('A closing paragraph with a second footnote'), { type: 'footnote', attrs: { note: 'The second footnote.' } }, text('.')]),
      ],
    },
  };
}

/** The hostile lines as paragraphs, plus a heading, a footnote, a table cell and a link text carrying them too. */
export function hostileDraft(): Draft {
  return {
    title: '#read("/etc/passwd") ] $ \\ <x> @y',
    doc: {
      type: 'doc',
      content: [
        heading(1, [text('#import "/etc/passwd" ]')]),
        ...HOSTILE_LINES.map((line) => paragraph([text(line)])),
        paragraph([text('Footnote follows'), { type: 'footnote', attrs: { note: '#read("/etc/hostname") $ ] \\ <n> @m' } }]),
        paragraph([text('#link("file:///etc/passwd")', [{ type: 'link', attrs: { href: 'https://example.org/?q=#read("x")' } }])]),
        paragraph([
          text('Upper-case scheme', [{ type: 'link', attrs: { href: 'HTTPS://EXAMPLE.ORG/UPPER' } }]),
          text(' and '),
          text('a space in the address', [{ type: 'link', attrs: { href: 'https://example.org/a b' } }]),
        ]),
        {
          type: 'table',
          content: [
            { type: 'tableRow', content: [{ type: 'tableHeader', content: [paragraph([text('#table(]')])] }] },
            { type: 'tableRow', content: [{ type: 'tableCell', content: [paragraph([text('$ ] \\ #eval("1")')])] }] },
          ],
        },
      ],
    },
  };
}

/** What the PDF must show, block by block, in reading order; footnotes separately. */
export interface Expected {
  /** text: as the body shows it (with footnote numbers); plain: as the contents and bookmarks do (without). */
  headings: { level: number; text: string; plain: string }[];
  /**
   * Headings, paragraphs, list items and table cells in order, each with its footnotes' numbers
   * where the notes are anchored (the PDF shows them there as superscripts).
   */
  blocks: string[];
  /** Each footnote as number + text, in order. */
  footnotes: string[];
  links: string[];
  /** All the text (for page-count sanity). */
  characters: number;
}

export function expectedOf(doc: PMNode): Expected {
  const expected: Expected = { headings: [], blocks: [], footnotes: [], links: [], characters: 0 };
  const inlineText = (nodes: PMNode[] = []): string =>
    nodes
      .map((node) => {
        if (node.type === 'text') {
          const link = node.marks?.find((m) => m.type === 'link');
          // Only targets a document may link to become links (javascript: and the like never do).
          if (link && isAllowedLinkHref(String(link.attrs?.href))) expected.links.push(String(link.attrs?.href));
          return node.text ?? '';
        }
        if (node.type === 'hardBreak') return ' ';
        if (node.type === 'footnote') {
          const number = expected.footnotes.length + 1;
          expected.footnotes.push(`${number}${String(node.attrs?.note ?? '')}`);
          expected.characters += String(node.attrs?.note ?? '').length;
          return String(number);
        }
        return '';
      })
      .join('');
  const walk = (nodes: PMNode[] = []) => {
    for (const node of nodes) {
      if (node.type === 'paragraph' || node.type === 'heading') {
        const value = inlineText(node.content);
        if (value.trim() === '') continue;
        expected.characters += value.length;
        if (node.type === 'heading') {
          const plain = (node.content ?? []).map((child) => (child.type === 'text' ? child.text : child.type === 'hardBreak' ? ' ' : '')).join('');
          expected.headings.push({ level: Number(node.attrs?.level ?? 1), text: value, plain });
        }
        expected.blocks.push(value);
      } else walk(node.content);
    }
  };
  walk(doc.content);
  return expected;
}

/**
 * Heading labels as the PDF numbers them (1., 1.1, 1.1.1; same rule as shared/schema
 * numberHeadings): as the contents and bookmarks show them, or (`inBody`) with the footnote
 * numbers the body shows.
 */
export function headingLabels(headings: Expected['headings'], numbered: boolean, inBody = false): string[] {
  const counters = [0, 0, 0];
  return headings.map(({ level, text: withNotes, plain }) => {
    const text = inBody ? withNotes : plain;
    if (!numbered) return text;
    counters[level - 1] += 1;
    for (let deeper = level; deeper < 3; deeper++) counters[deeper] = 0;
    const parts = counters.slice(0, level).join('.');
    return `${level === 1 ? `${parts}.` : parts} ${text}`;
  });
}
