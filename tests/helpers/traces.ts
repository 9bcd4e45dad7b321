/**
 * Real concurrent editing traces (josephg/editing-traces, CC BY 4.0; copies in /work/shared/traces)
 * turned into one Yjs update per transaction, with the causal semantics of the trace.
 *
 * A concurrent trace is a DAG of transactions: each txn names the txns it happened after
 * (`parents`) and its patch positions are relative to the version formed by the full causal
 * history of those parents. To reproduce that in Yjs, every agent gets a "shadow" Y.Doc; before
 * agent a's shadow applies txn i it integrates the recorded update of every txn in the causal
 * closure of i's parents it has not seen yet, so its content is exactly the parents' version.
 * Applying i's patches there yields an update with the right Yjs origins.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as Y from 'yjs';
import { CONTENT_FRAGMENT } from '../../shared/protocol/index';

export const TRACES_DIR = '/work/shared/traces';

export interface TraceTxn {
  parents: number[];
  agent: number;
  patches: [pos: number, delCount: number, insert: string][];
}

export interface ConcurrentTrace {
  kind: 'concurrent';
  endContent: string;
  numAgents: number;
  txns: TraceTxn[];
}

export function loadConcurrentTrace(name: string): ConcurrentTrace {
  const trace = JSON.parse(gunzipSync(readFileSync(`${TRACES_DIR}/${name}.json.gz`)).toString('utf8')) as ConcurrentTrace;
  if (trace.kind !== 'concurrent') throw new Error(`${name} is not a concurrent trace`);
  return trace;
}

/** Client id of the doc that creates the shared base, and of each agent's shadow doc. */
export const BASE_CLIENT_ID = 1;
export const agentClientId = (agent: number): number => 100 + agent;

/**
 * The shared starting point, as an editor would create it: the editor fragment holding one
 * paragraph element holding one (empty) text node.
 */
export function baseUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = BASE_CLIENT_ID;
  doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText()]);
    doc.getXmlFragment(CONTENT_FRAGMENT).insert(0, [paragraph]);
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** The text node of the single paragraph (undefined while the base has not arrived). */
export function traceTextNode(doc: Y.Doc): Y.XmlText | undefined {
  const paragraph = doc.getXmlFragment(CONTENT_FRAGMENT).get(0);
  if (!(paragraph instanceof Y.XmlElement)) return undefined;
  const text = paragraph.get(0);
  return text instanceof Y.XmlText ? text : undefined;
}

/**
 * Exact text of the trace's paragraph. (Not fragmentText(): that strips anything looking like a
 * tag, and friendsforever's text contains '<'.) Paragraph count is part of the answer so an
 * extra or missing paragraph can't go unnoticed.
 */
export function traceText(doc: Y.Doc): string {
  const paragraphs = doc.getXmlFragment(CONTENT_FRAGMENT).length;
  const node = traceTextNode(doc);
  const text = node ? node.toDelta().map((op: { insert: unknown }) => (typeof op.insert === 'string' ? op.insert : '\uFFFC')).join('') : '';
  return paragraphs === 1 ? text : `<${paragraphs} paragraphs>${text}`;
}

/** Converts a trace position (unicode code points) to a Yjs index (UTF-16 code units). */
function utf16Index(text: string, codePoints: number): number {
  let index = 0;
  for (let i = 0; i < codePoints; i++) {
    const code = text.codePointAt(index);
    if (code === undefined) throw new Error(`position ${codePoints} is past the end of the text`);
    index += code > 0xffff ? 2 : 1;
  }
  return index;
}

function codePointLength(text: string, utf16Start: number, codePoints: number): number {
  return utf16Index(text.slice(utf16Start), codePoints);
}

export interface TxnUpdates {
  base: Uint8Array;
  /** updates[i] is the Yjs update txn i produced (null only for a txn without patches). */
  updates: (Uint8Array | null)[];
  /** The text each agent's shadow held after its last txn; the final agent's equals the merge. */
  shadowTexts: string[];
  /** The shadow of the agent that made the last txn, which contains every txn. */
  finalShadowText: string;
}

const LOCAL = Symbol('trace-txn');

/** Generates one Yjs update per txn, with each txn applied on exactly its parents' version. */
export function buildTxnUpdates(trace: ConcurrentTrace): TxnUpdates {
  const base = baseUpdate();
  const { txns } = trace;
  const updates: (Uint8Array | null)[] = new Array(txns.length).fill(null);
  const shadows: Y.Doc[] = [];
  const applied: Uint8Array[] = [];
  for (let a = 0; a < trace.numAgents; a++) {
    const doc = new Y.Doc();
    doc.clientID = agentClientId(a);
    Y.applyUpdate(doc, base);
    shadows.push(doc);
    applied.push(new Uint8Array(txns.length));
  }

  let captured: Uint8Array | null = null;
  for (const doc of shadows) {
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === LOCAL) captured = update;
    });
  }

  const stack: number[] = [];
  const missing: number[] = [];
  txns.forEach((txn, i) => {
    const doc = shadows[txn.agent];
    const seen = applied[txn.agent];
    for (const parent of txn.parents) {
      if (parent >= i) throw new Error(`txn ${i} has parent ${parent}: not topologically ordered`);
    }
    // Everything in the causal closure of the parents that this shadow lacks. A shadow's applied
    // set is always causally closed, so the walk can stop at anything already applied.
    missing.length = 0;
    stack.push(...txn.parents);
    while (stack.length > 0) {
      const j = stack.pop()!;
      if (seen[j]) continue;
      seen[j] = 1;
      missing.push(j);
      stack.push(...txns[j].parents);
    }
    missing.sort((x, y) => x - y);
    doc.transact(() => {
      for (const j of missing) {
        const update = updates[j];
        if (update) Y.applyUpdate(doc, update);
      }
    });

    const text = traceTextNode(doc)!;
    captured = null;
    doc.transact(() => {
      for (const [pos, delCount, insert] of txn.patches) {
        const current = text.toString();
        const at = utf16Index(current, pos);
        if (delCount > 0) text.delete(at, codePointLength(current, at, delCount));
        if (insert.length > 0) text.insert(at, insert);
      }
    }, LOCAL);
    updates[i] = captured;
    seen[i] = 1;
  });

  const lastAgent = txns[txns.length - 1].agent;
  const result: TxnUpdates = {
    base,
    updates,
    shadowTexts: shadows.map((doc) => traceText(doc)),
    finalShadowText: traceText(shadows[lastAgent]),
  };
  for (const doc of shadows) doc.destroy();
  return result;
}

/** Text of a fresh doc that applies the base and every txn update (order does not matter to Yjs). */
export function mergedText(txnUpdates: TxnUpdates): string {
  const doc = new Y.Doc();
  doc.transact(() => {
    Y.applyUpdate(doc, txnUpdates.base);
    for (const update of txnUpdates.updates) if (update) Y.applyUpdate(doc, update);
  });
  const text = traceText(doc);
  doc.destroy();
  return text;
}
