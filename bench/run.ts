/**
 * `npm run bench`: Concord (on SQLite; on PostgreSQL; two processes on PostgreSQL + Redis) against
 * the classic y-websocket server and Hocuspocus 3.
 *
 *   npm run bench -- [--quick] [--runs N] [--servers concord,concord-pg,concord-cluster,classic,hocuspocus]
 *                    [--scenarios 1x10,1x50,1x200,100x5,50x10,1x1000,1x5000,replay,compare,import-while-editing] [--warmup S] [--measure S] [--rate N]
 *                    [SCENARIO …]   (scenario names may also be given alone: `npm run bench -- import-while-editing`)
 *
 * Every (run, scenario, server) gets fresh server processes on fresh storage (a DATA_DIR, or a
 * PostgreSQL schema and a Redis of its own) and a fresh load process; runs are interleaved across
 * servers so slow drifts of the machine hit all of them.
 * Prints one table of medians over the runs to stdout (progress goes to stderr) and writes every
 * run's raw figures to bench/results/latest.json. See bench/README.md for what each figure means.
 * The compare scenario (Concord only: versions of a long paper) is in bench/compare.ts and prints
 * its own table; so does import-while-editing (Concord only: 10 MiB imports while others type),
 * in bench/imports.ts.
 */
import { cpus, totalmem } from 'node:os';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Phase, ReplayResult, TypingResult, VerifyTraceResult } from './load/jobs';
import { runCompare, renderCompare, summarizeCompare, type CompareRecord } from './compare';
import { renderImports, runImports, summarizeImports, type ImportRecord } from './imports';
import { renderChurn, runChurn, type ChurnRecord } from './churn';
import { renderOutage, runOutage, type OutageRecord } from './outage';
import { count, fmt, log, machineCpuTicks, pct, runLoad, sleep } from './orchestrator';
import {
  REPO_ROOT,
  SERVER_NAMES,
  ServerEnvironment,
  ServerUnderTest,
  cleanUpOnExit,
  cpuMicrosByPid,
  isOurs,
  isPersistent,
  logTail,
  type ProbeSample,
  type ServerName,
} from './servers';
import { median } from './stats';

// ---------------------------------------------------------------------------------------------
// Scenarios and options

interface TypingScenario {
  kind: 'typing';
  name: string;
  docs: number;
  editorsPerDoc: number;
  typistsPerDoc: number;
}
interface ReplayScenario {
  kind: 'replay';
  name: string;
  trace: string;
}
/** Concord only: comparing and opening versions of the replayed trace while others edit (bench/compare.ts). */
export interface CompareScenario {
  kind: 'compare';
  name: string;
  trace: string;
  /** Versions named at these fractions of the trace; the first two are compared. */
  fractions: [number, number];
  /** The other document, edited meanwhile: editors connected, of whom `typists` type. */
  editors: number;
  typists: number;
}
/** Concord only: 10 MiB files imported into other documents while typists edit one (bench/imports.ts). */
export interface ImportScenario {
  kind: 'imports';
  name: string;
  /** The typed document: editors connected (one of them the observer), of whom `typists` type. */
  editors: number;
  typists: number;
}
/** Concord on SQLite only: clients connecting and disconnecting for minutes; memory and WAL before, during and after (bench/churn.ts). */
export interface ChurnScenario {
  kind: 'churn';
  name: string;
}
/** Concord on PostgreSQL only: the 1x200 load while the database is frozen for --outage-seconds (bench/outage.ts). */
export interface OutageScenario {
  kind: 'outage';
  name: string;
  editors: number;
  typists: number;
}
type Scenario = TypingScenario | ReplayScenario | CompareScenario | ImportScenario | ChurnScenario | OutageScenario;

const TRACE = join(REPO_ROOT, '..', 'shared', 'traces', 'automerge-paper.json.gz');

