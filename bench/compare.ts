/**
 * The `compare` scenario, Concord only (the peers have no versions): how long comparing two
 * versions of a long document and opening one take, and what they cost the editing of OTHER
 * documents meanwhile.
 *
 * 1. A real client replays ../shared/traces/automerge-paper.json.gz into a document (the replay
 *    job, bench/load/replay.ts); it pauses at 50 % and at 100 % of the trace, once the server holds
 *    exactly that state, and the bench names a version there (POST /api/documents/:id/versions).
 * 2. A typing load on another document (editors connected, half of them typing, bench/load/typing.ts)
 *    runs throughout three back-to-back windows the bench times itself:
 *      baseline — no request;
 *      compare  — GET /compare?from=<50 %>&to=<100 %>, one request after the other;
 *      open     — GET /versions/<100 %>, one request after the other.
 *    The first request of each kind in the server process is the cold one (it starts the server's
 *    history worker thread, or runs a code path for the first time); the rest are warm.
 * 3. For each window: the other document's keystroke-to-peer latency (edits made in the window)
 *    and the server's event-loop delay, CPU and RSS over the window (bench/probe.mjs), so a request
 *    that holds up the server's main thread shows up as a ratio to the baseline.
 *
 * The first response of each kind is checked: the comparison's unchanged + inserted text is the
 * document at 100 %, its unchanged + deleted text the document at 50 %, and the opened version's
 * text is the document at 100 %.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { nameConcordVersion, timedGet, type TimedResponse } from './concord-api';
import type { ReplayResult, TypingResult, WindowLatency } from './load/jobs';
import { count, fmt, log, machineCpuTicks, pct, runLoad, sleep } from './orchestrator';
import type { CompareScenario, Options, RunRecord } from './run';
import { REPO_ROOT, ServerEnvironment, ServerUnderTest, logTail, type ProbeSample, type ServerName } from './servers';
import { median, percentileOfSorted } from './stats';

/**
 * Requests of one kind per run (the first is the cold one) and the windows' lengths. Sized so that
 * the default bench (3 runs) spends about 2 minutes here on a quiet machine.
 */
function windowPlan(options: Options): { requests: number; baselineMs: number; minWindowMs: number; maxWindowMs: number } {
  const baselineMs = Math.min(options.measureMs, 5_000);
  return {
    requests: options.quick ? 6 : 8,
    baselineMs,
    // A request window lasts at least as long as the baseline, so its latency percentiles rest on
    // as many edits even when the requests are fast, and stops after a minute when they are slow.
    minWindowMs: baselineMs,
    maxWindowMs: 60_000,
  };
}

type RequestKind = 'compare' | 'open';
const REQUEST_KINDS: RequestKind[] = ['compare', 'open'];
const WINDOW_LABELS = ['baseline', ...REQUEST_KINDS] as const;

interface RequestSample {
  ms: number;
  status: number;
  bytes: number;
}

interface VersionNamed {
  fraction: number;
  txns: number;
  id: string;
  /** Characters of the document's text at that point. */
  textLength: number;
  /** The POST's round trip. */
  nameMs: number;
}

interface WindowRecord {
  label: string;
  startNs: number;
  endNs: number;
  /** The server over the window (bench/probe.mjs). */
  server?: ProbeSample;
  /** The whole machine's CPU over the window, % of one core. */
  machineCpuPercent?: number;
  /** The other document's latency for edits made in the window (from the load process). */
  latency?: WindowLatency;
}

export interface CompareRecord {
  replay?: ReplayResult;
  versions: VersionNamed[];
  requests: Record<RequestKind, RequestSample[]>;
  /** Checks of the first response of each kind against the trace's text. */
  checks: string[];
  typing?: TypingResult;
  windows: WindowRecord[];
  /** One line for the progress log. */
  progressLine: string;
}

const nowNs = (): number => Number(process.hrtime.bigint());

/** Text of a comparison's runs: `keep` says which changes belong to the side asked for. */
function comparisonText(body: unknown, keep: (change: string) => boolean): string | null {
  const blocks = (body as { blocks?: Array<{ runs?: Array<{ text: string; change: string }> }> })?.blocks;
  if (!Array.isArray(blocks)) return null;
  return blocks.map((block) => (block.runs ?? []).filter((run) => keep(run.change)).map((run) => run.text).join('')).join('');
}

