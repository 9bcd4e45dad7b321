/**
 * The `outage` scenario, Concord on PostgreSQL only: the `1x200` load (one document, 200 editors
 * connected, 100 typing at --rate edits/s with a cursor update per keystroke, 4 durability probes)
 * while the database hangs for --outage-seconds (default 30): issue 14, "pending (unstored) edits
 * are bounded per room and per process … memory stays flat through a 30 s outage under the 1x200
 * load".
 *
 * The server runs on a PostgreSQL of the run's own (tests/helpers/private-postgres.ts: the
 * machine's binaries, a fresh cluster on a free port, fsync off), so it can be frozen without
 * touching anyone else's: SIGSTOP to the postmaster and every backend, as a hung host or a network
 * partition would (connections stay open, nothing answers). No Redis (one process).
 *
 * While the typists type: `before` 10 s, `outage` (frozen), `after` (resumed) until the server
 * holds no unstored edit, then 10 s more. Every second: the server's RSS and process.memoryUsage()
 * (bench/probe.mjs) and its unstored bytes (/healthz). Afterwards the typing job checks that every
 * edit reached every client and that the observer (a stock WebsocketProvider) converged to exactly
 * what was typed; the server broadcasts only what the store has, so that means everything typed
 * during the outage was stored once the database was back.
 */
import { join } from 'node:path';
import type { TypingResult, WindowLatency } from './load/jobs';
import { count, fmt, log, runLoad, sleep } from './orchestrator';
import type { Options, OutageScenario, RunRecord } from './run';
import { ServerEnvironment, ServerUnderTest, logTail, type ServerName } from './servers';
import { startPrivatePostgres, type PrivatePostgres } from '../tests/helpers/private-postgres';

export interface OutageSample {
  /** Seconds since the measurement started. */
  t: number;
  phase: 'before' | 'outage' | 'after';
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
  arrayBuffersBytes: number;
  unstoredBytes: number;
}

export interface OutageRecord {
  label: string;
  outageSeconds: number;
  samples: OutageSample[];
  /** From the database's resumption until the server held no unstored edit. */
  recoverySeconds: number;
  typing?: TypingResult;
  windows: WindowLatency[];
  progressLine: string;
}

interface Health {
  unstoredBytes?: number;
}