const SCENARIOS: Scenario[] = [
  { kind: 'typing', name: '1x10', docs: 1, editorsPerDoc: 10, typistsPerDoc: 5 },
  { kind: 'typing', name: '1x50', docs: 1, editorsPerDoc: 50, typistsPerDoc: 25 },
  { kind: 'typing', name: '1x200', docs: 1, editorsPerDoc: 200, typistsPerDoc: 100 },
  // Half of each document's editors type, rounded down: 2 of 5 (200 typists, 500 sockets).
  { kind: 'typing', name: '100x5', docs: 100, editorsPerDoc: 5, typistsPerDoc: 2 },
  { kind: 'typing', name: '50x10', docs: 50, editorsPerDoc: 10, typistsPerDoc: 5 },
  // A plenary: many watch the text live while a few type.
  { kind: 'typing', name: '1x1000', docs: 1, editorsPerDoc: 1000, typistsPerDoc: 50 },
  { kind: 'typing', name: '1x5000', docs: 1, editorsPerDoc: 5000, typistsPerDoc: 200 },
  { kind: 'replay', name: 'replay', trace: TRACE },
  { kind: 'compare', name: 'compare', trace: TRACE, fractions: [0.5, 1], editors: 40, typists: 20 },
  { kind: 'imports', name: 'import-while-editing', editors: 21, typists: 20 },
  { kind: 'churn', name: 'churn' },
  { kind: 'outage', name: 'outage', editors: 200, typists: 100 },
];

/** The table, and the compare and import scenarios; 50x10, 1x1000 and 1x5000 run when asked for. */
const DEFAULT_SCENARIOS = ['1x10', '1x50', '1x200', '100x5', 'replay', 'compare', 'import-while-editing'];
/** Scenarios only Concord runs (the peers have no versions and no imports); each prints a table of its own. */
const concordOnly = (scenario: Scenario): boolean => scenario.kind === 'compare' || scenario.kind === 'imports' || scenario.kind === 'churn' || scenario.kind === 'outage';
/** Typists per typing run that also time how long until their edits are stored. */
const DURABILITY_PROBES = 4;

const USAGE = `usage: npm run bench -- [--quick] [--runs N] [--servers ${SERVER_NAMES.join(',')}]
                        [--scenarios ${SCENARIOS.map((s) => s.name).join(',')}]
                        [--warmup SECONDS] [--measure SECONDS] [--rate EDITS_PER_SECOND] [--no-cursors] [SCENARIO …]
                        churn: [--churn-seconds S (300)] [--churn-clients N (40)] [--churn-docs N (20)] [--churn-doc-kib K (0)] [--churn-idle-after S (90)]
                        outage: [--outage-seconds S (30)]`;

export interface Options {
  servers: ServerName[];
  scenarios: Scenario[];
  runs: number;
  quick: boolean;
  warmupMs: number;
  measureMs: number;
  editsPerSecond: number;
  cursorUpdates: boolean;
  drainTimeoutMs: number;
  /** The churn scenario (bench/churn.ts). */
  churnSeconds: number;
  churnClients: number;
  churnDocs: number;
  churnDocKiB: number;
  churnIdleBeforeSeconds: number;
  churnIdleAfterSeconds: number;
  /** The outage scenario (bench/outage.ts): how long the database is frozen. */
  outageSeconds: number;
}

function parseOptions(): Options {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      servers: { type: 'string' },
      scenarios: { type: 'string' },
      warmup: { type: 'string' },
      measure: { type: 'string' },
      rate: { type: 'string' },
      'no-cursors': { type: 'boolean', default: false },
      'churn-seconds': { type: 'string' },
      'churn-clients': { type: 'string' },
      'churn-docs': { type: 'string' },
      'churn-doc-kib': { type: 'string' },
      'churn-idle-after': { type: 'string' },
      'outage-seconds': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const list = (value: string | undefined): string[] | undefined => value?.split(',').map((s) => s.trim()).filter(Boolean);
  const servers = (list(values.servers) ?? [...SERVER_NAMES]) as ServerName[];
  for (const server of servers) if (!SERVER_NAMES.includes(server)) fail(`unknown server ${server}\n${USAGE}`);
  const scenarioNames = [...(list(values.scenarios) ?? []), ...positionals];
  if (scenarioNames.length === 0) scenarioNames.push(...DEFAULT_SCENARIOS);
  const scenarios = scenarioNames.map((name) => SCENARIOS.find((s) => s.name === name) ?? fail(`unknown scenario ${name}\n${USAGE}`));
  const number = (value: string | undefined, fallback: number, what: string): number => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) fail(`--${what} needs a positive number`);
    return n;
  };
  const quick = values.quick ?? false;
  return {
    servers,
    scenarios,
    quick,
    runs: Math.round(number(values.runs, quick ? 1 : 3, 'runs')),
    // Connecting and syncing every client already runs the server's hot paths; 1 s of typing
    // (≥ 500 edits at 1x200) before the window is enough for the JIT, and it keeps the bench short.
    warmupMs: number(values.warmup, 1, 'warmup') * 1000,
    measureMs: number(values.measure, quick ? 4 : 10, 'measure') * 1000,
    editsPerSecond: number(values.rate, 5, 'rate'),
    cursorUpdates: !values['no-cursors'],
    // Outstanding deliveries count as missing once nothing arrived for this long (late is not lost).
    drainTimeoutMs: 5_000,
    churnSeconds: number(values['churn-seconds'], quick ? 60 : 300, 'churn-seconds'),
    churnClients: Math.round(number(values['churn-clients'], 40, 'churn-clients')),
    churnDocs: Math.round(number(values['churn-docs'], 20, 'churn-docs')),
    churnDocKiB: values['churn-doc-kib'] === '0' ? 0 : Math.round(number(values['churn-doc-kib'], 0, 'churn-doc-kib')),
    churnIdleBeforeSeconds: 10,
    churnIdleAfterSeconds: number(values['churn-idle-after'], 90, 'churn-idle-after'),
    outageSeconds: number(values['outage-seconds'], 30, 'outage-seconds'),
  };
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}


