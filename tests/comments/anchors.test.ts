/**
 * Property test of comment anchors (shared/comments/anchors.ts) under real concurrent editing.
 *
 * One stock y-websocket client writes a few paragraphs; four anchors are encoded on its copy
 * (encodeAnchor with the mapping of initProseMirrorDoc): A inside one paragraph, C across two
 * paragraphs, B starting at a paragraph start, D one character after the start of the document.
 * Then four clients edit at once, in rounds: every client makes a few edits on its own copy
 * without waiting for the others (so a round's edits are concurrent), and the round ends when all
 * copies have converged through the server. Edits are inserts and deletes of a few characters
 * before, after, inside, across and exactly at the boundaries of the anchored ranges, bold/italic
 * formatting, and adding and removing whole other paragraphs (deleting the '#' before D can put
 * D's start at the very start of the document; the summary line counts how often D then
 * resolved there). In a last round one client deletes all of A's text while the
 * others delete inside it and edit elsewhere, another deletes all of B's text while one more
 * inserts inside B, and two more delete C's two parts (its paragraphs stay, so C's range still
 * spans a paragraph boundary).
 *
 * Every anchored character is a unique letter, and inserted characters say where the inserting
 * client put them in its own copy: 'x' outside every anchor, 'i' / 'k' / 'j' / 'd' strictly
 * inside A / C / B / D, 'b' exactly at a boundary. After each convergence, on EVERY client and on
 * the document the server stored, resolveAnchor must give the same range, and its text must be
 * the anchored letters nobody deleted, in their order, with the anchor's own inside marker (all
 * of them that are left in the document) and boundary 'b's (either side, but the same everywhere)
 * and nothing else: no 'x', no other anchor's letters or markers. When nothing of the anchored
 * text is left, the anchor resolves to null (text removed) while the others still resolve; text
 * inserted inside concurrently with the deletion survives it, and then the anchor reads just that.
 * Where resolveAnchor gives a range, it is where the anchor's two positions are (located by the
 * test's own code, see `locate`).
 *
 * Seeds: ANCHOR_SEED=<n> runs one seed. The schedule is deterministic: the PRNG drives every
 * choice, client ids are fixed per seed and every round starts from a converged document.
 *
 * Two regression tests at the end pin the bugs this property found: an anchor over two paragraphs
 * whose text is all deleted must read as removed, not "\n"; an anchor at the very start of the
 * document must still resolve.
 */
import { initProseMirrorDoc } from '@tiptap/y-tiptap';
import type { Node as PMNode } from '@tiptap/pm/model';
import { fromBase64 } from 'lib0/buffer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Anchor } from '../../shared/api/comments';
import { encodeAnchor, resolveAnchor, type ProsemirrorMapping } from '../../shared/comments/index';
import { getDocumentSchema } from '../../shared/schema/index';
import { connectClient, docFromStored, waitFor, waitForSync, type TestClient } from '../helpers/clients';
import { prng } from '../helpers/random';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';

const schema = getDocumentSchema();
const SEEDS = process.env.ANCHOR_SEED ? [Number(process.env.ANCHOR_SEED)] : [1, 2, 3, 4, 5, 6, 7, 8];
const ROUNDS = 12;
const CLIENTS = 4;

type Range = { from: number; to: number };

/** The anchor logic under test, behind one seam so the property can be pointed at another implementation. */
interface AnchorImpl {
  encode(fragment: Y.XmlFragment, mapping: ProsemirrorMapping, from: number, to: number): Anchor;
  /** `pmDoc` is the ProseMirror document `mapping` was made for. */
  resolve(doc: Y.Doc, fragment: Y.XmlFragment, mapping: ProsemirrorMapping, pmDoc: PMNode, anchor: Anchor): Range | null;
  /**
   * Where the anchor is in a client's copy even when collapsed or emptied (resolve says null
   * then): the clients use it to decide where "inside", "outside" and "at the boundary" are, and
   * the property checks that a range resolve gives is exactly this.
   */
  locate(doc: Y.Doc, fragment: Y.XmlFragment, mapping: ProsemirrorMapping, pmDoc: PMNode, anchor: Anchor): Range | null;
}