/** All text nodes of a ProseMirror JSON document, in order. */
function proseMirrorText(node: unknown): string {
  const n = node as { text?: unknown; content?: unknown[] };
  if (typeof n?.text === 'string') return n.text;
  return Array.isArray(n?.content) ? n.content.map(proseMirrorText).join('') : '';
}

function describeMismatch(what: string, actual: string | null, expected: string): string | null {
  if (actual === expected) return null;
  if (actual === null) return `${what}: not in the response`;
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  return `${what}: ${actual.length} chars, expected ${expected.length} (first difference at ${i})`;
}

export async function runCompare(scenario: CompareScenario, serverName: ServerName, run: number, options: Options, logDir: string): Promise<RunRecord> {
  const logFile = join(logDir, `${scenario.name}-${serverName}-run${run}.log`);
  const record: RunRecord = { scenario: scenario.name, server: serverName, run, ok: false, logFile };
  const compare: CompareRecord = { versions: [], requests: { compare: [], open: [] }, checks: [], windows: [], progressLine: '' };
  record.compare = compare;
  const plan = windowPlan(options);
  let environment: ServerEnvironment | null = null;
  let server: ServerUnderTest | null = null;
  const problems: string[] = [];
  try {
    environment = await ServerEnvironment.create(serverName, scenario.name);
    server = await ServerUnderTest.start(serverName, { logFile, environment });
    const [traceTargets, otherDoc] = await server.createDocuments(2, `bench-${scenario.name}`);
    const traceDoc = traceTargets[0];
    const credentials = server.credentials!;
    const baseUrl = server.httpUrl;

    // 1. Replay the trace through a real client; name a version at each pause.
    const texts = new Map<number, string>();
    compare.replay = await runLoad<ReplayResult>(
      {
        kind: 'replay',
        targets: traceTargets,
        tracePath: scenario.trace,
        cacheDir: join(REPO_ROOT, 'bench', 'results', 'cache'),
        windowTxns: 2_000,
        stallTimeoutMs: 60_000,
        pauseAtFractions: [...scenario.fractions],
      },
      async (phase, _atNs, pause) => {
        if (phase !== 'replay-pause' || !pause) return;
        const fraction = scenario.fractions.find((f) => Math.abs(f - pause.fraction) < 0.01) ?? pause.fraction;
        const start = performance.now();
        try {
          const id = await nameConcordVersion(baseUrl, credentials, traceDoc.room, `automerge-paper at ${(fraction * 100).toFixed(0)} %`);
          compare.versions.push({ fraction, txns: pause.txns, id, textLength: pause.text.length, nameMs: performance.now() - start });
          texts.set(fraction, pause.text);
        } catch (error) {
          problems.push(`naming the version at ${(fraction * 100).toFixed(0)} %: ${(error as Error).message}`);
        }
      },
      600_000,
    );
    if (!compare.replay.converged) throw new Error(`replay: ${compare.replay.problems.join('; ')}`);
    const [older, newer] = scenario.fractions.map((f) => compare.versions.find((v) => v.fraction === f));
    if (!older || !newer) throw new Error(problems.join('; ') || 'the versions were not named');

    // 2. Type on the other document; baseline, then comparisons, then openings, back to back.
    const paths: Record<RequestKind, string> = {
      compare: `/api/documents/${traceDoc.room}/compare?from=${older.id}&to=${newer.id}`,
      open: `/api/documents/${traceDoc.room}/versions/${newer.id}`,
    };
    const firstBodies: Partial<Record<RequestKind, unknown>> = {};
    let experimentError: Error | null = null;
    const experiment = async (): Promise<void> => {
      const window = async (label: string, body: () => Promise<void>): Promise<void> => {
        const startTicks = machineCpuTicks();
        const startNs = nowNs();
        try {
          await body();
        } finally {
          const endNs = nowNs();
          const endTicks = machineCpuTicks();
          const machineCpuPercent =
            startTicks && endTicks && endTicks.total > startTicks.total
              ? ((endTicks.busy - startTicks.busy) / (endTicks.total - startTicks.total)) * cpus().length * 100
              : undefined;
          compare.windows.push({ label, startNs, endNs, machineCpuPercent });
        }
      };
      await window('baseline', () => sleep(plan.baselineMs));
      for (const kind of REQUEST_KINDS) {
        await window(kind, async () => {
          const start = performance.now();
          const samples = compare.requests[kind];
          while (samples.length < plan.requests || performance.now() - start < plan.minWindowMs) {
            if (samples.length >= 2 && performance.now() - start > plan.maxWindowMs) break;
            const first = samples.length === 0;
            const response: TimedResponse = await timedGet(baseUrl, paths[kind], credentials, { parse: first });
            samples.push({ ms: response.ms, status: response.status, bytes: response.bytes });
            if (first) firstBodies[kind] = response.body;
            if (response.status !== 200) throw new Error(`GET ${paths[kind]} answered ${response.status}: ${JSON.stringify(response.body ?? '').slice(0, 300)}`);
          }
        });
      }
    };
    compare.typing = await runLoad<TypingResult>(
      {
        kind: 'typing',
        docs: [otherDoc],
        editorsPerDoc: scenario.editors,
        typistsPerDoc: scenario.typists,
        editsPerSecond: options.editsPerSecond,
        cursorUpdates: options.cursorUpdates,
        durabilityProbes: 0,
        warmupMs: options.warmupMs,
        // The longest the experiment may hold the window (it sizes the typists' logs).
        measureMs: plan.baselineMs + REQUEST_KINDS.length * (plan.maxWindowMs + 300_000),
        drainTimeoutMs: options.drainTimeoutMs,
        connectConcurrency: 25,
        orchestratedWindows: true,
      },
      async (phase) => {
        if (phase !== 'measure-start') return;
        try {
          await experiment();
        } catch (error) {
          experimentError = error as Error;
        }
        return { windows: compare.windows.map(({ label, startNs, endNs }) => ({ label, startNs, endNs })) };
      },
      options.warmupMs + plan.baselineMs + REQUEST_KINDS.length * (plan.maxWindowMs + 300_000) + 300_000,
    );
    if (experimentError) throw experimentError;

    // 3. The server over each window, the other document's latency in it.
    for (const window of compare.windows) {
      window.server = await server.probe({ startNs: window.startNs, endNs: window.endNs });
      window.latency = compare.typing.windows?.find((w) => w.label === window.label);
    }
    const other = (window: WindowRecord): number | undefined =>
      window.machineCpuPercent === undefined || !window.server ? undefined : Math.max(0, window.machineCpuPercent - window.server.cpuPercent - compare.typing!.harness.cpuPercent);
    record.otherCpuPercent = Math.max(0, ...compare.windows.map((w) => other(w) ?? 0));

    // 4. Is what was timed the real thing?
    const text = (f: number): string => texts.get(f) ?? '';
    compare.checks = [
      describeMismatch('comparison, new side', comparisonText(firstBodies.compare, (c) => c !== 'deleted'), text(newer.fraction)),
      describeMismatch('comparison, old side', comparisonText(firstBodies.compare, (c) => c !== 'inserted'), text(older.fraction)),
      describeMismatch('opened version', firstBodies.open === undefined ? null : proseMirrorText((firstBodies.open as { content?: unknown }).content), text(newer.fraction)),
    ].filter((c): c is string => c !== null);
    problems.push(...compare.checks);

    const t = compare.typing;
    if (!t.converged || t.delivered !== t.expected || t.disconnects > 0) problems.push(...(t.problems.slice(0, 3).length ? t.problems.slice(0, 3) : ['incomplete deliveries']));
    const eld = (label: string): string => fmt(compare.windows.find((w) => w.label === label)?.server?.eventLoopDelayP99Ms ?? Number.NaN);
    const ms = (kind: RequestKind): string => {
      const samples = compare.requests[kind];
      return `${fmt(samples[0]?.ms ?? Number.NaN, 0)} ms cold, ${fmt(median(samples.slice(1).map((s) => s.ms)), 0)} ms warm`;
    };
    compare.progressLine = `compare ${ms('compare')}, open ${ms('open')}; other doc ELD p99 ${eld('baseline')} / ${eld('compare')} / ${eld('open')} ms (baseline / compare / open)`;
    record.ok = problems.length === 0;
    if (!record.ok) record.error = problems.join('; ');
  } catch (error) {
    record.ok = false;
    record.error = [...problems, (error as Error).message].join('; ');
    const tail = logTail(logFile, 8);
    if (tail) record.error += `\n--- ${logFile} (tail) ---\n${tail}`;
  } finally {
    if (server) await server.stop().catch(() => undefined);
    if (environment) await environment.remove().catch((error: Error) => log(`removing ${serverName}'s storage failed: ${error.message}`));
  }
  return record;
}

