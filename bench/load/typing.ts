/**
 * Keystroke-to-peer latency: documents full of editors, half of them typing.
 *
 * Per document: one full observer (WebsocketProvider + Y.Doc) creates one paragraph per typist and
 * later checks convergence; each typist is a light client with a real Y.Doc that appends one
 * character per edit to the end of its own paragraph and moves its awareness cursor, like an editor
 * does on every keystroke; the remaining editors are idle light clients with an awareness state.
 * Every client but the sender timestamps the arrival of every edit (see latency.ts).
 *
 * Typists stop integrating remote updates once they have their paragraph: their edits only ever
 * reference their own paragraph and their own previous characters, so the updates they produce are
 * byte-for-byte what a fully synced client would send, while 100 typists integrating 500 updates/s
 * each would saturate the load process and measure the harness instead of the server.
 */
import * as Y from 'yjs';
import { CONTENT_FRAGMENT } from '../../shared/protocol/collab';
import { SampleBuffer, distribution } from '../stats';
import { HarnessMonitor } from './harness';
import { LightClient, openObserver, waitForDoc, type Observer } from './clients';
import { targetOfClient, type DocTarget } from './framing';
import type { MeasureWindow, PhaseFn, TypingJob, TypingResult, WindowLatency } from './jobs';
import { DocumentLog, LatencyBook, ReceiverTrack, type TypistLog } from './latency';
import { benchUser, randomClientId, syncStep1Message } from './protocol';

const TYPED_TEXT = 'The quick brown fox jumps over the lazy dog while the working group drafts. ';
/** Deliveries still missing this long after typing stopped count as missing (see the drain). */
const DRAIN_MAX_MS = 60_000;
/** y-protocols' Awareness renews the local state this often; servers drop it after 30 s. */
const AWARENESS_RENEW_MS = 15_000;

interface Typist {
  /** Its paragraph is the observer's fragment child `base + index`. */
  index: number;
  client: LightClient;
  doc: Y.Doc;
  text: Y.XmlText;
  log: TypistLog;
  user: { name: string; color: string };
  typed: string;
  timer?: NodeJS.Timeout;
  /** Set for the typists that time how long until their edits are stored. */
  probe?: DurabilityProbe;
}

/**
 * Time until an edit is durable, measured the same way on every server: right after the edit the
 * typist sends a sync step 1, and the server answers it with a step 2. Concord answers a step 1
 * only once everything it received before is stored (server/src/sync/room.ts, `whenStored`), so
 * that step 2 confirms the edit is stored; the in-memory peers answer at once (see the README).
 *
 * The step 1 carries the state vector of everything the typist has — its doc from before it
 * stopped integrating, its own edits, and the ranges it received since (from the updates'
 * metadata) — so the step 2 holds only what is still in flight, as a synced editor's would.
 */
class DurabilityProbe {
  /** Highest clock received per client, from the metadata of incoming updates. */
  private readonly received = new Map<number, number>();
  /** Edit times of the step 1s not answered yet, oldest first (NaN: edit outside the window). */
  private readonly waiting: number[] = [];
  readonly samples = new SampleBuffer();
  /** Probed edits inside the window. */
  probes = 0;

  constructor(
    private readonly doc: Y.Doc,
    private readonly book: LatencyBook,
  ) {}

  noteUpdate(update: Uint8Array): void {
    for (const [client, to] of Y.parseUpdateMeta(update).to) {
      if (to > (this.received.get(client) ?? 0)) this.received.set(client, to);
    }
  }

  /** The step 1 to send right after the edit made at `editTime`. */
  stepOne(editTime: number): Uint8Array {
    const stateVector = Y.decodeStateVector(Y.encodeStateVector(this.doc));
    for (const [client, clock] of this.received) if (clock > (stateVector.get(client) ?? 0)) stateVector.set(client, clock);
    const inWindow = this.book.inWindow(editTime);
    if (inWindow) this.probes++;
    this.waiting.push(inWindow ? editTime : Number.NaN);
    return syncStep1Message(Y.encodeStateVector(stateVector));
  }

  /** A step 2 arrived: a server answers the step 1s of one socket in the order they came. */
  answered(arrival: number): void {
    const editTime = this.waiting.shift();
    if (editTime !== undefined && !Number.isNaN(editTime)) this.samples.push(arrival - editTime);
  }
}