// ---------------------------------------------------------------------------------------------
// One run of one scenario against one server

interface ServerFigures {
  /** Event-loop delay p99 / max over the measurement window, ms. */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** Server CPU time (user + system, all threads) / wall time over the window, % of one core. */
  cpuPercent: number;
  /** The kernel's share of it. */
  cpuSystemPercent: number;
  /**
   * CPU of the services working for the server over the window, % of one core: the PostgreSQL
   * backends of its connections and its Redis (PostgreSQL's shared background processes are not in).
   */
  servicesCpuPercent?: number;
  /** RSS with the documents created and no client connected. */
  rssIdleBytes: number;
  /** RSS with every client connected and synced, before typing. */
  rssConnectedBytes: number;
  /** Highest RSS during the measurement window (sampled every 100 ms). */
  peakRssBytes: number;
}

export interface RunRecord {
  scenario: string;
  server: ServerName;
  run: number;
  ok: boolean;
  error?: string;
  editors?: number;
  typing?: TypingResult;
  replay?: ReplayResult;
  /** Persistent servers only: the cold open, of the replayed document after a restart. */
  reload?: VerifyTraceResult;
  /** Persistent servers: storage after the replay and a graceful shutdown. */
  storage?: {
    bytes: number;
    /** SQLite: the files in DATA_DIR (PostgreSQL: the schema's tables, indexes and TOAST, no files). */
    files?: Array<{ path: string; bytes: number }>;
    /** Of the SQLite files: bytes in pages that hold data (the rest are free pages). */
    sqliteLiveBytes?: number;
    gracefulShutdown: boolean;
  };
  serverFigures?: ServerFigures;
  /** The compare scenario's figures (bench/compare.ts). */
  compare?: CompareRecord;
  /** The import-while-editing scenario's figures (bench/imports.ts). */
  imports?: ImportRecord;
  /** The churn scenario's figures (bench/churn.ts). */
  churn?: ChurnRecord;
  /** The outage scenario's figures (bench/outage.ts). */
  outage?: OutageRecord;
  /**
   * CPU the rest of the machine used during the window (machine − server − load process), % of one
   * core: other work on this 2-core machine (builds, tests) that competed with the bench.
   */
  otherCpuPercent?: number;
  logFile: string;
}

function serverFiguresOf(idle: ProbeSample, probes: PhaseProbes): ServerFigures | undefined {
  const { connected, window } = probes;
  if (!connected || !window) return undefined;
  return {
    eventLoopDelayP99Ms: window.eventLoopDelayP99Ms,
    eventLoopDelayMaxMs: window.eventLoopDelayMaxMs,
    cpuPercent: window.cpuPercent,
    cpuSystemPercent: window.cpuSystemPercent,
    servicesCpuPercent: probes.servicesCpuPercent,
    rssIdleBytes: idle.rssBytes,
    rssConnectedBytes: connected.rssBytes,
    peakRssBytes: window.peakRssBytes,
  };
}

function otherCpu(probes: PhaseProbes, loadCpuPercent: number): number | undefined {
  if (probes.machineCpuPercent === undefined || !probes.window) return undefined;
  return Math.max(0, probes.machineCpuPercent - probes.window.cpuPercent - (probes.servicesCpuPercent ?? 0) - loadCpuPercent);
}

interface PhaseProbes {
  connected?: ProbeSample;
  /** The server's figures over the load process's measurement window. */
  window?: ProbeSample;
  /** CPU use of the whole machine over the window, % of one core. */
  machineCpuPercent?: number;
  /** The server's services (PostgreSQL backends, Redis) over the window, % of one core. */
  servicesCpuPercent?: number;
}

