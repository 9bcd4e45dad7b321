/**
 * A comparison of two versions (VersionHistory.compare) as the data template/redline.typ
 * typesets: a redline PDF with who changed what, then the text with insertions underlined and
 * deletions struck through in each person's colour, each change marked with its author's
 * initials.
 *
 * Everything here is DATA for the template, never markup: the template shows every string with
 * text(), so nothing a person typed is parsed or run as Typst. The shapes the template relies on
 * are made true here (known change kinds, levels in range, colours as #rrggbb).
 */
import type { CompareBlock, ContributionSummary, PaperSize, PersonRef } from '../../../shared/api/index';
import type { VersionRecord } from '../store/index';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "28 February 2022" (UTC), as the papers write dates. */
const longDate = (date: Date): string => `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
/** "28 February 2022, 14:05 UTC". */
const longDateTime = (date: Date): string => `${longDate(date)}, ${date.toISOString().slice(11, 16)} UTC`;

/** The name people know a version by (as the exporter and the client name it). */
export function versionName(version: VersionRecord): string {
  return version.name || `Checkpoint of ${version.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "changes since 2nd Draft" (to the current text) or "changes from 1st Draft to 2nd Draft". */
export function redlineSubtitle(from: VersionRecord, to: VersionRecord | null): string {
  return to ? `changes from ${versionName(from)} to ${versionName(to)}` : `changes since ${versionName(from)}`;
}

const HEX_COLOR = /^#[0-9a-f]{6}$/i;
const UNKNOWN_COLOR = '#5f6b73';
const FALLBACK_COLOR = '#455a64';
/** Nesting deeper than this is drawn at this depth. */
const MAX_DEPTH = 6;

/** "AC" for Amrita Choudhury, "J" for Jorge; letters only, at most three. */
function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/u).filter((word) => /\p{L}|\p{N}/u.test(word));
  if (words.length === 0) return '?';
  const first = (word: string) => [...word.replace(/^[^\p{L}\p{N}]+/u, '')][0] ?? '';
  const letters = words.length === 1 ? first(words[0]) : first(words[0]) + first(words[words.length - 1]);
  return letters.toUpperCase() || '?';
}

interface RedlinePerson {
  name: string;
  /** Initials, unique within the redline: the marker after each of their changes. */
  mark: string;
  color: string;
  added: number;
  removed: number;
}

interface RedlineRun {
  text: string;
  change: 'same' | 'inserted' | 'deleted';
  /** Index into people; null for unchanged text. */
  by: number | null;
  /** Whether the author's marker follows this run (the last of a stretch changed by one person). */
  mark: boolean;
  /** White space after the marker (a marked run's trailing space goes after its initials). */
  tail: string;
}

interface RedlineBlock {
  type: 'paragraph' | 'heading' | 'rule';
  level: number;
  /** Where it sits: a list item, a table cell (header or not), a quotation, or the body. */
  container: 'list' | 'cell' | 'headerCell' | 'quote' | 'body';
  /** Lists, quotations and tables it sits in. */
  depth: number;
  change: 'same' | 'inserted' | 'deleted' | 'changed';
  dir: 'ltr' | 'rtl';
  runs: RedlineRun[];
}

/** A table's cells in order (the comparison does not say where its rows break), or a block. */
type RedlineItem = RedlineBlock | { type: 'table'; cells: RedlineBlock[] };

export interface RedlineInput {
  /** The document's title (the newer version's, or the current one). */
  title: string;
  group: string;
  from: VersionRecord;
  to: VersionRecord | null;
  /** When the document was last edited (for the current text). */
  currentAt: Date;
  blocks: CompareBlock[];
  summary: ContributionSummary[];
  paper: PaperSize;
  generatedAt: Date;
}

const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/u;
const STRONG = /\p{L}/u;

function directionOf(runs: { text: string }[]): 'ltr' | 'rtl' {
  for (const run of runs) {
    for (const char of run.text) {
      if (RTL.test(char)) return 'rtl';
      if (STRONG.test(char)) return 'ltr';
    }
  }
  return 'ltr';
}

/**
 * The redline's data, as the JSON string the template reads; its full title ("Strategy paper —
 * changes since 2nd Draft") and a name for its file (with a hyphen: download names keep only
 * letters, digits and plain punctuation).
 */