export async function runOutage(scenario: OutageScenario, serverName: ServerName, run: number, options: Options, logDir: string): Promise<RunRecord> {
  const label = process.env.BENCH_LABEL ?? 'concord-pg';
  const logFile = join(logDir, `${scenario.name}-${serverName}-run${run}.log`);
  const record: RunRecord = { scenario: scenario.name, server: serverName, run, ok: false, logFile };
  const outage: OutageRecord = { label, outageSeconds: options.outageSeconds, samples: [], recoverySeconds: Number.NaN, windows: [], progressLine: '' };
  record.outage = outage;
  let postgres: PrivatePostgres | null = null;
  let environment: ServerEnvironment | null = null;
  let server: ServerUnderTest | null = null;
  try {
    postgres = await startPrivatePostgres();
    environment = ServerEnvironment.external({ DATABASE_URL: postgres.url });
    // Concord on PostgreSQL, one process: 'concord-pg' without the Redis of its usual environment.
    server = await ServerUnderTest.start('concord-pg', { logFile, environment });
    const [typed] = await server.createDocuments(1, 'outage');
    const processInfo = server.processes[0];
    const httpUrl = server.httpUrl;
    let phase: OutageSample['phase'] = 'before';
    let startedAt = 0;
    const sample = async (): Promise<void> => {
      const t = (performance.now() - startedAt) / 1000;
      const [probe, health] = await Promise.all([
        processInfo.probe('memory', 30_000),
        fetch(`${httpUrl}/healthz`, { signal: AbortSignal.timeout(30_000) }).then((r) => r.json() as Promise<Health>),
      ]);
      outage.samples.push({
        t,
        phase,
        rssBytes: probe.rssBytes,
        heapUsedBytes: probe.memory!.heapUsed,
        externalBytes: probe.memory!.external,
        arrayBuffersBytes: probe.memory!.arrayBuffers,
        unstoredBytes: health.unstoredBytes ?? Number.NaN,
      });
    };
    const windows: { label: string; startNs: number; endNs: number }[] = [];
    const nowNs = (): number => Number(process.hrtime.bigint());
    const experiment = async (): Promise<void> => {
      startedAt = performance.now();
      let sampling: Promise<void> = Promise.resolve();
      const sampler = setInterval(() => {
        sampling = sampling.then(sample).catch((error: Error) => log(`outage sample failed: ${error.message}`));
      }, 1000);
      try {
        let start = nowNs();
        await sleep(10_000);
        windows.push({ label: 'before', startNs: start, endNs: (start = nowNs()) });
        log(`outage: PostgreSQL paused (SIGSTOP) for ${options.outageSeconds} s`);
        phase = 'outage';
        postgres!.pause();
        await sleep(options.outageSeconds * 1000);
        postgres!.resume();
        phase = 'after';
        const resumedAt = performance.now();
        windows.push({ label: 'outage', startNs: start, endNs: (start = nowNs()) });
        log('outage: PostgreSQL resumed (SIGCONT)');
        // Until the server has stored everything it held, then 10 s more.
        for (;;) {
          await sleep(250);
          const health = (await fetch(`${httpUrl}/healthz`, { signal: AbortSignal.timeout(30_000) }).then((r) => r.json())) as Health;
          if (health.unstoredBytes === 0) break;
          if (performance.now() - resumedAt > 120_000) throw new Error('the server still held unstored edits 120 s after the database came back');
        }
        outage.recoverySeconds = (performance.now() - resumedAt) / 1000;
        await sleep(10_000);
        windows.push({ label: 'after', startNs: start, endNs: nowNs() });
      } finally {
        clearInterval(sampler);
        await sampling;
        postgres!.resume();
      }
    };
    let experimentError: Error | null = null;
    const maxMs = 10_000 + options.outageSeconds * 1000 + 130_000;
    outage.typing = await runLoad<TypingResult>(
      {
        kind: 'typing',
        docs: [typed],
        editorsPerDoc: scenario.editors,
        typistsPerDoc: scenario.typists,
        editsPerSecond: options.editsPerSecond,
        cursorUpdates: options.cursorUpdates,
        durabilityProbes: 4,
        warmupMs: options.warmupMs,
        measureMs: maxMs,
        // The backlog of the outage is delivered in a burst; late is not lost.
        drainTimeoutMs: Math.max(options.drainTimeoutMs, 15_000),
        connectConcurrency: 25,
        orchestratedWindows: true,
      },
      async (phaseName) => {
        if (phaseName !== 'measure-start') return;
        try {
          await experiment();
        } catch (error) {
          experimentError = error as Error;
        }
        return { windows };
      },
      options.warmupMs + maxMs + 300_000,
    );
    outage.windows = outage.typing.windows ?? [];
    const t = outage.typing;
    const mib = (bytes: number): string => fmt(bytes / 2 ** 20, 0);
    const of = (phaseName: OutageSample['phase']): OutageSample[] => outage.samples.filter((s) => s.phase === phaseName);
    const maxOf = (samples: OutageSample[], f: (s: OutageSample) => number): number => Math.max(...samples.map(f));
    outage.progressLine =
      `RSS before ${mib(maxOf(of('before'), (s) => s.rssBytes))}, outage ${mib(maxOf(of('outage'), (s) => s.rssBytes))}, after ${mib(maxOf(of('after'), (s) => s.rssBytes))} MiB (max); ` +
      `unstored max ${fmt(maxOf(outage.samples, (s) => s.unstoredBytes) / 1024, 0)} KiB; stored again ${fmt(outage.recoverySeconds, 1)} s after; ` +
      `${count(t.delivered)}/${count(t.expected)} delivered, ${t.converged ? 'converged' : 'NOT converged'}, probes ${t.durableConfirmed}/${t.durableProbes}, disconnects ${t.disconnects}`;
    const problems = [
      ...(experimentError ? [(experimentError as Error).message] : []),
      ...t.problems.slice(0, 3),
      ...(t.delivered !== t.expected ? [`${count(t.expected - t.delivered)} deliveries missing`] : []),
      ...(t.disconnects > 0 ? [`${t.disconnects} disconnects`] : []),
      ...(t.durableConfirmed !== t.durableProbes ? [`${t.durableProbes - t.durableConfirmed} durability probes unanswered`] : []),
    ];
    record.ok = t.converged && problems.length === 0;
    if (!record.ok) record.error = problems.join('; ') || 'not converged';
  } catch (error) {
    record.ok = false;
    record.error = (error as Error).message;
    const tail = logTail(logFile, 8);
    if (tail) record.error += `\n--- ${logFile} (tail) ---\n${tail}`;
  } finally {
    postgres?.resume();
    if (server) await server.stop().catch(() => undefined);
    if (environment) await environment.remove().catch(() => undefined);
    try {
      postgres?.destroy();
    } catch (error) {
      log(`stopping the private PostgreSQL failed: ${(error as Error).message}`);
    }
  }
  return record;
}

/** The memory curve of each run every 5 s, and the keystroke latency of each window. */
export function renderOutage(records: RunRecord[]): string {
  const mib = (bytes: number): string => fmt(bytes / 2 ** 20, 1);
  const lines: string[] = ['outage — PostgreSQL frozen (SIGSTOP) under the 1x200 load; MiB; every sample is in bench/results/latest.json (records[].outage.samples)'];
  const header = ['run', 't s', 'phase', 'RSS', 'heap used', 'external', 'arrayBuf', 'unstored KiB'];
  const rows: string[][] = [];
  for (const record of records) {
    const outage = record.outage;
    if (!outage) continue;
    let last = -Infinity;
    outage.samples.forEach((s, i) => {
      const boundary = i === 0 || i === outage.samples.length - 1 || outage.samples[i - 1].phase !== s.phase;
      if (!boundary && s.t - last < 5) return;
      last = s.t;
      rows.push([`${outage.label} #${record.run}`, fmt(s.t, 0), s.phase, mib(s.rssBytes), mib(s.heapUsedBytes), mib(s.externalBytes), mib(s.arrayBuffersBytes), fmt(s.unstoredBytes / 1024, 0)]);
    });
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 1 || i === 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  lines.push(line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line));
  for (const record of records) {
    const outage = record.outage;
    if (!outage) continue;
    const latency = outage.windows.map((w) => `${w.label}: p50 ${fmt(w.latencyMs.p50)} / p99 ${fmt(w.latencyMs.p99)} / max ${fmt(w.latencyMs.max, 0)} ms (${count(w.delivered)}/${count(w.expected)})`).join('; ');
    lines.push(`${outage.label} #${record.run}: ${outage.progressLine}${record.ok ? '' : ` — FAILED: ${record.error}`}`);
    if (latency) lines.push(`  keystroke-to-peer by window: ${latency}`);
  }
  return lines.join('\n');
}
