/**
 * Trace replay: one writer sends the trace's updates (one Yjs transaction per message) as fast as
 * the server takes them; a full observer (WebsocketProvider + Y.Doc) receives them. The writer stays
 * at most `windowTxns` transactions ahead of what the observer has received, so nothing queues up
 * without bound in the server or the sockets, and the clock stops when the observer's text equals the
 * trace's endContent.
 */
import * as Y from 'yjs';
import { findWriterText, replayUpdates } from '../traces';
import { LightClient, openObserver, waitForDoc } from './clients';
import { targetOfClient, type DocTarget } from './framing';
import { HarnessMonitor } from './harness';
import type { PhaseFn, ReplayJob, ReplayResult, VerifyTraceJob, VerifyTraceResult } from './jobs';
import { benchUser, randomClientId, updateMessage } from './protocol';

/** Stop writing while this much is queued in the writer's socket (the kernel buffer is full). */
const MAX_BUFFERED_BYTES = 1 << 20;

export async function runReplay(job: ReplayJob, phase: PhaseFn): Promise<ReplayResult> {
  const replay = replayUpdates(job.tracePath, job.cacheDir);
  const { updates, clockAfter, writerClientId, endContent } = replay;
  const monitor = new HarnessMonitor();
  // On a server of several processes, the writer's edits reach the observer across processes.
  const observer = await openObserver(targetOfClient(job.targets, 0), { user: benchUser(0) });
  const writer = new LightClient({
    target: targetOfClient(job.targets, 1),
    awarenessId: randomClientId(),
    awarenessState: { user: benchUser(1), cursor: null },
  });
  try {
    await writer.connect();
    await phase('connected');

    // What the observer has received of the writer's edits, as the writer's Yjs clock.
    let observed = 0;
    let lastProgress = performance.now();
    let wake: (() => void) | null = null;
    observer.doc.on('update', () => {
      const clock = Y.getState(observer.doc.store, writerClientId);
      if (clock !== observed) {
        observed = clock;
        lastProgress = performance.now();
      }
      wake?.();
    });
    const progress = (): Promise<void> =>
      new Promise((resolve) => {
        const timer = setTimeout(done, 20); // also re-checks the socket buffer
        function done(): void {
          clearTimeout(timer);
          wake = null;
          resolve();
        }
        wake = done;
      });

    // Pause points, as transaction counts (a pause at the end comes after convergence). A pause
    // is moved forward to just after a transaction that inserts: a deletion does not advance the
    // writer's clock, so only then does "the observer has the clock" mean it has everything sent.
    const pausePoint = (fraction: number): number => {
      let txns = Math.min(updates.length, Math.max(1, Math.round(fraction * updates.length)));
      while (txns > 1 && txns < updates.length && clockAfter[txns - 1] === clockAfter[txns - 2]) txns++;
      return txns;
    };
    const pauses = [...new Set((job.pauseAtFractions ?? []).map(pausePoint))].sort((a, b) => a - b);
    let pausedMs = 0;
    const pause = async (txns: number): Promise<void> => {
      const pausedAt = performance.now();
      const text = findWriterText(observer.doc, writerClientId)?.toString() ?? '';
      await phase('replay-pause', { txns, totalTxns: updates.length, fraction: txns / updates.length, text });
      pausedMs += performance.now() - pausedAt;
      lastProgress = performance.now();
    };

    monitor.start();
    await phase('measure-start');
    const start = performance.now();
    const window = job.windowTxns;
    let next = 0;
    while (next < updates.length) {
      const limit = pauses.length > 0 && pauses[0] < updates.length ? pauses[0] : updates.length;
      while (
        next < limit &&
        (next < window || clockAfter[next - window] <= observed) &&
        writer.bufferedAmount < MAX_BUFFERED_BYTES
      ) {
        writer.send(updateMessage(updates[next]));
        next++;
      }
      if (next === updates.length) break;
      // At a pause point once the observer has everything sent so far: the server holds exactly
      // the state after `next` transactions.
      if (next === limit && observed >= clockAfter[next - 1]) {
        pauses.shift();
        await pause(next);
        continue;
      }
      await progress();
      if (writer.unexpectedClose) throw new Error(`writer: ${writer.unexpectedClose}`);
      if (performance.now() - lastProgress > job.stallTimeoutMs) {
        throw new Error(`observer made no progress for ${job.stallTimeoutMs} ms at txn ${next}/${updates.length}`);
      }
    }
    const finalClock = clockAfter[clockAfter.length - 1];
    const problems: string[] = [];
    let converged = true;
    try {
      await waitForDoc(
        observer.doc,
        () => observed >= finalClock && findWriterText(observer.doc, writerClientId)?.toString() === endContent,
        job.stallTimeoutMs,
        'the observer to reach endContent',
      );
    } catch (error) {
      converged = false;
      problems.push((error as Error).message);
    }
    if (converged) for (const txns of pauses) await pause(txns); // what is left: pauses at the end
    const totalMs = performance.now() - start - pausedMs;
    const harness = monitor.stop();
    await phase('measure-end');
    // A fresh client opens the document while the writer and the observer still have it open, so
    // every server holds it in memory (Hocuspocus drops a document its last client left).
    const open = await openTrace(targetOfClient(job.targets, 2), writerClientId, endContent);
    if (!open.converged) problems.push(`open: ${open.problems.join('; ')}`);

    const text = findWriterText(observer.doc, writerClientId)?.toString() ?? '';
    if (converged && text !== endContent) {
      converged = false;
      problems.push('observer text differs from endContent');
    }
    if (observer.disconnects > 0) problems.push(`observer lost its connection ${observer.disconnects}×`);
    return {
      kind: 'replay',
      txns: updates.length,
      totalMs,
      txnsPerSecond: (updates.length / totalMs) * 1000,
      pausedMs,
      converged,
      problems,
      textLength: text.length,
      encodedStateBytes: Y.encodeStateAsUpdate(observer.doc).length,
      open,
      harness,
    };
  } finally {
    writer.close();
    observer.destroy();
  }
}