/**
 * The ProseMirror position of an encoded relative position in `fragment`, by the test's own
 * arithmetic rather than y-tiptap's or resolveAnchor's: the test's documents are flat (paragraphs
 * holding one Y.XmlText each, no embeds), so a position in paragraph i's text at offset k is
 * 1 + k plus the sizes (text length + 2) of the paragraphs before it. Null when the position is in
 * no live paragraph of the fragment (its item is gone, or its paragraph was removed).
 */
function locatePosition(doc: Y.Doc, fragment: Y.XmlFragment, encoded: string): number | null {
  const abs = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(fromBase64(encoded)), doc);
  if (abs === null) return null;
  let before = 0; // the position before the current paragraph
  const paragraphs = fragment.toArray() as Y.XmlElement[];
  for (let i = 0; i < paragraphs.length; i++) {
    if (abs.type === fragment && abs.index === i) return before;
    const el = paragraphs[i];
    if (el.length !== 1 || !(el.get(0) instanceof Y.XmlText)) throw new Error(`paragraph ${i} is not one Y.XmlText`);
    const text = el.get(0) as Y.XmlText;
    if (abs.type === text) return before + 1 + abs.index;
    if (abs.type === el) return before + 1 + (abs.index === 0 ? 0 : text.length);
    before += text.length + 2;
  }
  if (abs.type === fragment && abs.index === paragraphs.length) return before;
  return null;
}

const relativeAnchors: AnchorImpl = {
  encode: encodeAnchor,
  resolve: resolveAnchor,
  locate(doc, fragment, _mapping, pmDoc, anchor) {
    const from = locatePosition(doc, fragment, anchor.start);
    const to = locatePosition(doc, fragment, anchor.end);
    if (from === null || to === null) return null;
    if (Math.max(from, to) > pmDoc.content.size) throw new Error(`located ${from}–${to} beyond the document (${pmDoc.content.size})`);
    return { from, to };
  },
};

const impl: AnchorImpl = relativeAnchors;

/**
 * The document client 0 writes: D near the start of the document, A in paragraph 1, C over
 * paragraphs 3–4, B at the start of paragraph 5.
 */
const LAYOUT = ['#XYZ......', '....ABCDEFGHJK....', '........', '....LMNOPQ', 'RSTUVW....', '0123456789....', '.....'];
interface Spec {
  name: string;
  originals: string;
  marker: string;
  /** Paragraphs (indexes in LAYOUT) the anchor is in: never removed. */
  paragraphs: number[];
  expectedQuote: string;
}
const SPECS: Spec[] = [
  { name: 'A', originals: 'ABCDEFGHJK', marker: 'i', paragraphs: [1], expectedQuote: 'ABCDEFGHJK' },
  { name: 'C', originals: 'LMNOPQRSTUVW', marker: 'k', paragraphs: [3, 4], expectedQuote: 'LMNOPQ\nRSTUVW' },
  { name: 'B', originals: '0123456789', marker: 'j', paragraphs: [5], expectedQuote: '0123456789' },
  { name: 'D', originals: 'XYZ', marker: 'd', paragraphs: [0], expectedQuote: 'XYZ' },
];
const ALL_ORIGINALS = SPECS.map((s) => s.originals).join('');

interface View {
  fragment: Y.XmlFragment;
  pmDoc: PMNode;
  mapping: ProsemirrorMapping;
}
function view(doc: Y.Doc): View {
  const fragment = doc.getXmlFragment('default');
  const { doc: pmDoc, mapping } = initProseMirrorDoc(fragment, schema);
  return { fragment, pmDoc, mapping: mapping as ProsemirrorMapping };
}

interface Para {
  index: number;
  /** ProseMirror position of the paragraph's first character. */
  start: number;
  length: number;
  el: Y.XmlElement;
  text: Y.XmlText;
}
function paragraphsOf(v: View): Para[] {
  const els = v.fragment.toArray() as Y.XmlElement[];
  const paras: Para[] = [];
  v.pmDoc.forEach((node, offset, index) => {
    const el = els[index];
    const text = el.get(0) as Y.XmlText;
    if (node.type.name !== 'paragraph' || node.content.size !== text.length) throw new Error(`paragraph ${index} does not match its Y.XmlText`);
    paras.push({ index, start: offset + 1, length: node.content.size, el, text });
  });
  if (paras.length !== els.length) throw new Error('ProseMirror and Yjs paragraphs differ');
  return paras;
}
const idOf = (el: Y.XmlElement): string => `${el._item!.id.client}:${el._item!.id.clock}`;
const count = (text: string, ch: string): number => text.split(ch).length - 1;
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

