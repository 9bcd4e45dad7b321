/**
 * Paragraph labels and ids of source papers. Pure functions over the sequence of a paper's text
 * blocks (paragraphs and headings, including those in lists, quotes and tables, in reading order).
 *
 * Labels: the paper's own numbering where it has one, read from the start of a block's text:
 * - sections in roman numerals, "V. Forging Links…", or named, "Section V - …" → "V";
 * - proposals "V.4." / "VIII.1" → "V.4"; numbered paragraphs "13." / "2)" / "2.1" → "13";
 *   compound numbers "93(a)" → "93(a)"; named parts "Annex I", "Proposal 1", "Article 5", "Annex";
 *   lettered parts "A." / "A1 - …" → "A", "A1"; items of an ordered list without a written number
 *   take their list number;
 * - sub-items ("a)", "(a)", "i.") and numbered items inside lists are qualified by the last
 *   number outside a list: "13(a)", "V.4(1)"; list items are the paper's own numbering when
 *   no number came before them, or when their list starts past 1 (it continues the numbering).
 * Blocks in table cells never have their own number (a cell's "IV.1" is a reference).
 * A block without its own number, in a paper that has numbers, is labelled after the last
 * number outside a list: "V.4 ¶2" is the second unnumbered block after V.4 ("¶1", "¶2" … before
 * the first number). A paper without numbers (fewer than two) is numbered 1, 2, 3 … in order.
 * Labels need not be unique (a paper may repeat "V.4" in an annex); pids are.
 *
 * Pids: the label itself (made URL-safe, "V.4 ¶2" → "V.4p2") when the label is unique in the
 * paper, else "h" + a hash of the normalized text (with "-2", "-3" … for repeated texts). On a
 * re-import, new blocks are matched to the old ones (the same own label first, then the same
 * text, then similar text) and keep the old pid; the rest get new pids that no old one had.
 */

export interface BlockInfo {
  kind: 'heading' | 'paragraph';
  /** Plain text of the block. */
  text: string;
  /** Inside a list item (its numbers are sub-items of the paper's numbering). */
  inList: boolean;
  /** Inside a table cell: a cell's "IV.1" is a reference, not a numbered paragraph, so it gets a derived label. */
  inTable?: boolean;
  /** The first paragraph of an ordered-list item: its number in the list, and the list's first number. */
  listNumber?: number | null;
  listStart?: number | null;
}

export interface PreviousParagraph {
  pid: string;
  label: string;
  text: string;
}

export interface BlockLabel {
  label: string;
  /** The number is the paper's own (not derived). */
  own: boolean;
}

export interface NumberingResult {
  labels: BlockLabel[];
  pids: string[];
  /** Old pids kept, new pids made, old pids gone (all 0 on a first import). */
  kept: number;
  added: number;
  removed: number;
}

type OwnKind = 'top' | 'sub' | 'compound';

const ROMAN = /^(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})$/;
const LOWER_ROMAN = /^(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})$/;
const LABEL_MAX = 40;
const NAMED_PARTS: Record<string, string> = {
  annex: 'Annex',
  appendix: 'Appendix',
  proposal: 'Proposal',
  article: 'Article',
  chapter: 'Chapter',
  part: 'Part',
  recommendation: 'Recommendation',
};

/** Leftovers of conversion before the text proper: markdown markers, quote signs, bullets. */
const LEADING_MARKUP = /^(?:[#>*_•\s]|\\(?=[.()]))+/;

/** The number a block's text starts with, if any, and how it nests. */
export function detectOwnNumber(rawText: string): { token: string; kind: OwnKind } | null {
  const text = rawText.replace(LEADING_MARKUP, '').replace(/^\*\*|\*\*/g, '');
  let match = /^(section|annex|appendix|proposal|article|chapter|part|recommendation)\s+([IVX]+|\d{1,4}|[A-Z])(?![\w])/i.exec(text);
  if (match) {
    const word = match[1].toLowerCase();
    const number = match[2];
    if (word === 'section') return { token: number, kind: 'top' };
    return { token: `${NAMED_PARTS[word]} ${number}`, kind: 'top' };
  }
  // An annex or appendix without a number: "ANNEX. Proposals from…".
  match = /^(annex|appendix)\s*[.:]/i.exec(text);
  if (match) return { token: NAMED_PARTS[match[1].toLowerCase()], kind: 'top' };
  match = /^([IVX]+)\.(\d{1,3}(?:\.\d{1,3})*)\.?(?=[\s:)]|$)/.exec(text);
  if (match && ROMAN.test(match[1])) return { token: `${match[1]}.${match[2]}`, kind: 'top' };
  match = /^([IVX]+)[.)]\s+\S/.exec(text);
  if (match && ROMAN.test(match[1])) return { token: match[1], kind: 'top' };
  match = /^(\d{1,4})\(([a-z]{1,2}|[ivx]+|\d{1,2})\)/.exec(text);
  if (match) return { token: `${match[1]}(${match[2]})`, kind: 'compound' };
  match = /^(\d{1,3}(?:\.\d{1,3})+)\.?(?=\s)/.exec(text) ?? /^(\d{1,4})[.)](?=\s)/.exec(text) ?? /^\((\d{1,3})\)(?=\s)/.exec(text);
  if (match) return { token: match[1], kind: 'top' };
  match = /^\(?([a-z]|[ivx]{1,4})[.)](?=\s)/.exec(text);
  if (match && (match[1].length === 1 || LOWER_ROMAN.test(match[1]))) return { token: match[1], kind: 'sub' };
  match = /^([A-Z]\d{0,2})(?:[.)]\s+|\s+[-–—]\s+)(?=\S)/.exec(text);
  if (match) return { token: match[1], kind: 'top' };
  return null;
}