/** Probes the server (and the services it runs on) at the phases the load process reports. */
function probeAtPhases(server: ServerUnderTest, environment: ServerEnvironment): { probes: PhaseProbes; onPhase: (phase: Phase, atNs: number) => Promise<void> } {
  const probes: PhaseProbes = {};
  let startNs = 0;
  let startTicks: { busy: number; total: number } | null = null;
  let services: { atNs: number; cpuMicros: Map<number, number> } | null = null;
  const nowNs = (): number => Number(process.hrtime.bigint());
  return {
    probes,
    onPhase: async (phase, atNs) => {
      if (phase === 'connected') probes.connected = await server.probe();
      else if (phase === 'measure-start') {
        startNs = atNs;
        startTicks = machineCpuTicks();
        const pids = await environment.servicePids();
        if (pids.length > 0) services = { atNs: nowNs(), cpuMicros: cpuMicrosByPid(pids) };
      } else {
        const endTicks = machineCpuTicks();
        if (startTicks && endTicks && endTicks.total > startTicks.total) {
          probes.machineCpuPercent = ((endTicks.busy - startTicks.busy) / (endTicks.total - startTicks.total)) * cpus().length * 100;
        }
        if (services) {
          // Backends that connected during the window count from their start; those that
          // disconnected during it are lost (rare under load: the pools keep their connections).
          const start = services;
          const end = cpuMicrosByPid([...new Set([...start.cpuMicros.keys(), ...(await environment.servicePids())])]);
          let micros = 0;
          for (const [pid, cpu] of end) micros += cpu - (start.cpuMicros.get(pid) ?? 0);
          probes.servicesCpuPercent = ((micros * 1e3) / (nowNs() - start.atNs)) * 100;
        }
        probes.window = await server.probe({ startNs, endNs: atNs });
      }
    },
  };
}

async function runOnce(scenario: Scenario, serverName: ServerName, run: number, options: Options, logDir: string): Promise<RunRecord> {
  if (scenario.kind === 'compare') return runCompare(scenario, serverName, run, options, logDir);
  if (scenario.kind === 'imports') return runImports(scenario, serverName, run, options, logDir);
  if (scenario.kind === 'churn') return runChurn(scenario, serverName, run, options, logDir);
  if (scenario.kind === 'outage') return runOutage(scenario, serverName, run, options, logDir);
  const logFile = join(logDir, `${scenario.name}-${serverName}-run${run}.log`);
  const record: RunRecord = { scenario: scenario.name, server: serverName, run, ok: false, logFile };
  const cacheDir = join(REPO_ROOT, 'bench', 'results', 'cache');
  let environment: ServerEnvironment | null = null;
  let server: ServerUnderTest | null = null;
  try {
    environment = await ServerEnvironment.create(serverName, scenario.name);
    server = await ServerUnderTest.start(serverName, { logFile, environment });
    const docCount = scenario.kind === 'typing' ? scenario.docs : 1;
    const docs = await server.createDocuments(docCount, `bench-${scenario.name}`);
    await sleep(300); // let start-up garbage settle before the idle baseline
    const idle = await server.probe();
    const { probes, onPhase } = probeAtPhases(server, environment);

    if (scenario.kind === 'typing') {
      const result = await runLoad<TypingResult>(
        {
          kind: 'typing',
          docs,
          editorsPerDoc: scenario.editorsPerDoc,
          typistsPerDoc: scenario.typistsPerDoc,
          editsPerSecond: options.editsPerSecond,
          cursorUpdates: options.cursorUpdates,
          durabilityProbes: DURABILITY_PROBES,
          warmupMs: options.warmupMs,
          measureMs: options.measureMs,
          drainTimeoutMs: options.drainTimeoutMs,
          connectConcurrency: 25,
        },
        onPhase,
        options.warmupMs + options.measureMs + 300_000,
      );
      record.typing = result;
      record.serverFigures = serverFiguresOf(idle, probes);
      record.otherCpuPercent = otherCpu(probes, result.harness.cpuPercent);
      record.editors = result.editors;
      record.ok = result.converged && result.delivered === result.expected && result.disconnects === 0 && result.durableConfirmed === result.durableProbes;
      if (!record.ok) record.error = result.problems.slice(0, 3).join('; ') || 'incomplete deliveries';
    } else {
      const room = docs[0][0].room;
      const result = await runLoad<ReplayResult>(
        { kind: 'replay', targets: docs[0], tracePath: scenario.trace, cacheDir, windowTxns: 2_000, stallTimeoutMs: 60_000 },
        onPhase,
        600_000,
      );
      record.replay = result;
      record.serverFigures = serverFiguresOf(idle, probes);
      record.otherCpuPercent = otherCpu(probes, result.harness.cpuPercent);
      const problems = [...result.problems];
      if (isPersistent(serverName)) {
        // What the server keeps in storage once it has flushed: give it a moment, stop it
        // gracefully (where it must flush), measure the storage, then the cold open: a freshly
        // started server that has the document only in storage, and a fresh client.
        await sleep(2_000);
        const stopped = await server.stop();
        record.storage = { ...(await environment.storedBytes()), gracefulShutdown: stopped.graceful };
        // Same storage, so the same account and token (signing up again would be refused).
        server = await ServerUnderTest.start(serverName, { logFile, environment, credentials: server.credentials });
        record.reload = await runLoad<VerifyTraceResult>(
          // The restarted server listens on new ports: same document, new address.
          { kind: 'verify-trace', target: server.targets(room)[0], tracePath: scenario.trace, cacheDir },
          async () => undefined, // not a measurement window: the job times its own open
          120_000,
        );
        if (!record.reload.converged) problems.push(`after restart: ${record.reload.problems.join('; ')}`);
      }
      record.ok = result.converged && problems.length === 0;
      if (!record.ok) record.error = problems.join('; ');
    }
  } catch (error) {
    record.ok = false;
    record.error = (error as Error).message;
    const tail = logTail(logFile, 8);
    if (tail) record.error += `\n--- ${logFile} (tail) ---\n${tail}`;
  } finally {
    if (server) await server.stop().catch(() => undefined);
    if (environment) await environment.remove().catch((error: Error) => log(`removing ${serverName}'s storage failed: ${error.message}`));
  }
  return record;
}