interface Model {
  anchors: Anchor[];
  /** Anchored letters some client deleted (seen in its own copy). */
  deleted: Set<string>;
  /** Paragraphs that must stay (ids of their Y.XmlElement items, the same in every copy). */
  kept: Set<string>;
  log: string[];
  /** How many edits of each kind were made (for the summary line). */
  stats: Record<string, number>;
}

/** What an insert at `pos` (a position in the client's own copy) is: which marker, and for which anchor. */
function classify(pos: number, ranges: (Range | null)[]): { ch: string; anchor: number | null } {
  for (let a = 0; a < ranges.length; a++) {
    const r = ranges[a];
    if (!r) continue;
    if (r.from < r.to) {
      if (pos > r.from && pos < r.to) return { ch: SPECS[a].marker, anchor: a };
      if (pos === r.from || pos === r.to) return { ch: 'b', anchor: a };
    } else if (pos >= r.to && pos <= r.from) {
      return { ch: 'b', anchor: a };
    }
  }
  return { ch: 'x', anchor: null };
}

interface Limits {
  /** Anchors that may get no inserts inside or at their boundaries (they are being deleted). */
  noInsertsIn?: Set<number>;
  /** Anchor whose insides deletes should favour. */
  deleteInside?: number;
  /** Anchors whose text (boundaries included) no delete may touch. */
  noDeletesIn?: Set<number>;
}

