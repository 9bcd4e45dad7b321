/** What the orchestrator asks a load process to do, and what it gets back (over the IPC channel). */
import type { Distribution } from '../stats';
import type { DocTarget } from './framing';

export interface TypingJob {
  kind: 'typing';
  /** Per document, its target on each server process (see targetOfClient). */
  docs: DocTarget[][];
  /** Clients per document: one full observer, `typistsPerDoc` typists, the rest idle light clients. */
  editorsPerDoc: number;
  typistsPerDoc: number;
  editsPerSecond: number;
  /** Typists publish their cursor (an awareness update) with every keystroke, as editors do. */
  cursorUpdates: boolean;
  /**
   * This many typists, spread over all of them, follow every edit with a sync step 1 and time the
   * server's step 2 (see DurabilityProbe in typing.ts).
   */
  durabilityProbes: number;
  warmupMs: number;
  measureMs: number;
  /** After typing stops, deliveries still outstanding once none arrived for this long count as missing. */
  drainTimeoutMs: number;
  /** Clients connecting at the same time while the room fills up. */
  connectConcurrency: number;
  /**
   * The orchestrator decides when the measurement ends: it holds its ack of 'measure-start' while
   * it runs its experiment (typing goes on meanwhile) and its reply lists the windows to report
   * latency for (`TypingResult.windows`). `measureMs` is then the longest it may hold it.
   */
  orchestratedWindows?: boolean;
}

export interface ReplayJob {
  kind: 'replay';
  /** The document's target on each server process: the observer uses the first, the writer the next. */
  targets: DocTarget[];
  tracePath: string;
  cacheDir: string;
  /** At most this many transactions sent ahead of what the observer has received. */
  windowTxns: number;
  /** Fail when the observer makes no progress for this long. */
  stallTimeoutMs: number;
  /**
   * Fractions of the trace (0 < f ≤ 1) to stop at: once that many transactions were sent and the
   * observer has received them all (so the server holds exactly that state), the load process
   * reports phase 'replay-pause' and waits for the ack (e.g. while the orchestrator names a
   * version). Pauses are not counted in `totalMs`.
   */
  pauseAtFractions?: number[];
}

/** Reconnects to a replayed document (e.g. after a server restart) and checks its content. */
export interface VerifyTraceJob {
  kind: 'verify-trace';
  target: DocTarget;
  tracePath: string;
  cacheDir: string;
}

export type LoadJob = TypingJob | ReplayJob | VerifyTraceJob;

/** Moments the orchestrator probes the server at; the load process waits for the ack. */
export type Phase = 'connected' | 'measure-start' | 'measure-end' | 'replay-pause';

/** With phase 'replay-pause': where the replay stopped, and the observer's text there. */
export interface ReplayPause {
  txns: number;
  totalTxns: number;
  fraction: number;
  text: string;
}

/** A window of the orchestrator's experiment, in process.hrtime ns (the same clock in every process). */
export interface MeasureWindow {
  label: string;
  startNs: number;
  endNs: number;
}

/** What the orchestrator may send back with an ack. */
export interface PhaseReply {
  /** For an orchestrated typing job's 'measure-start': the windows to report latency for. */
  windows?: MeasureWindow[];
}

/** Keystroke-to-peer latency of the edits made inside one orchestrated window. */
export interface WindowLatency {
  label: string;
  durationMs: number;
  /** Edits made in the window, and their deliveries (expected: edits × (editors in the doc − 1)). */
  edits: number;
  delivered: number;
  expected: number;
  latencyMs: Distribution;
}

/** How busy the load process itself was in the measurement window. */
export interface HarnessHealth {
  /** CPU time of the load process / wall time, in % of one core (user + system, all threads). */
  cpuPercent: number;
  /** The kernel's share of it (socket I/O). */
  cpuSystemPercent: number;
  eventLoopDelayP99Ms: number;
  /** How late keystrokes fired compared with their schedule (typing only), p99 in ms. */
  scheduleLagP99Ms: number;
}

export interface TypingResult {
  kind: 'typing';
  documents: number;
  editors: number;
  typists: number;
  latencyMs: Distribution;
  delivered: number;
  expected: number;
  duplicates: number;
  editsMeasured: number;
  editsTotal: number;
  awarenessReceived: number;
  /** Every observer's paragraphs equal what the typists typed. */
  converged: boolean;
  problems: string[];
  disconnects: number;
  connectMs: number;
  drainMs: number;
  harness: HarnessHealth;
  /**
   * Time until an edit is confirmed stored: from the local edit to the server's sync step 2 that
   * answers the step 1 sent right after the edit (edits of the probing typists in the window).
   */
  durableMs: Distribution;
  /** Probed edits in the window, and how many of them got their step 2 before the drain ended. */
  durableProbes: number;
  durableConfirmed: number;
  /** Orchestrated jobs: latency per window the orchestrator listed. */
  windows?: WindowLatency[];
}

export interface ReplayResult {
  kind: 'replay';
  txns: number;
  totalMs: number;
  txnsPerSecond: number;
  /** Time spent in 'replay-pause' phases (not in totalMs). */
  pausedMs: number;
  converged: boolean;
  problems: string[];
  textLength: number;
  /** Size of Y.encodeStateAsUpdate of the observer's doc: the content's size as a Yjs update. */
  encodedStateBytes: number;
  /** After the replay, a fresh client opens the document while the writer and observer are still in it. */
  open: VerifyTraceResult;
  harness: HarnessHealth;
}

export interface VerifyTraceResult {
  kind: 'verify-trace';
  converged: boolean;
  problems: string[];
  /** From opening the socket to a synced full client (the server's sync step 2 received and applied). */
  syncMs: number;
  /** From opening the socket to the arrival of the whole sync step 2 (before the client applies it). */
  stepTwoMs: number;
  textLength: number;
}

export type LoadResult = TypingResult | ReplayResult | VerifyTraceResult;

export type WorkerToParent =
  /** `atNs`: process.hrtime of the moment, the clock the server probe stamps its samples with. */
  | { event: 'phase'; phase: Phase; atNs: number; pause?: ReplayPause }
  | { event: 'result'; result: LoadResult }
  | { event: 'error'; message: string };

export type ParentToWorker = { cmd: 'run'; job: LoadJob } | { cmd: 'phase-ack'; phase: Phase; reply?: PhaseReply };

/** How a job reports a phase; resolves with the orchestrator's reply once it acked. */
export type PhaseFn = (phase: Phase, pause?: ReplayPause) => Promise<PhaseReply | undefined>;
