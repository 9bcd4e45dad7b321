/**
 * Editing traces (shared/traces, CC BY 4.0) turned into the Yjs updates a real editor would send.
 *
 * The writer of the replay applies each transaction of the trace to a Y.Doc — XmlFragment 'default'
 * > one 'paragraph' XmlElement > one XmlText, the structure Concord's editor uses — and sends the
 * update of that one Yjs transaction. Those updates only depend on the trace and on the writer's
 * fixed clientID, so they are computed once before the clock starts (and cached on disk, keyed by
 * the trace file and the yjs version): the timed replay then measures the server and the observer,
 * not the writer's own CRDT work.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { CONTENT_FRAGMENT } from '../shared/protocol/collab';

/** `{ startContent, endContent, txns: [{ time, patches: [[pos, delCount, insertStr], ...] }] }` */
export interface SequentialTrace {
  startContent: string;
  endContent: string;
  txns: Array<{ time?: string; patches: Array<[number, number, string]> }>;
}

export interface ReplayUpdates {
  /** One Yjs update per trace transaction (the first also creates the paragraph). */
  updates: Uint8Array[];
  /** The writer's Yjs clock after each update: what an observer must have seen by then. */
  clockAfter: Uint32Array;
  writerClientId: number;
  endContent: string;
}

/** The writer's Yjs clientID; fixed so that the updates can be cached (every run uses a fresh doc). */
export const WRITER_CLIENT_ID = 0x42454e43;

export function loadSequentialTrace(path: string): SequentialTrace {
  const trace = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as SequentialTrace;
  if (!Array.isArray(trace.txns) || typeof trace.endContent !== 'string') {
    throw new Error(`${path} is not a sequential editing trace`);
  }
  return trace;
}

/** The XmlText a writer with `clientId` created in `doc`, if it has arrived. */
export function findWriterText(doc: Y.Doc, clientId: number): Y.XmlText | null {
  for (const child of doc.getXmlFragment(CONTENT_FRAGMENT).toArray()) {
    // Item ids are how Yjs says who created a node; Concord may have put its own nodes around it.
    if (child instanceof Y.XmlElement && child._item?.id.client === clientId) {
      const text = child.get(0);
      return text instanceof Y.XmlText ? text : null;
    }
  }
  return null;
}

function computeReplayUpdates(trace: SequentialTrace): ReplayUpdates {
  const doc = new Y.Doc();
  doc.clientID = WRITER_CLIENT_ID;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText(trace.startContent);
  paragraph.insert(0, [text]);
  const clockAfter = new Uint32Array(trace.txns.length);
  trace.txns.forEach((txn, i) => {
    doc.transact(() => {
      if (i === 0) doc.getXmlFragment(CONTENT_FRAGMENT).insert(0, [paragraph]);
      for (const [pos, deleteCount, insert] of txn.patches) {
        if (deleteCount > 0) text.delete(pos, deleteCount);
        if (insert) text.insert(pos, insert);
      }
    });
    clockAfter[i] = Y.getState(doc.store, WRITER_CLIENT_ID);
  });
  if (text.toString() !== trace.endContent) throw new Error('trace replay does not produce endContent');
  if (updates.length !== trace.txns.length) throw new Error('expected one update per trace transaction');
  return { updates, clockAfter, writerClientId: WRITER_CLIENT_ID, endContent: trace.endContent };
}

function cacheKey(tracePath: string): string {
  const require = createRequire(import.meta.url);
  const yjsVersion = (require('yjs/package.json') as { version: string }).version;
  const stat = statSync(tracePath);
  return createHash('sha256')
    .update(`${tracePath}|${stat.size}|${stat.mtimeMs}|yjs ${yjsVersion}|${WRITER_CLIENT_ID}|${CONTENT_FRAGMENT}|v1`)
    .digest('hex')
    .slice(0, 16);
}

function encodeCache(replay: ReplayUpdates): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, replay.writerClientId);
  encoding.writeVarString(encoder, replay.endContent);
  encoding.writeVarUint(encoder, replay.updates.length);
  replay.updates.forEach((update, i) => {
    encoding.writeVarUint8Array(encoder, update);
    encoding.writeVarUint(encoder, replay.clockAfter[i]);
  });
  return encoding.toUint8Array(encoder);
}

function decodeCache(bytes: Uint8Array): ReplayUpdates {
  const decoder = decoding.createDecoder(bytes);
  const writerClientId = decoding.readVarUint(decoder);
  const endContent = decoding.readVarString(decoder);
  const count = decoding.readVarUint(decoder);
  const updates: Uint8Array[] = new Array(count);
  const clockAfter = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    updates[i] = decoding.readVarUint8Array(decoder);
    clockAfter[i] = decoding.readVarUint(decoder);
  }
  return { updates, clockAfter, writerClientId, endContent };
}

/** The writer's updates for a trace, from the cache in `cacheDir` or computed (≈2 s) and cached. */
export function replayUpdates(tracePath: string, cacheDir: string): ReplayUpdates {
  const file = join(cacheDir, `${basename(tracePath, '.json.gz')}-${cacheKey(tracePath)}.bin`);
  if (existsSync(file)) return decodeCache(new Uint8Array(readFileSync(file)));
  const replay = computeReplayUpdates(loadSequentialTrace(tracePath));
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(`${file}.${process.pid}.tmp`, encodeCache(replay));
  renameSync(`${file}.${process.pid}.tmp`, file); // never leave a half-written cache behind
  return replay;
}