/** One random edit by `client` on its own copy. */
function randomEdit(model: Model, c: number, client: TestClient, random: () => number, limits: Limits = {}): void {
  const pick = <T,>(items: T[]): T => items[Math.floor(random() * items.length)];
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const v = view(client.doc);
  const paras = paragraphsOf(v);
  const ranges = model.anchors.map((anchor) => impl.locate(client.doc, v.fragment, v.mapping, v.pmDoc, anchor));
  const textPositions = paras.flatMap((p) => Array.from({ length: p.length + 1 }, (_, i) => p.start + i));
  const paraAt = (pos: number) => paras.find((p) => pos >= p.start && pos <= p.start + p.length)!;
  const log = (what: string) => {
    model.log.push(`c${c}: ${what}`);
    const kind = what.startsWith('insert') ? `insert ${what.split('"')[1][0]}` : what.split(' ')[0];
    model.stats[kind] = (model.stats[kind] ?? 0) + 1;
  };

  const op = random();
  if (op < 0.45) {
    // Insert 1–3 characters: inside an anchor, at a boundary, or anywhere.
    const where = random();
    const a = between(0, SPECS.length - 1);
    const r = ranges[a];
    let pos: number;
    if (where < 0.4 && r && r.to - r.from > 1 && textPositions.some((p) => p > r.from && p < r.to)) {
      pos = pick(textPositions.filter((p) => p > r.from && p < r.to));
    } else if (where < 0.6 && r && textPositions.includes(r.from) && textPositions.includes(r.to)) {
      pos = random() < 0.5 ? r.from : r.to;
    } else {
      pos = pick(textPositions);
    }
    const { ch, anchor } = classify(pos, ranges);
    if (anchor !== null && limits.noInsertsIn?.has(anchor)) return;
    const para = paraAt(pos);
    const text = ch.repeat(between(1, 3));
    para.text.insert(pos - para.start, text);
    log(`insert ${JSON.stringify(text)} at ${pos} (paragraph ${para.index}, offset ${pos - para.start})`);
  } else if (op < 0.8) {
    // Delete 1–3 characters within one paragraph, often inside an anchor.
    const a = limits.deleteInside !== undefined && random() < 0.7 ? limits.deleteInside : between(0, SPECS.length - 1);
    const r = ranges[a];
    const where = random();
    let length = between(1, 3);
    let candidates = textPositions;
    if (where < 0.45 && r && r.to > r.from) {
      candidates = textPositions.filter((p) => p >= r.from && p < r.to);
    } else if (where < 0.6 && r) {
      // Across a boundary: from just before it to just after it.
      const boundary = random() < 0.5 ? r.from : r.to;
      length = between(2, 3);
      candidates = [boundary - between(1, length - 1)].filter((p) => textPositions.includes(p) && paraAt(p) === paraAt(boundary));
    }
    if (candidates.length === 0) return;
    const pos = pick(candidates);
    const para = paraAt(pos);
    length = Math.min(length, para.start + para.length - pos);
    if (length <= 0) return;
    if (ranges.some((r, b) => r && limits.noDeletesIn?.has(b) && pos <= Math.max(r.from, r.to) && pos + length >= Math.min(r.from, r.to))) return;
    const gone = v.pmDoc.textBetween(pos, pos + length);
    para.text.delete(pos - para.start, length);
    for (const ch of gone) if (ALL_ORIGINALS.includes(ch)) model.deleted.add(ch);
    log(`delete ${JSON.stringify(gone)} at ${pos} (paragraph ${para.index}, offset ${pos - para.start})`);
  } else if (op < 0.88) {
    // Format a few characters (formatting attributes split the text but move nothing).
    const para = pick(paras);
    if (para.length === 0) return;
    const offset = between(0, para.length - 1);
    const length = Math.min(between(1, 4), para.length - offset);
    const mark = pick(['bold', 'italic']);
    const value = random() < 0.7 ? {} : null;
    para.text.format(offset, length, { [mark]: value });
    log(`format ${mark}=${JSON.stringify(value)} paragraph ${para.index} offset ${offset} length ${length}`);
  } else if (op < 0.94) {
    // Add a paragraph somewhere (inside C when it goes between C's two paragraphs).
    const index = between(0, paras.length);
    const pos = index < paras.length ? paras[index].start - 1 : v.pmDoc.content.size;
    const { ch, anchor } = classify(pos, ranges);
    if (anchor !== null && limits.noInsertsIn?.has(anchor)) return;
    const text = ch === 'b' ? '' : ch.repeat(between(0, 3));
    client.doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph');
      const xmlText = new Y.XmlText();
      paragraph.insert(0, [xmlText]);
      xmlText.insert(0, text);
      v.fragment.insert(index, [paragraph]);
    });
    log(`add paragraph ${JSON.stringify(text)} at index ${index}`);
  } else {
    // Remove a whole paragraph that holds no anchor.
    const removable = paras.filter((p) => !model.kept.has(idOf(p.el)));
    if (removable.length === 0) return;
    const para = pick(removable);
    log(`remove paragraph ${para.index} ${JSON.stringify(v.pmDoc.textBetween(para.start, para.start + para.length))}`);
    v.fragment.delete(para.index, 1);
  }
}

/** Every client has every update and the same document. */
function converged(clients: TestClient[]): boolean {
  const vectors = clients.map((c) => Y.encodeStateVector(c.doc));
  if (!vectors.every((sv) => sameBytes(sv, vectors[0]))) return false;
  const docs = clients.map((c) => JSON.stringify(view(c.doc).pmDoc.toJSON()));
  return docs.every((d) => d === docs[0]);
}

interface Resolved {
  range: Range | null;
  text: string | null;
  /** Where locate puts the anchor, and the text there (whatever resolve says). */
  located: Range | null;
  locatedText: string | null;
}
function resolveAll(doc: Y.Doc, anchors: Anchor[]): Resolved[] {
  const v = view(doc);
  const textOf = (r: Range | null) => (r && r.from < r.to ? v.pmDoc.textBetween(r.from, r.to, '\n') : null);
  return anchors.map((anchor) => {
    const range = impl.resolve(doc, v.fragment, v.mapping, v.pmDoc, anchor);
    const located = impl.locate(doc, v.fragment, v.mapping, v.pmDoc, anchor);
    return { range, text: textOf(range), located, locatedText: textOf(located) };
  });
}