// ---------------------------------------------------------------------------------------------
// Summary over runs

interface RequestRow {
  kind: RequestKind;
  /** Median over runs of each run's first request. */
  coldMs: number;
  /** Over the warm requests of all runs pooled. */
  warmP50Ms: number;
  warmP95Ms: number;
  warmMaxMs: number;
  warmCount: number;
  responseKiB: number;
}

interface WindowRow {
  label: string;
  /** Medians over runs. */
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  serverCpuPercent: number;
  peakRssMiB: number;
  otherCpuPercent: number;
  /** Summed over runs. */
  delivered: number;
  expected: number;
}

export interface CompareSummary {
  scenario: string;
  runs: number;
  okRuns: number;
  editors: number;
  typists: number;
  editsPerSecond: number;
  versions: Array<{ fraction: number; txns: number; textLength: number; nameMs: number }>;
  replaySeconds: number;
  requests: RequestRow[];
  windows: WindowRow[];
  errors: string[];
}

export function summarizeCompare(scenario: CompareScenario, records: RunRecord[], options: Options): CompareSummary {
  const compares = records.map((r) => r.compare).filter((c): c is CompareRecord => c !== undefined);
  const requests = REQUEST_KINDS.map((kind): RequestRow => {
    const warm = compares.flatMap((c) => c.requests[kind].slice(1).map((s) => s.ms)).sort((a, b) => a - b);
    return {
      kind,
      coldMs: median(compares.map((c) => c.requests[kind][0]?.ms ?? Number.NaN)),
      warmP50Ms: percentileOfSorted(warm, 50),
      warmP95Ms: percentileOfSorted(warm, 95),
      warmMaxMs: warm.length ? warm[warm.length - 1] : Number.NaN,
      warmCount: warm.length,
      responseKiB: median(compares.flatMap((c) => c.requests[kind].map((s) => s.bytes / 1024))),
    };
  });
  const windows = WINDOW_LABELS.map((label): WindowRow => {
    const ws = compares.map((c) => c.windows.find((w) => w.label === label)).filter((w): w is WindowRecord => w !== undefined);
    const pick = (f: (w: WindowRecord) => number | undefined): number => median(ws.map((w) => f(w) ?? Number.NaN));
    const harnessCpu = (w: WindowRecord): number => compares.find((c) => c.windows.includes(w))?.typing?.harness.cpuPercent ?? 0;
    return {
      label,
      seconds: pick((w) => (w.endNs - w.startNs) / 1e9),
      p50Ms: pick((w) => w.latency?.latencyMs.p50),
      p99Ms: pick((w) => w.latency?.latencyMs.p99),
      maxMs: pick((w) => w.latency?.latencyMs.max),
      eventLoopDelayP99Ms: pick((w) => w.server?.eventLoopDelayP99Ms),
      eventLoopDelayMaxMs: pick((w) => w.server?.eventLoopDelayMaxMs),
      serverCpuPercent: pick((w) => w.server?.cpuPercent),
      peakRssMiB: pick((w) => (w.server ? w.server.peakRssBytes / 2 ** 20 : undefined)),
      otherCpuPercent: pick((w) =>
        w.machineCpuPercent === undefined || !w.server ? undefined : Math.max(0, w.machineCpuPercent - w.server.cpuPercent - harnessCpu(w)),
      ),
      delivered: ws.reduce((sum, w) => sum + (w.latency?.delivered ?? 0), 0),
      expected: ws.reduce((sum, w) => sum + (w.latency?.expected ?? 0), 0),
    };
  });
  return {
    scenario: scenario.name,
    runs: records.length,
    okRuns: records.filter((r) => r.ok).length,
    editors: scenario.editors,
    typists: scenario.typists,
    editsPerSecond: options.editsPerSecond,
    versions: scenario.fractions.map((fraction) => {
      const named = compares.map((c) => c.versions.find((v) => v.fraction === fraction)).filter((v): v is VersionNamed => v !== undefined);
      return {
        fraction,
        txns: named[0]?.txns ?? Number.NaN,
        textLength: named[0]?.textLength ?? Number.NaN,
        nameMs: median(named.map((v) => v.nameMs)),
      };
    }),
    replaySeconds: median(compares.map((c) => (c.replay ? c.replay.totalMs / 1000 : Number.NaN))),
    requests,
    windows,
    errors: records.filter((r) => r.error).map((r) => `run ${r.run}: ${r.error}`),
  };
}