/** A fresh full client opens the replayed document (e.g. after a server restart) and must see exactly endContent. */
export async function runVerifyTrace(job: VerifyTraceJob): Promise<VerifyTraceResult> {
  const { writerClientId, endContent } = replayUpdates(job.tracePath, job.cacheDir);
  return openTrace(job.target, writerClientId, endContent);
}

/** Opens the replayed document with a fresh full client, timed, and checks its text. */
async function openTrace(target: DocTarget, writerClientId: number, endContent: string): Promise<VerifyTraceResult> {
  const start = performance.now();
  let stepTwoArrival = Number.NaN;
  const observer = await openObserver(target, {
    user: benchUser(0),
    // The document arrives as one message, the step 2, before any later update.
    onUpdate: (arrival) => {
      if (Number.isNaN(stepTwoArrival)) stepTwoArrival = arrival;
    },
  });
  const syncMs = performance.now() - start;
  try {
    const problems: string[] = [];
    let text = findWriterText(observer.doc, writerClientId)?.toString() ?? null;
    if (text !== endContent) {
      // Synced means "sync step 2 received"; give a server that sends its content later a moment.
      await waitForDoc(observer.doc, () => findWriterText(observer.doc, writerClientId)?.toString() === endContent, 5_000, 'content')
        .catch(() => undefined);
      text = findWriterText(observer.doc, writerClientId)?.toString() ?? null;
    }
    if (text === null) problems.push('the replayed paragraph is missing');
    else if (text !== endContent) problems.push(`text differs from endContent (${text.length} vs ${endContent.length} chars)`);
    return { kind: 'verify-trace', converged: problems.length === 0, problems, syncMs, stepTwoMs: stepTwoArrival - start, textLength: text?.length ?? 0 };
  } finally {
    observer.destroy();
  }
}