/**
 * This machine is shared (other sessions build and test on it): before each run, wait until the
 * rest of the machine has been quiet for half a second, up to `maxWaitMs`. Runs that still overlapped
 * with other work are flagged by their `otherCpuPercent`.
 */
async function waitForQuietMachine(maxWaitMs = 30_000, quietPercent = 25): Promise<void> {
  const deadline = Date.now() + maxWaitMs;
  let waited = false;
  for (;;) {
    const before = machineCpuTicks();
    await sleep(500);
    const after = machineCpuTicks();
    if (!before || !after || after.total <= before.total) return;
    const busy = ((after.busy - before.busy) / (after.total - before.total)) * cpus().length * 100;
    if (busy < quietPercent) {
      if (waited) log(`machine quiet again (${busy.toFixed(0)}% of a core busy)`);
      return;
    }
    if (Date.now() > deadline) {
      log(`machine still busy (${busy.toFixed(0)}% of a core) after ${maxWaitMs / 1000} s: running anyway`);
      return;
    }
    if (!waited) log(`other processes keep the machine busy (${busy.toFixed(0)}% of a core): waiting up to ${maxWaitMs / 1000} s`);
    waited = true;
  }
}

// ---------------------------------------------------------------------------------------------
// Summary: medians over runs, one table

interface SummaryRow {
  scenario: string;
  server: ServerName;
  runs: number;
  okRuns: number;
  p50Ms: number;
  p99Ms: number;
  eventLoopDelayP99Ms: number;
  serverCpuPercent: number;
  servicesCpuPercent: number;
  peakRssMiB: number;
  /** (RSS with every editor connected and synced − RSS before any connected) / editors. */
  rssPerEditorKiB: number;
  delivered: number;
  expected: number;
  /** Local edit → the sync step 2 answering the step 1 sent right after it (Concord: once stored). */
  durableP50Ms: number;
  durableP99Ms: number;
  replaySeconds: number;
  /** A fresh client syncs the replayed document: from memory, and (persistent servers) cold, after a restart. */
  openSeconds: number;
  coldOpenSeconds: number;
  storedKiB: number;
  loadCpuPercent: number;
  otherCpuPercent: number;
  errors: string[];
}

