import * as Y from 'yjs';
import { CONTENT_FRAGMENT } from '../../../shared/protocol/index';
import { editTextMiddle } from '../versions/restore';

type Child = Y.XmlElement | Y.XmlText;

/**
 * Turns `target`'s content into `source`'s, keeping every Yjs item it can, so thread anchors
 * (relative positions into those items) keep resolving after a source paper is re-imported.
 * Like restoring a version (versions/restore.ts), but all the way down: at each level the
 * children that are the same are kept (longest common subsequence), an element that became a
 * different version of itself (same node, same pid, if any) is changed in place (attributes,
 * then its own children the same way, and text by its shared start and end), the rest is
 * deleted or inserted.
 *
 * Bounded for papers of any length: the common start and end of each list of children are kept
 * without a table; a longest common subsequence table is only made for what lies between when it
 * has at most LCS_MAX_CELLS cells; longer lists are first aligned on the children found once on
 * each side (patience diffing), and only the stretches between those get a table, or are paired
 * up in order when still too long.
 *
 * `batch`: the top level's changes are made in transactions of at most this many steps (one
 * transaction when unset), so that a large re-import reaches Yjs observers (and the server's
 * main thread, which applies it) as several updates rather than one.
 */
export function replaceContent(target: Y.Doc, source: Y.Doc, options: { batch?: number } = {}): void {
  const steps = transformSteps(target.getXmlFragment(CONTENT_FRAGMENT), source.getXmlFragment(CONTENT_FRAGMENT), mergeNode);
  const batch = options.batch ?? Number.POSITIVE_INFINITY;
  let done = false;
  while (!done) {
    target.transact(() => {
      for (let step = 0; step < batch; step++) {
        if (steps.next().done) {
          done = true;
          return;
        }
      }
    });
  }
}

/** Tables larger than this (cells) are not made: 4 M cells are 16 MB. */
const LCS_MAX_CELLS = 4_000_000;

/** A node's identity for matching: its whole XML (name, attributes, formatting, text). */
const keyOf = (node: Child): string => node.toString();

/**
 * Changes `parent`'s children into copies of `wantedParent`'s (see replaceContent), one step (a
 * kept, edited, inserted or deleted child) per iteration.
 */
function* transformSteps(parent: Y.XmlFragment | Y.XmlElement, wantedParent: Y.XmlFragment | Y.XmlElement, edit: (old: Child, wanted: Child) => boolean): Generator<void> {
  const from = parent.toArray() as Child[];
  const to = wantedParent.toArray() as Child[];
  const fromKeys = from.map(keyOf);
  const toKeys = to.map(keyOf);
  let index = 0;
  let i = 0;
  let j = 0;
  /** Walks from[i..iEnd) against to[j..jEnd), with an LCS table when it is small enough, else in order. */
  function* segment(iEnd: number, jEnd: number): Generator<void> {
    const rows = iEnd - i;
    const columns = jEnd - j;
    if (rows > 0 && columns > 0 && rows * columns <= LCS_MAX_CELLS) {
      const i0 = i;
      const j0 = j;
      // Suffix lengths of the longest common subsequence of from[i0..iEnd) and to[j0..jEnd).
      const lcs = Array.from({ length: rows + 1 }, () => new Uint32Array(columns + 1));
      for (let a = rows - 1; a >= 0; a--) {
        for (let b = columns - 1; b >= 0; b--) {
          lcs[a][b] = fromKeys[i0 + a] === toKeys[j0 + b] ? lcs[a + 1][b + 1] + 1 : Math.max(lcs[a + 1][b], lcs[a][b + 1]);
        }
      }
      while (i < iEnd || j < jEnd) {
        const a = i - i0;
        const b = j - j0;
        if (i < iEnd && j < jEnd && fromKeys[i] === toKeys[j]) {
          i++;
          j++;
          index++;
        } else if (i < iEnd && j < jEnd && lcs[a + 1][b + 1] === lcs[a][b] && edit(from[i], to[j])) {
          // Neither child is part of the common subsequence here: the old one was edited into the wanted one.
          i++;
          j++;
          index++;
        } else if (j < jEnd && (i === iEnd || lcs[a][b + 1] >= lcs[a + 1][b])) {
          parent.insert(index, [to[j].clone() as Child]);
          j++;
          index++;
        } else {
          parent.delete(index, 1);
          i++;
        }
        yield;
      }
      return;
    }
    // Too long for a table: pair the children up in order.
    while (i < iEnd || j < jEnd) {
      if (i < iEnd && j < jEnd && (fromKeys[i] === toKeys[j] || edit(from[i], to[j]))) {
        i++;
        j++;
        index++;
      } else if (i < iEnd) {
        parent.delete(index, 1);
        i++;
      } else {
        parent.insert(index, [to[j].clone() as Child]);
        j++;
        index++;
      }
      yield;
    }
  }

  // The common start and end need no table.
  let start = 0;
  while (start < from.length && start < to.length && fromKeys[start] === toKeys[start]) start++;
  let end = 0;
  while (end < from.length - start && end < to.length - start && fromKeys[from.length - 1 - end] === toKeys[to.length - 1 - end]) end++;
  i = j = index = start;
  const middleRows = from.length - end - start;
  const middleColumns = to.length - end - start;
  const anchors = middleRows * middleColumns <= LCS_MAX_CELLS ? [] : uniqueAnchors(fromKeys, toKeys, start, from.length - end, start, to.length - end);
  for (const [anchorI, anchorJ] of anchors) {
    yield* segment(anchorI, anchorJ);
    // The anchor itself is kept.
    i++;
    j++;
    index++;
  }
  yield* segment(from.length - end, to.length - end);
}