/**
 * The property, on converged copies: every copy resolves every anchor alike, to the anchored
 * letters nobody deleted plus the anchor's inside inserts (and maybe boundary inserts), nothing else.
 */
function checkAnchors(label: string, docs: Y.Doc[], model: Model, mustBeRemoved: Set<number>): void {
  const json = JSON.stringify(view(docs[0]).pmDoc.toJSON());
  docs.forEach((doc, i) => expect(JSON.stringify(view(doc).pmDoc.toJSON()), `${label}: copy ${i} differs from copy 0`).toBe(json));
  const v0 = view(docs[0]);
  const docText = v0.pmDoc.textBetween(0, v0.pmDoc.content.size, '\n');
  const results = docs.map((doc) => resolveAll(doc, model.anchors));
  for (let i = 1; i < docs.length; i++) expect(results[i], `${label}: copy ${i} resolves the anchors unlike copy 0`).toEqual(results[0]);

  SPECS.forEach((spec, a) => {
    const what = `${label}: anchor ${spec.name}`;
    const { range, text, located, locatedText } = results[0][a];
    // resolve gives where the anchor's positions are when there is text between them, else null.
    const hasText = locatedText !== null && locatedText.replace(/\n/g, '') !== '';
    expect(range, `${what}: resolves to where it is located (${JSON.stringify(located)}, reading ${JSON.stringify(locatedText)})`).toEqual(
      hasText ? located : null,
    );
    if (range?.from === 1) model.stats[`${spec.name} at the very start`] = (model.stats[`${spec.name} at the very start`] ?? 0) + 1;
    const survivors = [...spec.originals].filter((ch) => !model.deleted.has(ch)).join('');
    // The model agrees with the document about which letters are left.
    expect([...docText].filter((ch) => spec.originals.includes(ch)).join(''), `${what}: letters left in the document`).toBe(survivors);
    const insideInDoc = count(docText, spec.marker);
    if (mustBeRemoved.has(a)) {
      expect({ range, text }, `${what}: all its text was deleted`).toEqual({ range: null, text: null });
      return;
    }
    if (survivors === '' && insideInDoc === 0) {
      // Nothing of it left: removed, or only boundary inserts (either side is fine).
      if (text !== null) expect(text, `${what}: nothing left but boundary inserts`).toMatch(/^b+$/);
      return;
    }
    expect(range, `${what}: text is left (${JSON.stringify(survivors)}, ${insideInDoc} '${spec.marker}'), so it resolves`).not.toBeNull();
    const allowed = new Set([...spec.originals, spec.marker, 'b', ...(spec.paragraphs.length > 1 ? ['\n'] : [])]);
    const stray = [...text!].filter((ch) => !allowed.has(ch));
    expect(stray.join(''), `${what}: foreign characters in ${JSON.stringify(text)}`).toBe('');
    expect(
      text!.replace(/[b\n]/g, '').split(spec.marker).join(''),
      `${what}: the anchored letters left, in order, in ${JSON.stringify(text)}`,
    ).toBe(survivors);
    expect(count(text!, spec.marker), `${what}: every '${spec.marker}' in the document is inside ${JSON.stringify(text)}`).toBe(insideInDoc);
  });
}

async function waitConverged(clients: TestClient[], what: string): Promise<void> {
  await waitFor(() => converged(clients), 10_000, what);
}

/** The document as the server stored it, once it has everything client 0 has. */
async function storedDoc(server: TestServer, docId: string, reference: Y.Doc): Promise<Y.Doc> {
  const want = Y.encodeStateVector(reference);
  const wantJson = JSON.stringify(view(reference).pmDoc.toJSON());
  const deadline = Date.now() + 10_000;
  for (;;) {
    const stored = docFromStored(await server.store.loadContent(docId));
    if (sameBytes(Y.encodeStateVector(stored), want) && JSON.stringify(view(stored).pmDoc.toJSON()) === wantJson) return stored;
    stored.destroy();
    if (Date.now() > deadline) throw new Error('the stored document did not catch up with the clients within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let server: TestServer;
const open: TestClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const client of open) client.destroy();
  await server?.stop();
});