function summarize(records: RunRecord[], options: Options): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const scenario of options.scenarios) {
    if (concordOnly(scenario)) continue; // its own table (bench/compare.ts, bench/imports.ts)
    for (const server of options.servers) {
      const all = records.filter((r) => r.scenario === scenario.name && r.server === server);
      if (all.length === 0) continue;
      // Figures of failed runs still count when they were measured (e.g. a few missing deliveries),
      // but the row says how many runs were ok.
      const measured = all.filter((r) => r.serverFigures || r.typing || r.replay);
      const pick = (f: (r: RunRecord) => number | undefined): number => median(measured.map((r) => f(r) ?? Number.NaN));
      rows.push({
        scenario: scenario.name,
        server,
        runs: all.length,
        okRuns: all.filter((r) => r.ok).length,
        p50Ms: pick((r) => r.typing?.latencyMs.p50),
        p99Ms: pick((r) => r.typing?.latencyMs.p99),
        eventLoopDelayP99Ms: pick((r) => r.serverFigures?.eventLoopDelayP99Ms),
        serverCpuPercent: pick((r) => r.serverFigures?.cpuPercent),
        servicesCpuPercent: pick((r) => r.serverFigures?.servicesCpuPercent),
        peakRssMiB: pick((r) => (r.serverFigures ? r.serverFigures.peakRssBytes / 2 ** 20 : undefined)),
        rssPerEditorKiB: pick((r) =>
          r.serverFigures && r.editors ? (r.serverFigures.rssConnectedBytes - r.serverFigures.rssIdleBytes) / r.editors / 1024 : undefined,
        ),
        delivered: all.reduce((sum, r) => sum + (r.typing?.delivered ?? 0), 0),
        expected: all.reduce((sum, r) => sum + (r.typing?.expected ?? 0), 0),
        durableP50Ms: pick((r) => r.typing?.durableMs.p50),
        durableP99Ms: pick((r) => r.typing?.durableMs.p99),
        replaySeconds: pick((r) => (r.replay ? r.replay.totalMs / 1000 : undefined)),
        openSeconds: pick((r) => (r.replay ? r.replay.open.syncMs / 1000 : undefined)),
        coldOpenSeconds: pick((r) => (r.reload ? r.reload.syncMs / 1000 : undefined)),
        storedKiB: pick((r) => (r.storage ? r.storage.bytes / 1024 : undefined)),
        loadCpuPercent: pick((r) => r.typing?.harness.cpuPercent ?? r.replay?.harness.cpuPercent),
        otherCpuPercent: pick((r) => r.otherCpuPercent),
        errors: all.filter((r) => r.error).map((r) => `run ${r.run}: ${r.error}`),
      });
    }
  }
  return rows;
}