/**
 * Patience diffing's anchors between from[i0..i1) and to[j0..j1): children whose key appears
 * exactly once on each side, as the longest run of them in the same order on both sides
 * (longest increasing subsequence). Pairs [i, j], in order.
 */
function uniqueAnchors(fromKeys: string[], toKeys: string[], i0: number, i1: number, j0: number, j1: number): [number, number][] {
  const once = (keys: string[], begin: number, finish: number) => {
    const seen = new Map<string, number>();
    for (let k = begin; k < finish; k++) seen.set(keys[k], seen.has(keys[k]) ? -1 : k);
    return seen;
  };
  const inFrom = once(fromKeys, i0, i1);
  const inTo = once(toKeys, j0, j1);
  const pairs: [number, number][] = [];
  for (const [key, i] of inFrom) {
    const j = inTo.get(key);
    if (i >= 0 && j !== undefined && j >= 0) pairs.push([i, j]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  // Longest increasing subsequence of the j's (patience sorting, O(n log n)).
  const tails: number[] = [];
  const previous = new Int32Array(pairs.length).fill(-1);
  for (let k = 0; k < pairs.length; k++) {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (pairs[tails[mid]][1] < pairs[k][1]) low = mid + 1;
      else high = mid;
    }
    if (low > 0) previous[k] = tails[low - 1];
    tails[low] = k;
  }
  const out: [number, number][] = [];
  for (let k = tails.length > 0 ? tails[tails.length - 1] : -1; k >= 0; k = previous[k]) out.push(pairs[k]);
  return out.reverse();
}

/** Two versions of one node: the same kind of element (and the same paragraph, when they have pids), or two texts. */
function sameThing(old: Child, wanted: Child): boolean {
  if (old instanceof Y.XmlText && wanted instanceof Y.XmlText) return true;
  if (!(old instanceof Y.XmlElement) || !(wanted instanceof Y.XmlElement) || old.nodeName !== wanted.nodeName) return false;
  const pid = old.getAttribute('pid');
  return pid === undefined || pid === wanted.getAttribute('pid');
}

/** Changes `old` into `wanted` in place when they are two versions of one node (true when it did). */
function mergeNode(old: Child, wanted: Child): boolean {
  if (!sameThing(old, wanted)) return false;
  if (old instanceof Y.XmlText && wanted instanceof Y.XmlText) {
    mergeText(old, wanted);
    return true;
  }
  const element = old as Y.XmlElement;
  const wantedElement = wanted as Y.XmlElement;
  const attributes = wantedElement.getAttributes() as Record<string, string>;
  for (const name of Object.keys(element.getAttributes())) if (!(name in attributes)) element.removeAttribute(name);
  for (const [name, value] of Object.entries(attributes)) if (element.getAttribute(name) !== value) element.setAttribute(name, value);
  // Nested levels run to the end inside the top level's transaction (their depth is bounded by the import's).
  for (const _step of transformSteps(element, wantedElement, mergeNode));
  return true;
}

/** Replaces only the differing middle of the text; formatting differences replace the whole text. */
function mergeText(old: Y.XmlText, wanted: Y.XmlText): void {
  const plain = (text: Y.XmlText) => text.toDelta().every((op: { insert: unknown; attributes?: object }) => !op.attributes && typeof op.insert === 'string');
  if (!plain(old) || !plain(wanted)) {
    old.delete(0, old.length);
    old.applyDelta(wanted.toDelta());
    return;
  }
  editTextMiddle(old, wanted.toString());
}