/** `n` connected, synced clients of a new document, with client ids fixed by `seed`. */
async function setUp(seed: number, n: number): Promise<{ docId: string; clients: TestClient[] }> {
  const docId = await createDocument(server, `Anchors, seed ${seed}`);
  const clients: TestClient[] = [];
  for (let c = 0; c < n; c++) {
    const client = connectClient(server, docId, { connect: false });
    // Fixed ids: concurrent inserts at one place are ordered by client id, so this makes a seed
    // produce the same document every run. The awareness took the random id at construction.
    const id = (seed * 16 + c + 1) >>> 0;
    const awareness = client.provider.awareness;
    const previous = awareness.clientID;
    client.doc.clientID = id;
    awareness.clientID = id;
    awareness.states.set(id, awareness.states.get(previous)!);
    awareness.states.delete(previous);
    awareness.meta.set(id, awareness.meta.get(previous)!);
    awareness.meta.delete(previous);
    client.provider.connect();
    clients.push(client);
    open.push(client);
  }
  await Promise.all(clients.map((client) => waitForSync(client)));
  return { docId, clients };
}

function tearDown(clients: TestClient[]): void {
  for (const client of clients) {
    client.destroy();
    open.splice(open.indexOf(client), 1);
  }
}

/** Client 0 writes LAYOUT; returns its paragraphs' ids. */
async function writeLayout(clients: TestClient[]): Promise<string[]> {
  const writer = clients[0].doc;
  writer.transact(() => {
    for (const line of LAYOUT) {
      const paragraph = new Y.XmlElement('paragraph');
      const xmlText = new Y.XmlText();
      paragraph.insert(0, [xmlText]);
      xmlText.insert(0, line);
      writer.getXmlFragment('default').push([paragraph]);
    }
  });
  await waitConverged(clients, 'the first paragraphs to reach every client');
  return (writer.getXmlFragment('default').toArray() as Y.XmlElement[]).map(idOf);
}

/** The anchor over `spec`'s letters, encoded on `doc` as the editor would. */
function encodeOver(doc: Y.Doc, spec: Spec): Anchor {
  const v = view(doc);
  const paras = paragraphsOf(v);
  const posOf = (ch: string) => {
    for (const p of paras) {
      const offset = v.pmDoc.textBetween(p.start, p.start + p.length).indexOf(ch);
      if (offset >= 0) return p.start + offset;
    }
    throw new Error(`${ch} not in the document`);
  };
  const from = posOf(spec.originals[0]);
  const to = posOf(spec.originals[spec.originals.length - 1]) + 1;
  expect(v.pmDoc.textBetween(from, to, '\n')).toBe(spec.expectedQuote);
  return impl.encode(v.fragment, v.mapping, from, to);
}