function renderTable(rows: SummaryRow[], options: Options): string {
  const header = ['scenario', 'server', 'p50 ms', 'p99 ms', 'ELD p99 ms', 'srv CPU', 'svc CPU', 'RSS MiB', 'RSS/editor KiB', 'delivered/expected', 'durable p50 ms', 'durable p99 ms', 'replay s', 'open s', 'cold open s', 'stored KiB', 'load CPU', 'other CPU', 'runs ok'];
  const body = rows.map((r) => [
    r.scenario,
    r.server,
    fmt(r.p50Ms),
    fmt(r.p99Ms),
    fmt(r.eventLoopDelayP99Ms),
    pct(r.serverCpuPercent),
    pct(r.servicesCpuPercent),
    fmt(r.peakRssMiB),
    fmt(r.rssPerEditorKiB),
    r.expected > 0 ? `${count(r.delivered)}/${count(r.expected)}` : '—',
    fmt(r.durableP50Ms),
    fmt(r.durableP99Ms),
    fmt(r.replaySeconds, 2),
    fmt(r.openSeconds, 2),
    fmt(r.coldOpenSeconds, 2),
    fmt(r.storedKiB, 0),
    pct(r.loadCpuPercent),
    pct(r.otherCpuPercent),
    `${r.okRuns}/${r.runs}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [
    `Concord bench — medians over ${options.runs} run(s); ${options.editsPerSecond} edits/s per typist${options.cursorUpdates ? ' + a cursor (awareness) update per keystroke' : ', no cursor updates'}, warm-up ${options.warmupMs / 1000} s, measured ${options.measureMs / 1000} s`,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.map(line),
  ];
  return out.join('\n');
}

/**
 * Ratio lines: for each row of Concord (in each of its set-ups), its median over the best peer's
 * median, figure by figure. The peers can't open a document cold (they keep nothing), so the cold
 * open is set against their open from memory, the best they offer.
 */
function renderRatios(rows: SummaryRow[]): string[] {
  const lines: string[] = [];
  for (const ours of rows.filter((r) => isOurs(r.server))) {
    const peers = rows.filter((r) => r.scenario === ours.scenario && !isOurs(r.server));
    if (peers.length === 0) continue;
    const parts: string[] = [];
    const ratio = (label: string, f: (r: SummaryRow) => number, peerFigure: (r: SummaryRow) => number = f): void => {
      const candidates = peers.filter((p) => Number.isFinite(peerFigure(p)) && peerFigure(p) > 0);
      if (!Number.isFinite(f(ours)) || candidates.length === 0) return;
      const best = candidates.reduce((a, b) => (peerFigure(b) < peerFigure(a) ? b : a));
      const r = f(ours) / peerFigure(best);
      parts.push(`${label} ×${r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)} (${best.server})`);
    };
    ratio('p50', (r) => r.p50Ms);
    ratio('p99', (r) => r.p99Ms);
    ratio('ELD p99', (r) => r.eventLoopDelayP99Ms);
    ratio('RSS', (r) => r.peakRssMiB);
    ratio('RSS/editor', (r) => r.rssPerEditorKiB);
    ratio('durable p50', (r) => r.durableP50Ms);
    ratio('durable p99', (r) => r.durableP99Ms);
    ratio('replay time', (r) => r.replaySeconds);
    ratio('open', (r) => r.openSeconds);
    ratio('cold open vs their open from memory', (r) => r.coldOpenSeconds, (r) => r.openSeconds);
    if (parts.length) lines.push(`${ours.scenario} ${ours.server} vs best peer: ${parts.join(', ')}`);
  }
  return lines;
}

/** Runs whose figures may be off: the machine was shared, or the load process delayed its own timestamps. */
function measurementWarnings(records: RunRecord[]): string[] {
  const warnings: string[] = [];
  for (const r of records) {
    const reasons: string[] = [];
    if ((r.otherCpuPercent ?? 0) > 25) reasons.push(`other processes used ${r.otherCpuPercent!.toFixed(0)}% of a core`);
    // What inflates the timestamps is the load process's own loop running late, not its CPU figure
    // (which includes the kernel's socket work on other threads); CPU near 100% is flagged anyway.
    const typing = r.typing ?? r.compare?.typing;
    const h = typing?.harness ?? r.replay?.harness;
    if (h && (h.cpuPercent > 95 || h.eventLoopDelayP99Ms > 20 || h.scheduleLagP99Ms > 20)) {
      const lag = typing ? `, keystrokes late by p99 ${h.scheduleLagP99Ms.toFixed(0)} ms` : '';
      reasons.push(`load process at ${h.cpuPercent.toFixed(0)}% CPU, its loop delay p99 ${h.eventLoopDelayP99Ms.toFixed(0)} ms${lag}`);
    }
    if (reasons.length) warnings.push(`${r.scenario}/${r.server} run ${r.run}: ${reasons.join('; ')}`);
  }
  return warnings;
}

function versions(): Record<string, string> {
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  const out: Record<string, string> = { node: process.version };
  for (const name of ['yjs', 'y-protocols', 'y-websocket', 'ws', '@hocuspocus/server', 'y-websocket-classic']) {
    try {
      out[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      out[name] = 'not installed';
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseOptions();
  cleanUpOnExit();
  const resultsDir = join(REPO_ROOT, 'bench', 'results');
  const logDir = join(resultsDir, 'logs');
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  const startedAt = new Date();
  // The compare and import scenarios run against Concord on SQLite only (the peers have no
  // versions and no imports; their tables describe one server).
  const runsOf = (scenario: Scenario): ServerName[] => (concordOnly(scenario) ? options.servers.filter((s) => s === 'concord') : options.servers);
  for (const scenario of options.scenarios) {
    if (runsOf(scenario).length === 0) log(`${scenario.name}: Concord only (the peers have no versions or imports), and concord is not in --servers: skipped`);
  }
  const total = options.runs * options.scenarios.reduce((sum, scenario) => sum + runsOf(scenario).length, 0);
  log(`${total} server runs: ${options.servers.join(', ')} × ${options.scenarios.map((s) => s.name).join(', ')} × ${options.runs} run(s); server logs in ${logDir}`);

  const records: RunRecord[] = [];
  let done = 0;
  for (let run = 1; run <= options.runs; run++) {
    for (const scenario of options.scenarios) {
      for (const server of runsOf(scenario)) {
        await waitForQuietMachine();
        const started = Date.now();
        const record = await runOnce(scenario, server, run, options, logDir);
        records.push(record);
        done++;
        const t = record.typing;
        const figure = t
          ? `p50 ${fmt(t.latencyMs.p50)} ms, p99 ${fmt(t.latencyMs.p99)} ms, ${count(t.delivered)}/${count(t.expected)} delivered, durable p50 ${fmt(t.durableMs.p50)} ms, load CPU ${pct(t.harness.cpuPercent)}`
          : record.replay
            ? `${fmt(record.replay.totalMs / 1000, 2)} s, ${fmt(record.replay.txnsPerSecond, 0)} txns/s, open ${fmt(record.replay.open.syncMs / 1000, 2)} s, cold open ${fmt((record.reload?.syncMs ?? Number.NaN) / 1000, 2)} s`
            : record.compare
              ? record.compare.progressLine
              : record.imports
                ? record.imports.progressLine
                : record.churn
                  ? record.churn.progressLine
                  : record.outage
                    ? record.outage.progressLine
                    : '';
        log(`[${done}/${total}] ${scenario.name} ${server} run ${run}: ${record.ok ? 'ok' : 'FAILED'} ${figure} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
        if (record.error) log(`  ${record.error.split('\n').join('\n  ')}`);
      }
    }
  }

  const summary = summarize(records, options);
  const table = renderTable(summary, options);
  const ratios = renderRatios(summary);
  const warnings = measurementWarnings(records);
  const compareScenario = options.scenarios.find((s): s is CompareScenario => s.kind === 'compare');
  const compareRecords = records.filter((r) => r.scenario === compareScenario?.name);
  const compareSummary = compareScenario && compareRecords.length ? summarizeCompare(compareScenario, compareRecords, options) : undefined;
  const importScenario = options.scenarios.find((s): s is ImportScenario => s.kind === 'imports');
  const importRecords = records.filter((r) => r.scenario === importScenario?.name);
  const importSummary = importScenario && importRecords.length ? summarizeImports(importScenario, importRecords, options) : undefined;
  const churnRecords = records.filter((r) => r.churn);
  const outageRecords = records.filter((r) => r.outage);
  const failures = [
    ...summary,
    ...(compareSummary ? [{ ...compareSummary, server: 'concord' as const }] : []),
    ...(importSummary ? [{ ...importSummary, server: 'concord' as const }] : []),
    ...[...churnRecords, ...outageRecords].filter((r) => !r.ok).map((r) => ({ scenario: r.scenario, server: r.server, okRuns: 0, runs: 1, errors: [`run ${r.run}: ${r.error}`] })),
  ].filter((r) => r.okRuns < r.runs);
  if (summary.length) console.log(table);
  if (ratios.length) console.log(`\n${ratios.join('\n')}`);
  const stateBytes = median(records.map((r) => r.replay?.encodedStateBytes ?? Number.NaN));
  if (Number.isFinite(stateBytes)) {
    const live = median(records.map((r) => r.storage?.sqliteLiveBytes ?? Number.NaN));
    const liveNote = Number.isFinite(live) ? `; of concord's stored KiB, ${(live / 1024).toFixed(0)} KiB are SQLite pages in use (the rest free pages)` : '';
    console.log(`replay: the final document as one Yjs update is ${(stateBytes / 1024).toFixed(0)} KiB${liveNote}`);
  }
  if (compareSummary) console.log(`\n${renderCompare(compareSummary)}`);
  if (importSummary) console.log(`\n${renderImports(importSummary)}`);
  if (churnRecords.length) console.log(`\n${renderChurn(churnRecords)}`);
  if (outageRecords.length) console.log(`\n${renderOutage(outageRecords)}`);
  if (warnings.length) {
    console.log(`\nmeasurement warnings (figures of these runs are less reliable):\n  ${warnings.join('\n  ')}`);
  }
  if (failures.length) {
    console.log('\nfailed runs:');
    for (const row of failures) for (const e of row.errors) console.log(`  ${row.scenario}/${row.server} ${e.split('\n')[0]}`);
  }

  const finishedAt = new Date();
  mkdirSync(resultsDir, { recursive: true });
  const out = join(resultsDir, 'latest.json');
  writeFileSync(
    out,
    JSON.stringify(
      {
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
        machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, totalMemGiB: totalmem() / 2 ** 30, platform: process.platform },
        versions: versions(),
        options: { ...options, scenarios: options.scenarios },
        summary,
        ...(compareSummary && { compare: compareSummary }),
        ...(importSummary && { imports: importSummary }),
        records,
      },
      null,
      2,
    ),
  );
  log(`raw results: ${out} (${((finishedAt.getTime() - startedAt.getTime()) / 1000).toFixed(0)} s in all)`);
  process.exitCode = failures.length ? 1 : 0;
}

main().catch((error: Error) => {
  console.error(error.stack ?? error);
  process.exit(1);
});