export function redlineData(input: RedlineInput): { data: string; title: string; fileTitle: string } {
  // People: as the summary orders them (most active first), then anyone else with a change.
  const people: RedlinePerson[] = [];
  const index = new Map<string, number>();
  const usedMarks = new Set<string>();
  const personIndex = (person: PersonRef | null): number => {
    const key = person?.id ?? '';
    const known = index.get(key);
    if (known !== undefined) return known;
    const name = person ? person.name.trim() || 'Unnamed' : 'Not recorded';
    let mark = person ? initialsOf(name) : '?';
    // Two people with the same initials: number them (AC, AC2).
    for (let n = 2; usedMarks.has(mark); n++) mark = `${person ? initialsOf(name) : '?'}${n}`;
    usedMarks.add(mark);
    const color = person ? (HEX_COLOR.test(person.color) ? person.color : FALLBACK_COLOR) : UNKNOWN_COLOR;
    people.push({ name, mark, color, added: 0, removed: 0 });
    index.set(key, people.length - 1);
    return people.length - 1;
  };
  for (const entry of input.summary) {
    const person = people[personIndex(entry.person)];
    person.added += entry.wordsAdded;
    person.removed += entry.wordsRemoved;
  }

  const items: RedlineItem[] = [];
  for (const block of input.blocks) {
    const runs: RedlineRun[] = block.runs
      .filter((run) => run.text !== '')
      .map((run) => {
        const change = run.change === 'inserted' || run.change === 'deleted' ? run.change : 'same';
        return { text: run.text, change, by: change === 'same' ? null : personIndex(run.by), mark: false, tail: '' };
      });
    runs.forEach((run, i) => {
      const next = runs[i + 1];
      run.mark = run.by !== null && !(next && next.by === run.by);
      const trailing = /\s+$/u.exec(run.text)?.[0] ?? '';
      if (run.mark && trailing !== '' && trailing !== run.text) {
        run.text = run.text.slice(0, -trailing.length);
        run.tail = trailing;
      }
    });
    const rule = block.type === 'horizontalRule';
    if (runs.length === 0 && !rule) continue;
    const path = block.path;
    const inTable = path.includes('table');
    const container: RedlineBlock['container'] = inTable
      ? path.includes('tableHeader')
        ? 'headerCell'
        : 'cell'
      : path.includes('listItem')
        ? 'list'
        : path.includes('blockquote')
          ? 'quote'
          : 'body';
    const depth = Math.min(MAX_DEPTH, path.filter((type) => ['bulletList', 'orderedList', 'blockquote', 'table'].includes(type)).length);
    const level = Number.isInteger(block.level) ? Math.min(3, Math.max(1, block.level!)) : 1;
    const out: RedlineBlock = {
      type: rule ? 'rule' : block.type === 'heading' ? 'heading' : 'paragraph',
      level,
      container,
      depth,
      change: ['same', 'inserted', 'deleted', 'changed'].includes(block.change) ? block.change : 'changed',
      dir: directionOf(runs),
      runs,
    };
    // Consecutive cells of a table (the comparison gives no row breaks) are shown together.
    const last = items[items.length - 1];
    if (inTable && last?.type === 'table') last.cells.push(out);
    else if (inTable) items.push({ type: 'table', cells: [out] });
    else items.push(out);
  }

  const subtitle = redlineSubtitle(input.from, input.to);
  const title = `${input.title} — ${subtitle}`;
  const versionOf = (version: VersionRecord) => ({
    name: versionName(version),
    date: longDateTime(version.createdAt),
    meeting: version.meetingDate ? longDate(new Date(`${version.meetingDate}T00:00:00Z`)) : null,
  });
  const generated = input.generatedAt;
  const data = {
    meta: {
      title,
      documentTitle: input.title,
      subtitle,
      group: input.group,
      paper: input.paper,
      from: versionOf(input.from),
      to: input.to ? versionOf(input.to) : { name: 'Current text', date: `last edited ${longDateTime(input.currentAt)}`, meeting: null },
      generated: longDateTime(generated),
      dateParts: [generated.getUTCFullYear(), generated.getUTCMonth() + 1, generated.getUTCDate()],
    },
    people,
    totals: { added: people.reduce((sum, p) => sum + p.added, 0), removed: people.reduce((sum, p) => sum + p.removed, 0) },
    changed: input.blocks.some((block) => block.change !== 'same'),
    content: items,
  };
  return { data: JSON.stringify(data), title, fileTitle: `${input.title} - ${subtitle}` };
}