interface Room {
  /** The document's target on each server process. */
  targets: DocTarget[];
  log: DocumentLog;
  observer: Observer;
  /** Index of the first typist paragraph in the observer's fragment. */
  base: number;
  typists: Typist[];
  idle: LightClient[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `task` over `items`, at most `concurrency` at a time, in order of start. */
export async function inBatches<T>(items: T[], concurrency: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index], index);
    }
  });
  await Promise.all(lanes);
}

/**
 * Which typists probe durability, as `document × typistsPerDoc + typist`: spread evenly over the
 * server's processes (probe j on process j mod N), and over the typists connected to each.
 */
function probingTypists(job: TypingJob): Set<number> {
  const processes = job.docs[0]?.length ?? 1;
  const byProcess: number[][] = Array.from({ length: processes }, () => []);
  for (let d = 0; d < job.docs.length; d++) {
    // Typist i is the document's client 1 + i (see targetOfClient).
    for (let i = 0; i < job.typistsPerDoc; i++) byProcess[(1 + i) % processes].push(d * job.typistsPerDoc + i);
  }
  const perProcess = Math.ceil(job.durabilityProbes / processes);
  const probing = new Set<number>();
  for (let j = 0; j < job.durabilityProbes; j++) {
    const typists = byProcess[j % processes];
    if (typists.length > 0) probing.add(typists[Math.floor((Math.floor(j / processes) * typists.length) / perProcess)]);
  }
  return probing;
}

function newParagraph(): Y.XmlElement {
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText()]);
  return paragraph;
}