/** Labels of every block, as described above. */
export function labelBlocks(blocks: readonly BlockInfo[]): BlockLabel[] {
  const own = blocks.map((block) => {
    if (block.inTable) return null;
    const detected = detectOwnNumber(block.text);
    if (detected) return { ...detected, continued: false };
    // A list that starts past 1 continues the paper's numbering (Word's "93." after "92.").
    if (block.listNumber != null) return { token: String(block.listNumber), kind: 'top' as const, continued: (block.listStart ?? 1) > 1 };
    return null;
  });
  if (own.filter((number) => number !== null).length < 2) {
    return blocks.map((_, index) => ({ label: String(index + 1), own: false }));
  }
  let top: string | null = null;
  /** The last number came from a list item (a list that is the paper's numbering: its items stay top-level). */
  let topFromList = false;
  let sinceTop = 0;
  return blocks.map((block, index) => {
    const number = own[index];
    if (number === null) {
      sinceTop += 1;
      return { label: cut(top === null ? `¶${sinceTop}` : `${top} ¶${sinceTop}`), own: false };
    }
    if (number.kind === 'compound') return { label: cut(number.token), own: true };
    if (number.kind === 'sub' || (block.inList && top !== null && !topFromList && !number.continued)) {
      return { label: cut(top === null ? number.token : `${top}(${number.token})`), own: true };
    }
    top = number.token;
    topFromList = block.inList;
    sinceTop = 0;
    return { label: cut(number.token), own: true };
  });
}

const cut = (label: string): string => (label.length <= LABEL_MAX ? label : label.slice(0, LABEL_MAX).trimEnd());

const normalize = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim();

/** 32-bit FNV-1a of the text, base 36: short, and the same on every machine. */
function hash(text: string): string {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    value ^= text.charCodeAt(i);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value.toString(36);
}

/** A label as a pid: URL-safe ("V.4 ¶2" → "V.4p2"); null when nothing of it is left. */
function labelPid(label: string): string | null {
  const pid = label
    .replace(/¶/g, 'p')
    .replace(/\s+/g, '')
    .replace(/[^A-Za-z0-9._~()-]/g, '_')
    .slice(0, LABEL_MAX);
  return pid === '' ? null : pid;
}

/** Word pairs of a text (with their counts and total), for similarity. */
interface Bigrams {
  counts: Map<string, number>;
  size: number;
}

function bigrams(text: string): Bigrams {
  const words = normalize(text).split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
  const counts = new Map<string, number>();
  const units = words.length > 1 ? words.slice(1).map((word, i) => `${words[i]} ${word}`) : words;
  for (const unit of units) counts.set(unit, (counts.get(unit) ?? 0) + 1);
  return { counts, size: units.length };
}

const dice = (x: Bigrams, y: Bigrams, shared: number): number => (x.size + y.size === 0 ? 1 : (2 * shared) / (x.size + y.size));

function sharedCount(x: Bigrams, y: Bigrams): number {
  let shared = 0;
  for (const [unit, count] of x.counts) shared += Math.min(count, y.counts.get(unit) ?? 0);
  return shared;
}

/** Dice coefficient of two texts' word pairs: 1 the same, 0 nothing in common. */
export function similarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  return dice(x, y, sharedCount(x, y));
}