describe('comment anchors follow their text through concurrent edits by several clients', () => {
  it.each(SEEDS)('seed %i: every client and the stored document resolve each anchor to its surviving text', async (seed) => {
    const random = prng(seed);
    const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    const { docId, clients } = await setUp(seed, CLIENTS);
    const model: Model = { anchors: [], deleted: new Set(), kept: new Set(), log: [], stats: {} };
    try {
      const ids = await writeLayout(clients);
      for (const spec of SPECS) for (const p of spec.paragraphs) model.kept.add(ids[p]);
      model.anchors = SPECS.map((spec) => encodeOver(clients[0].doc, spec));
      checkAnchors('before any edit', clients.map((c) => c.doc), model, new Set());

      for (let round = 1; round <= ROUNDS; round++) {
        model.log.push(`-- round ${round}`);
        // No waiting inside a round: each client edits its own copy before anything arrives.
        for (let c = 0; c < clients.length; c++) {
          const edits = between(1, 4);
          for (let e = 0; e < edits; e++) randomEdit(model, c, clients[c], random);
        }
        await waitConverged(clients, `round ${round} to converge`);
        checkAnchors(`seed ${seed} round ${round}`, clients.map((c) => c.doc), model, new Set());
      }
      const midStored = await storedDoc(server, docId, clients[0].doc);
      checkAnchors(`seed ${seed} after ${ROUNDS} rounds, stored document vs client 0`, [clients[0].doc, midStored], model, new Set());
      midStored.destroy();

      // Last round: one client deletes all of A (as far as it sees it) while the others delete
      // inside A and edit elsewhere; another deletes all of B while one more inserts inside B;
      // two clients delete C's two parts (its first paragraph's part, and the rest).
      model.log.push('-- deleting A, B and C');
      const deleter = between(0, clients.length - 1);
      const removed = new Set([0, 1]);
      /** Client `c` deletes anchor `a`'s text as it sees it: in all its paragraphs, or only the first, or all but the first. */
      const deleteAll = (c: number, a: number, part: 'all' | 'first' | 'rest' = 'all') => {
        const v = view(clients[c].doc);
        const r = impl.locate(clients[c].doc, v.fragment, v.mapping, v.pmDoc, model.anchors[a])!;
        const touched = paragraphsOf(v).filter((p) => Math.min(r.to, p.start + p.length) > Math.max(r.from, p.start));
        const chosen = part === 'all' ? touched : part === 'first' ? touched.slice(0, 1) : touched.slice(1);
        for (const p of chosen.reverse()) {
          const from = Math.max(r.from, p.start);
          const to = Math.min(r.to, p.start + p.length);
          const gone = v.pmDoc.textBetween(from, to);
          p.text.delete(from - p.start, to - from);
          for (const ch of gone) if (ALL_ORIGINALS.includes(ch)) model.deleted.add(ch);
          model.log.push(`c${c}: delete all of ${SPECS[a].name} in paragraph ${p.index}: ${JSON.stringify(gone)}`);
        }
      };
      deleteAll(deleter, 0);
      const [inB, bInserter] = [2, (deleter + 1) % clients.length];
      let insertedInB = '';
      {
        const v = view(clients[bInserter].doc);
        const r = impl.locate(clients[bInserter].doc, v.fragment, v.mapping, v.pmDoc, model.anchors[inB]);
        const inside = r ? paragraphsOf(v).flatMap((p) => Array.from({ length: p.length + 1 }, (_, i) => p.start + i)).filter((p) => p > r.from && p < r.to) : [];
        if (inside.length > 0) {
          const pos = inside[Math.floor(random() * inside.length)];
          const para = paragraphsOf(v).find((p) => pos >= p.start && pos <= p.start + p.length)!;
          insertedInB = 'jj';
          para.text.insert(pos - para.start, insertedInB);
          model.log.push(`c${bInserter}: insert "jj" inside B at ${pos}`);
        }
      }
      deleteAll((deleter + 3) % clients.length, inB);
      deleteAll((deleter + 1) % clients.length, 1, 'first');
      deleteAll((deleter + 2) % clients.length, 1, 'rest');
      for (let c = 0; c < clients.length; c++) {
        if (c === deleter) continue;
        const edits = between(2, 4);
        // The client that inserted inside B leaves B alone (it would be deleting what it just inserted).
        const noDeletesIn = c === bInserter && insertedInB ? new Set([inB]) : undefined;
        for (let e = 0; e < edits; e++) randomEdit(model, c, clients[c], random, { noInsertsIn: removed, deleteInside: 0, noDeletesIn });
      }
      await waitConverged(clients, 'the last round to converge');
      checkAnchors(`seed ${seed} last round`, clients.map((c) => c.doc), model, removed);
      const stored = await storedDoc(server, docId, clients[0].doc);
      checkAnchors(`seed ${seed} last round, stored document vs client 0`, [clients[0].doc, stored], model, removed);
      // Spelled out (checkAnchors implies it): B reads only what was inserted inside it meanwhile,
      // and C reads as removed although its range still spans the boundary between its paragraphs.
      const [, c, b] = resolveAll(clients[0].doc, model.anchors);
      if (insertedInB) expect(b.text?.replace(/[b]/g, '').replace(/j+/, 'j'), 'B after its letters were deleted').toBe('j');
      expect(c.locatedText, 'C after its text was deleted: only paragraph breaks left between its positions').toMatch(/^\n+$/);
      expect(c.range, 'C after its text was deleted').toBeNull();
      const final = resolveAll(stored, model.anchors).map((r, a) => `${SPECS[a].name}=${JSON.stringify(r.text)}`);
      console.log(`[anchors] seed ${seed}: ${JSON.stringify(model.stats)}; ${final.join(' ')}`);
      stored.destroy();
    } catch (error) {
      console.log(`[anchors] seed ${seed} failed (rerun with ANCHOR_SEED=${seed}); edits:\n${model.log.join('\n')}`);
      throw error;
    } finally {
      tearDown(clients);
    }
  });
});