export async function runTyping(job: TypingJob, phase: PhaseFn): Promise<TypingResult> {
  const book = new LatencyBook();
  const problems: string[] = [];
  const rooms: Room[] = new Array(job.docs.length);
  const idlePerDoc = job.editorsPerDoc - 1 - job.typistsPerDoc;
  if (idlePerDoc < 0) throw new Error('editorsPerDoc must leave room for the observer and the typists');
  const interval = 1000 / job.editsPerSecond;
  const capacity = Math.ceil((job.warmupMs + job.measureMs) / interval) + 16;
  const monitor = new HarnessMonitor();
  const connectStart = performance.now();

  // 1. One observer per document writes the structure: one paragraph per typist.
  await inBatches(job.docs, job.connectConcurrency, async (targets, d) => {
    const log = new DocumentLog(book, job.editorsPerDoc);
    const track = new ReceiverTrack(log, null);
    // Client k of a document connects to process k mod N: the observer is client 0.
    const observer = await openObserver(targetOfClient(targets, 0), { user: benchUser(0), onUpdate: (t, u) => track.record(t, u) });
    const fragment = observer.doc.getXmlFragment(CONTENT_FRAGMENT);
    let base = 0;
    observer.doc.transact(() => {
      base = fragment.length;
      fragment.insert(base, Array.from({ length: job.typistsPerDoc }, newParagraph));
    });
    rooms[d] = { targets, log, observer, base, typists: [], idle: [] };
  });

  // 2. Typists and idle editors join; the room fills up `connectConcurrency` clients at a time.
  const probing = probingTypists(job);
  const joins: Array<() => Promise<void>> = [];
  for (const [d, room] of rooms.entries()) {
    for (let i = 0; i < job.typistsPerDoc; i++) {
      joins.push(async () => {
        const doc = new Y.Doc();
        const log = room.log.addTypist(doc.clientID, capacity);
        const track = new ReceiverTrack(room.log, doc.clientID);
        const probe = probing.has(d * job.typistsPerDoc + i) ? new DurabilityProbe(doc, book) : undefined;
        const user = benchUser(1 + i);
        const client = new LightClient({
          target: targetOfClient(room.targets, 1 + i),
          awarenessId: doc.clientID,
          awarenessState: { user, cursor: null },
          doc,
          onUpdate: (t, u) => {
            track.record(t, u);
            probe?.noteUpdate(u);
          },
          onLaterSyncStep2: (arrival) => probe?.answered(arrival),
        });
        await client.connect();
        const fragment = doc.getXmlFragment(CONTENT_FRAGMENT);
        await waitForDoc(doc, () => fragment.length > room.base + i, 15_000, `paragraph ${i} at ${room.targets[0].room}`);
        client.applyRemote = false;
        const text = (fragment.get(room.base + i) as Y.XmlElement).get(0) as Y.XmlText;
        room.typists.push({ index: i, client, doc, text, log, user, typed: '', probe });
      });
    }
    for (let i = 0; i < idlePerDoc; i++) {
      joins.push(async () => {
        const track = new ReceiverTrack(room.log, null);
        const client = new LightClient({
          target: targetOfClient(room.targets, 1 + job.typistsPerDoc + i),
          awarenessId: randomClientId(),
          awarenessState: { user: benchUser(1 + job.typistsPerDoc + i), cursor: null },
          onUpdate: (t, u) => track.record(t, u),
        });
        await client.connect();
        room.idle.push(client);
      });
    }
  }
  await inBatches(joins, job.connectConcurrency, (join) => join());
  const connectMs = performance.now() - connectStart;
  const typists = rooms.flatMap((room) => room.typists);
  const lightClients = rooms.flatMap((room) => [...room.typists.map((t) => t.client), ...room.idle]);
  const renewTimer = setInterval(() => lightClients.forEach((c) => c.renewAwareness()), AWARENESS_RENEW_MS);

  try {
    await phase('connected');

    // 3. Typing: every typist at `editsPerSecond`, phases spread evenly so the load is smooth.
    const start = performance.now() + 50;
    book.windowStart = start + job.warmupMs;
    // Orchestrated: typing goes on until the orchestrator acks 'measure-start' (at most measureMs).
    book.windowEnd = job.orchestratedWindows ? Number.POSITIVE_INFINITY : book.windowStart + job.measureMs;
    const type = (typist: Typist, now: number): void => {
      const { log } = typist;
      const clock = log.edits;
      if (clock >= capacity) {
        // Only an orchestrator that holds the window longer than measureMs gets here.
        if (problems.length < 20) problems.push(`typist ${typist.index}: more edits than the ${capacity} planned (window held too long)`);
        return;
      }
      log.sendTimes[clock] = now;
      log.edits++;
      if (book.inWindow(now)) log.measuredEdits++;
      const char = TYPED_TEXT[clock % TYPED_TEXT.length];
      typist.typed += char;
      typist.text.insert(typist.text.length, char); // the doc's update handler sends it
      if (typist.probe) typist.client.send(typist.probe.stepOne(now));
      if (!job.cursorUpdates) return;
      const cursor = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(typist.text, typist.text.length));
      typist.client.setAwareness({ user: typist.user, cursor: { anchor: cursor, head: cursor } });
    };
    typists.forEach((typist, k) => {
      let scheduled = start + ((k * 0.6180339887498949) % 1) * interval;
      const tick = (): void => {
        const now = performance.now();
        if (book.inWindow(now)) monitor.scheduleLag.push(now - scheduled);
        type(typist, now);
        scheduled += interval;
        if (scheduled < book.windowEnd) typist.timer = setTimeout(tick, Math.max(0, scheduled - performance.now()));
      };
      typist.timer = setTimeout(tick, Math.max(0, scheduled - performance.now()));
    });

    await sleep(book.windowStart - performance.now());
    monitor.start();
    const reply = await phase('measure-start');
    if (job.orchestratedWindows) book.windowEnd = performance.now();
    else await sleep(book.windowEnd - performance.now());
    const harness = monitor.stop();
    await phase('measure-end');

    // 4. Drain: wait for the deliveries still in flight.
    for (const typist of typists) clearTimeout(typist.timer);
    const expected = rooms.reduce((sum, room) => sum + room.log.expectedDeliveries(), 0);
    // An overloaded server delivers late, not never: keep waiting while deliveries still arrive, and
    // count as missing only what has not arrived after `drainTimeoutMs` without any progress, or
    // DRAIN_MAX_MS after typing stopped (a saturated server at 1x1000 would otherwise keep the run
    // going for many minutes, delivering a few late keystrokes a second; what arrived is measured).
    const drainStart = performance.now();
    let lastProgress = drainStart;
    let lastDelivered = book.delivered;
    while (book.delivered < expected && performance.now() - lastProgress < job.drainTimeoutMs && performance.now() - drainStart < DRAIN_MAX_MS) {
      await sleep(20);
      if (book.delivered !== lastDelivered) {
        lastDelivered = book.delivered;
        lastProgress = performance.now();
      }
    }
    const drainMs = performance.now() - drainStart;

    // 5. Convergence: each observer (a real client) holds exactly what every typist typed.
    let converged = true;
    for (const room of rooms) {
      const fragment = room.observer.doc.getXmlFragment(CONTENT_FRAGMENT);
      const paragraphText = (i: number): string | null => {
        const paragraph = fragment.get(room.base + i);
        return paragraph instanceof Y.XmlElement ? (paragraph.get(0) as Y.XmlText).toString() : null;
      };
      const matches = (): boolean => room.typists.every((t) => paragraphText(t.index) === t.typed);
      try {
        await waitForDoc(room.observer.doc, matches, 5_000, 'observer convergence');
      } catch {
        converged = false;
        const wrong = room.typists.filter((t) => paragraphText(t.index) !== t.typed).length;
        problems.push(`${room.targets[0].room}: observer differs from ${wrong}/${room.typists.length} typists' paragraphs`);
      }
    }

    let disconnects = 0;
    for (const client of lightClients) {
      if (client.unexpectedClose) {
        disconnects++;
        if (problems.length < 20) problems.push(client.unexpectedClose);
      }
    }
    for (const room of rooms) disconnects += room.observer.disconnects;
    if (book.delivered < expected) {
      const why = drainMs >= DRAIN_MAX_MS ? `${DRAIN_MAX_MS / 1000} s after typing stopped` : `nothing arrived for ${job.drainTimeoutMs} ms`;
      problems.push(`${expected - book.delivered} of ${expected} deliveries missing (${why})`);
    }
    const probes = typists.flatMap((t) => (t.probe ? [t.probe] : []));
    const durable = new SampleBuffer();
    for (const probe of probes) for (const sample of probe.samples.values()) durable.push(sample);
    const durableProbes = probes.reduce((sum, p) => sum + p.probes, 0);
    if (durable.length < durableProbes) problems.push(`${durableProbes - durable.length} of ${durableProbes} probed edits not confirmed by a sync step 2`);

    const windows = reply?.windows?.map((window) => windowLatency(window, book, typists, job.editorsPerDoc));
    return {
      kind: 'typing',
      ...(windows && { windows }),
      documents: rooms.length,
      editors: rooms.length * job.editorsPerDoc,
      typists: typists.length,
      latencyMs: distribution(book.samples.values()),
      delivered: book.delivered,
      expected,
      durableMs: distribution(durable.values()),
      durableProbes,
      durableConfirmed: durable.length,
      duplicates: book.duplicates,
      editsMeasured: typists.reduce((sum, t) => sum + t.log.measuredEdits, 0),
      editsTotal: typists.reduce((sum, t) => sum + t.log.edits, 0),
      awarenessReceived: lightClients.reduce((sum, c) => sum + c.awarenessReceived, 0),
      converged,
      problems,
      disconnects,
      connectMs,
      drainMs,
      harness,
    };
  } finally {
    clearInterval(renewTimer);
    for (const typist of typists) clearTimeout(typist.timer);
    for (const client of lightClients) client.close();
    for (const room of rooms) room.observer.destroy();
  }
}

/**
 * Latency of the edits made inside one of the orchestrator's windows (given in process.hrtime ns;
 * performance.now() runs on the same monotonic clock, from this process's time origin).
 */
function windowLatency(window: MeasureWindow, book: LatencyBook, typists: Typist[], editorsPerDoc: number): WindowLatency {
  const originNs = Number(process.hrtime.bigint()) - performance.now() * 1e6;
  const start = (window.startNs - originNs) / 1e6;
  const end = (window.endNs - originNs) / 1e6;
  const sent = book.sampleSendTimes.values();
  const all = book.samples.values();
  const picked = new SampleBuffer();
  for (let i = 0; i < all.length; i++) if (sent[i] >= start && sent[i] < end) picked.push(all[i]);
  let edits = 0;
  for (const typist of typists) {
    const times = typist.log.sendTimes;
    for (let clock = 0; clock < typist.log.edits && clock < times.length; clock++) if (times[clock] >= start && times[clock] < end) edits++;
  }
  return {
    label: window.label,
    durationMs: end - start,
    edits,
    delivered: picked.length,
    expected: edits * (editorsPerDoc - 1),
    latencyMs: distribution(picked.values()),
  };
}
