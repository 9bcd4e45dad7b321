/**
 * Delivery accounting for keystroke-to-peer latency.
 *
 * Every typist records, per Yjs clock, the time of its local edit (before the update is sent).
 * Every other client of the same document timestamps each incoming update frame on arrival and maps
 * the (clientID, clock) ranges it carries — read with Y.parseUpdateMeta, without integrating the
 * update — back to those send times. Typists and receivers live in the same process, so both times
 * come from the same monotonic clock.
 *
 * Only edits made inside the measurement window count, and each (receiver, edit) pair at most once,
 * so `delivered` can be compared with `expected` = measured edits × (editors in the doc − 1).
 */
import * as Y from 'yjs';
import { SampleBuffer } from '../stats';

export interface TypistLog {
  clientId: number;
  /** Send time (performance.now()) of the edit with this Yjs clock. */
  sendTimes: Float64Array;
  /** Edits made so far (= next clock). */
  edits: number;
  /** Edits made inside the measurement window. */
  measuredEdits: number;
}

export class LatencyBook {
  readonly samples = new SampleBuffer();
  /** The send time of each sample (same index), to split the window afterwards. */
  readonly sampleSendTimes = new SampleBuffer();
  delivered = 0;
  duplicates = 0;
  windowStart = Number.POSITIVE_INFINITY;
  windowEnd = Number.POSITIVE_INFINITY;

  inWindow(time: number): boolean {
    return time >= this.windowStart && time < this.windowEnd;
  }
}

/** The typists of one document. */
export class DocumentLog {
  readonly typists = new Map<number, TypistLog>();

  constructor(
    readonly book: LatencyBook,
    /** Clients connected to this document, typists and observer included. */
    readonly editors: number,
  ) {}

  addTypist(clientId: number, capacity: number): TypistLog {
    const log: TypistLog = { clientId, sendTimes: new Float64Array(capacity), edits: 0, measuredEdits: 0 };
    this.typists.set(clientId, log);
    return log;
  }

  expectedDeliveries(): number {
    let edits = 0;
    for (const typist of this.typists.values()) edits += typist.measuredEdits;
    return edits * (this.editors - 1);
  }
}

/** What one receiving client has seen: one bit per (typist, clock). */
export class ReceiverTrack {
  private readonly seen = new Map<number, Uint8Array>();

  constructor(
    readonly log: DocumentLog,
    /** The receiver's own Yjs clientID when it is a typist: its own echoes are not deliveries. */
    readonly selfClientId: number | null,
  ) {}

  /** Accounts for one update that arrived at `arrival`. */
  record(arrival: number, update: Uint8Array): void {
    const meta = parseUpdateMetaShared(update);
    if (meta.to.size === 0) return;
    const { book } = this.log;
    // A for-of loop, not forEach: no closure per call in this hot path (see clients.ts on keepNames).
    for (const [client, to] of meta.to) {
      if (client === this.selfClientId) continue;
      const typist = this.log.typists.get(client);
      if (typist === undefined) continue; // document structure, written by the observer
      const from = meta.from.get(client) ?? 0;
      let bits = this.seen.get(client);
      if (bits === undefined) {
        bits = new Uint8Array(typist.sendTimes.length);
        this.seen.set(client, bits);
      }
      const end = Math.min(to, typist.edits);
      for (let clock = from; clock < end; clock++) {
        if (bits[clock] === 1) {
          book.duplicates++;
          continue;
        }
        bits[clock] = 1;
        const sent = typist.sendTimes[clock];
        if (book.inWindow(sent)) {
          book.samples.push(arrival - sent);
          book.sampleSendTimes.push(sent);
          book.delivered++;
        }
      }
    }
  }
}

/**
 * Y.parseUpdateMeta, remembered for the last few distinct updates: a server sends the same update
 * to every receiver of a document, and with thousands of receivers in this process (1x5000) parsing
 * it once per receiver would make the load process the bottleneck. Comparing bytes is far cheaper
 * than parsing them again; the metadata is only read.
 */
const recentMeta: Array<{ bytes: Uint8Array; meta: ReturnType<typeof Y.parseUpdateMeta> }> = [];
const RECENT_META = 8;

function parseUpdateMetaShared(update: Uint8Array): ReturnType<typeof Y.parseUpdateMeta> {
  for (const entry of recentMeta) {
    if (entry.bytes.length === update.length && Buffer.compare(entry.bytes, update) === 0) return entry.meta;
  }
  const meta = Y.parseUpdateMeta(update);
  // A copy: the incoming frame's buffer may be reused.
  recentMeta.unshift({ bytes: Uint8Array.from(update), meta });
  if (recentMeta.length > RECENT_META) recentMeta.pop();
  return meta;
}