/**
 * Regression tests for two bugs the property above found in resolveAnchor. The property covers
 * the first on every seed (C in the last round) and the second on seeds 3, 4 and 7 (D resolving
 * at the very start of the document); these pin each one down in a small document.
 */
describe('anchor regressions', () => {
  /** Resolved range and text of `anchor` in `doc`. */
  const resolved = (doc: Y.Doc, anchor: Anchor): Pick<Resolved, 'range' | 'text'> => {
    const { range, text } = resolveAll(doc, [anchor])[0];
    return { range, text };
  };
  /** The Y.XmlText of paragraph `index`. */
  const textOf = (doc: Y.Doc, index: number) => (doc.getXmlFragment('default').get(index) as Y.XmlElement).get(0) as Y.XmlText;

  async function threeParagraphs(seed: number, lines: string[]) {
    const { docId, clients } = await setUp(seed, 3);
    const writer = clients[0].doc;
    writer.transact(() => {
      for (const line of lines) {
        const paragraph = new Y.XmlElement('paragraph');
        const xmlText = new Y.XmlText();
        paragraph.insert(0, [xmlText]);
        xmlText.insert(0, line);
        writer.getXmlFragment('default').push([paragraph]);
      }
    });
    await waitConverged(clients, 'the paragraphs to reach every client');
    return { docId, clients };
  }

  /** The anchor over `quote` (which may span paragraphs, joined by \n) in client 0's copy. */
  function anchorOver(doc: Y.Doc, quote: string): Anchor {
    const v = view(doc);
    for (let from = 0; from < v.pmDoc.content.size; from++) {
      for (let to = from + 1; to <= v.pmDoc.content.size; to++) {
        if (v.pmDoc.textBetween(from, to, '\n') === quote && v.pmDoc.resolve(from).parent.isTextblock && v.pmDoc.resolve(to).parent.isTextblock) {
          return impl.encode(v.fragment, v.mapping, from, to);
        }
      }
    }
    throw new Error(`${quote} not in the document`);
  }

  it('an anchor over two paragraphs whose text two people delete at once reads as removed (not "\\n")', async () => {
    const { docId, clients } = await threeParagraphs(9001, ['Intro.', 'Members should ends here', 'and the third begins here.']);
    try {
      const anchor = anchorOver(clients[0].doc, 'ends here\nand the third');
      // Concurrently: one deletes the part in the first paragraph, the other the part in the second.
      textOf(clients[1].doc, 1).delete(15, 9);
      textOf(clients[2].doc, 2).delete(0, 13);
      await waitConverged(clients, 'the deletions to converge');
      expect(clients[0].text()).toBe('Intro.\nMembers should \n begins here.');
      const stored = await storedDoc(server, docId, clients[0].doc);
      for (const doc of [...clients.map((c) => c.doc), stored]) expect(resolved(doc, anchor)).toEqual({ range: null, text: null });
    } finally {
      tearDown(clients);
    }
  });

  it('an anchor near the start of the document survives deletion of the text before it (does not resolve to null)', async () => {
    const { docId, clients } = await threeParagraphs(9002, ['Draft: The IGF should act.', 'Second paragraph.']);
    try {
      const anchor = anchorOver(clients[0].doc, 'The IGF');
      textOf(clients[1].doc, 0).delete(0, 7);
      await waitConverged(clients, 'the deletion to converge');
      expect(clients[0].text()).toBe('The IGF should act.\nSecond paragraph.');
      const stored = await storedDoc(server, docId, clients[0].doc);
      for (const doc of [...clients.map((c) => c.doc), stored]) expect(resolved(doc, anchor).text).toBe('The IGF');
    } finally {
      tearDown(clients);
    }
  });
});