/** Texts at least this similar are the same paragraph, revised. */
const SIMILAR_ENOUGH = 0.5;
/** A word pair in more old paragraphs than this ("of the") does not make them candidates. */
const MAX_POSTINGS = 50;
/** Labels and pids of a paper's blocks; `previous`: the paragraphs of the import it replaces. */
export function numberBlocks(blocks: readonly BlockInfo[], previous: readonly PreviousParagraph[] = []): NumberingResult {
  const labels = labelBlocks(blocks);
  const pids: (string | null)[] = blocks.map(() => null);
  const used = new Set<number>();
  const keep = (index: number, old: number) => {
    pids[index] = previous[old].pid;
    used.add(old);
  };

  // 1. The same own label (the best text among old blocks that had it).
  const byLabel = new Map<string, number[]>();
  previous.forEach((paragraph, old) => {
    const list = byLabel.get(paragraph.label);
    if (list) list.push(old);
    else byLabel.set(paragraph.label, [old]);
  });
  blocks.forEach((block, index) => {
    if (!labels[index].own) return;
    const candidates = (byLabel.get(labels[index].label) ?? []).filter((old) => !used.has(old));
    if (candidates.length === 0) return;
    let best = candidates[0];
    let bestScore = -1;
    for (const old of candidates) {
      const score = similarity(block.text, previous[old].text);
      if (score > bestScore) [best, bestScore] = [old, score];
    }
    keep(index, best);
  });

  // 2. The same text.
  const byText = new Map<string, number[]>();
  previous.forEach((paragraph, old) => {
    if (used.has(old)) return;
    const key = normalize(paragraph.text);
    const list = byText.get(key);
    if (list) list.push(old);
    else byText.set(key, [old]);
  });
  blocks.forEach((block, index) => {
    if (pids[index] !== null) return;
    const candidates = byText.get(normalize(block.text));
    const old = candidates?.find((candidate) => !used.has(candidate));
    if (old !== undefined) keep(index, old);
  });

  // 3. Similar text, best pairs first. Candidates are the old texts that share a distinctive word
  // pair (an index of the old texts' pairs, leaving out those most paragraphs have), so a long
  // paper re-imports quickly; candidates are then scored exactly.
  const openNew = blocks.map((_, index) => index).filter((index) => pids[index] === null && normalize(blocks[index].text) !== '');
  const openOld = previous.map((_, old) => old).filter((old) => !used.has(old) && normalize(previous[old].text) !== '');
  const oldBigrams = new Map(openOld.map((old) => [old, bigrams(previous[old].text)]));
  const postings = new Map<string, number[]>();
  for (const [old, grams] of oldBigrams) {
    for (const unit of grams.counts.keys()) {
      const list = postings.get(unit);
      if (list) list.push(old);
      else postings.set(unit, [old]);
    }
  }
  const pairs: { index: number; old: number; score: number }[] = [];
  for (const index of openNew) {
    const grams = bigrams(blocks[index].text);
    const candidates = new Set<number>();
    for (const unit of grams.counts.keys()) {
      const list = postings.get(unit);
      if (list && list.length <= MAX_POSTINGS) for (const old of list) candidates.add(old);
    }
    for (const old of candidates) {
      const oldGrams = oldBigrams.get(old)!;
      const score = dice(grams, oldGrams, sharedCount(grams, oldGrams));
      if (score >= SIMILAR_ENOUGH) pairs.push({ index, old, score });
    }
  }
  pairs.sort((a, b) => b.score - a.score || a.index - b.index);
  for (const { index, old } of pairs) if (pids[index] === null && !used.has(old)) keep(index, old);

  // 4. New pids, never one an old paragraph had.
  const taken = new Set(previous.map((paragraph) => paragraph.pid));
  for (const pid of pids) if (pid !== null) taken.add(pid);
  const labelCounts = new Map<string, number>();
  for (const { label } of labels) labelCounts.set(label, (labelCounts.get(label) ?? 0) + 1);
  const textCounts = new Map<string, number>();
  const unique = (base: string): string => {
    let pid = base;
    for (let n = 2; taken.has(pid); n++) pid = `${base}-${n}`;
    taken.add(pid);
    return pid;
  };
  blocks.forEach((block, index) => {
    const key = normalize(block.text);
    const occurrence = (textCounts.get(key) ?? 0) + 1;
    textCounts.set(key, occurrence);
    if (pids[index] !== null) return;
    const fromLabel = labelCounts.get(labels[index].label) === 1 ? labelPid(labels[index].label) : null;
    if (fromLabel !== null && !taken.has(fromLabel)) {
      taken.add(fromLabel);
      pids[index] = fromLabel;
    } else {
      pids[index] = unique(`h${hash(key)}${occurrence > 1 ? `-${occurrence}` : ''}`);
    }
  });
  return { labels, pids: pids as string[], kept: used.size, added: blocks.length - used.size, removed: previous.length - used.size };
}