function table(header: string[], body: string[][], leftColumns = 1): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < leftColumns ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
}

/** "12.3 (×1.05)": a figure and its ratio to the baseline's. */
function withRatio(value: number, baseline: number, digits = 1): string {
  if (!Number.isFinite(value)) return '—';
  if (!Number.isFinite(baseline) || baseline <= 0) return fmt(value, digits);
  const r = value / baseline;
  return `${fmt(value, digits)} (×${r >= 10 ? r.toFixed(0) : r.toFixed(2)})`;
}

export function renderCompare(s: CompareSummary): string {
  const percent = (f: number): string => `${(f * 100).toFixed(0)} %`;
  const [older, newer] = s.versions;
  const what: Record<RequestKind, string> = {
    compare: `GET compare ${percent(older.fraction)} → ${percent(newer.fraction)}`,
    open: `GET version ${percent(newer.fraction)} (open)`,
  };
  const out = [
    `compare (concord only) — automerge-paper trace, versions named at ${s.versions
      .map((v) => `${percent(v.fraction)} (txn ${count(v.txns)}, ${count(v.textLength)} chars)`)
      .join(' and ')}; ${s.runs} run(s), each on a fresh server`,
    ...table(
      ['request', 'cold ms', 'warm p50 ms', 'warm p95 ms', 'warm max ms', 'warm n', 'response KiB'],
      s.requests.map((r) => [what[r.kind], fmt(r.coldMs, 0), fmt(r.warmP50Ms, 0), fmt(r.warmP95Ms, 0), fmt(r.warmMaxMs, 0), String(r.warmCount), fmt(r.responseKiB, 0)]),
    ),
    `naming a version (POST, median): ${s.versions.map((v) => `${percent(v.fraction)} ${fmt(v.nameMs, 0)} ms`).join(', ')}; replay ${fmt(s.replaySeconds, 2)} s (pauses excluded)`,
    '',
    `another document meanwhile: ${s.editors} editors, ${s.typists} typing × ${s.editsPerSecond} edits/s; medians over runs, (×r) = ÷ the baseline window of the same runs`,
  ];
  const base = s.windows.find((w) => w.label === 'baseline')!;
  const during: Record<string, string> = { baseline: 'no request (baseline)', compare: `${what.compare}, back to back`, open: `${what.open}, back to back` };
  out.push(
    ...table(
      ['window', 's', 'p50 ms', 'p99 ms', 'max ms', 'ELD p99 ms', 'ELD max ms', 'srv CPU', 'RSS MiB', 'other CPU', 'delivered/expected'],
      s.windows.map((w) => {
        const isBase = w === base;
        const r = (value: number, baseline: number): string => (isBase ? fmt(value) : withRatio(value, baseline));
        return [
          during[w.label] ?? w.label,
          fmt(w.seconds),
          r(w.p50Ms, base.p50Ms),
          r(w.p99Ms, base.p99Ms),
          r(w.maxMs, base.maxMs),
          r(w.eventLoopDelayP99Ms, base.eventLoopDelayP99Ms),
          r(w.eventLoopDelayMaxMs, base.eventLoopDelayMaxMs),
          pct(w.serverCpuPercent),
          fmt(w.peakRssMiB),
          pct(w.otherCpuPercent),
          w.expected > 0 ? `${count(w.delivered)}/${count(w.expected)}` : '—',
        ];
      }),
    ),
  );
  if (s.okRuns < s.runs) out.push(`runs ok: ${s.okRuns}/${s.runs}`);
  return out.join('\n');
}
