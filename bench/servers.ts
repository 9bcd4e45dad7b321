/**
 * The servers under test, each process started as its own child process with bench/probe.mjs
 * preloaded and an IPC channel to it, so every server's event loop, RSS and CPU are measured the
 * same way and apart from the client load. A server may be several processes (Concord on
 * PostgreSQL + Redis), measured as one; its storage and Redis live in a ServerEnvironment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { bearerHeaders, createConcordDocument, setUpConcord, type ConcordCredentials } from './concord-api';
import type { DocTarget, FramingName } from './load/framing';

/** What bench/probe.mjs reports from inside a server process. */
export interface ProbeSample {
  /** p99 and max of the event-loop delay in the window (beyond the 10 ms tick), ms. */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** RSS now, and the highest RSS sampled in the window (now, for 'sample'). */
  rssBytes: number;
  peakRssBytes: number;
  /** CPU time (user + system, all threads) / wall time over the window, % of one core. */
  cpuPercent: number;
  /** The kernel's share of it (socket writes, fsync). */
  cpuSystemPercent: number;
  /** Only when asked for ({ probe: 'memory' }): the server's process.memoryUsage(). */
  memory?: NodeJS.MemoryUsage;
}

export type ServerName = 'concord' | 'concord-pg' | 'concord-cluster' | 'classic' | 'hocuspocus';
export const SERVER_NAMES: readonly ServerName[] = ['concord', 'concord-pg', 'concord-cluster', 'classic', 'hocuspocus'];

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PROBE = pathToFileURL(join(REPO_ROOT, 'bench', 'probe.mjs')).href;
const HOST = '127.0.0.1';
/**
 * The load generator is one account (one token) on one address opening hundreds of sockets and
 * requests: Concord's caps per account, per address and per token would refuse most of it.
 */
const BENCH_CAPS = {
  COLLAB_MAX_SOCKETS_PER_ACCOUNT: '100000',
  COLLAB_MAX_SOCKETS_PER_ADDRESS: '100000',
  COLLAB_MAX_PENDING_UPGRADES: '100000',
  TOKEN_RATE_PER_SECOND: '100000',
  TOKEN_RATE_BURST: '100000',
};
/** The machine's PostgreSQL; each (run, scenario, server) gets a schema of its own there. */
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Where a server keeps its documents. */
type StorageKind = 'memory' | 'sqlite' | 'postgres';

interface ServerDefinition {
  /** Entry script, relative to the repository root. */
  entry: string;
  framing: FramingName;
  /** GET path that answers 200 once the server accepts connections. */
  healthPath: string;
  /** WebsocketProvider's serverUrl: the socket of room R is `${serverUrl}/${R}`. */
  serverUrl(port: number): string;
  /** Concord itself, in one of its set-ups (the others are the peers it is compared with). */
  ours: boolean;
  storage: StorageKind;
  /** Processes sharing the documents; several need Redis (and PostgreSQL). */
  processes: number;
  /**
   * Serves only documents created through its API, to accounts with a token (Concord): the bench
   * signs up once per fresh storage and every client sends the token on the websocket upgrade.
   */
  accounts: boolean;
}

const concord = (storage: StorageKind, processes: number): ServerDefinition => ({
  entry: 'server/src/main.ts',
  framing: 'y-websocket',
  healthPath: '/healthz',
  serverUrl: (port) => `ws://${HOST}:${port}/collab`,
  ours: true,
  storage,
  processes,
  accounts: true,
});

const DEFINITIONS: Record<ServerName, ServerDefinition> = {
  concord: concord('sqlite', 1),
  'concord-pg': concord('postgres', 1),
  'concord-cluster': concord('postgres', 2),
  classic: {
    // y-websocket@1.5.4's bin/server.js (+ bin/utils.js): in-memory, the reference implementation.
    entry: 'node_modules/y-websocket-classic/bin/server.js',
    framing: 'y-websocket',
    healthPath: '/',
    serverUrl: (port) => `ws://${HOST}:${port}`,
    ours: false,
    storage: 'memory',
    processes: 1,
    accounts: false,
  },
  hocuspocus: {
    entry: 'bench/peers/hocuspocus.ts',
    framing: 'hocuspocus',
    healthPath: '/',
    // Hocuspocus ignores the path; the document name travels in every frame.
    serverUrl: (port) => `ws://${HOST}:${port}`,
    ours: false,
    storage: 'memory',
    processes: 1,
    accounts: false,
  },
};

/** Keeps documents in storage, so stored size and a cold open can be measured. */
export const isPersistent = (name: ServerName): boolean => DEFINITIONS[name].storage !== 'memory';
/** Concord in one of its set-ups, as opposed to a peer. */
export const isOurs = (name: ServerName): boolean => DEFINITIONS[name].ours;

/** A free TCP port on the loopback interface (Concord does not support PORT=0). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Total size of the files under `dir`, recursively, with the list of files. */
export function directorySize(dir: string): { bytes: number; files: Array<{ path: string; bytes: number }> } {
  const files: Array<{ path: string; bytes: number }> = [];
  const walk = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.push({ path: full.slice(dir.length + 1), bytes: statSync(full).size });
    }
  };
  walk(dir);
  return { bytes: files.reduce((sum, f) => sum + f.bytes, 0), files };
}

/**
 * Bytes of SQLite databases under `dir` that hold data: (pages − free pages) × page size. A file
 * does not shrink when rows are deleted (e.g. updates folded into a snapshot) unless the database
 * vacuums, so this can be far below the file size. Reads the files only, with the server stopped.
 */
export function sqliteLiveBytes(dir: string): number | undefined {
  const databases = directorySize(dir).files.filter((f) => /\.(sqlite|sqlite3|db)$/.test(f.path));
  if (databases.length === 0) return undefined;
  let live = 0;
  for (const file of databases) {
    const db = new Database(join(dir, file.path), { readonly: true, fileMustExist: true });
    try {
      const pages = db.pragma('page_count', { simple: true }) as number;
      const free = db.pragma('freelist_count', { simple: true }) as number;
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      live += (pages - free) * pageSize;
    } finally {
      db.close();
    }
  }
  return live;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function logTail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Child processes the bench started that have not exited yet (servers, Redis, load processes). */
const liveChildren = new Set<ChildProcess>();
/** Environments not removed yet. */
const liveEnvironments = new Set<ServerEnvironment>();

/** A child process to kill if the bench exits before it does (see cleanUpOnExit). */
export function trackChild(child: ChildProcess): void {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

/**
 * No server, Redis or PostgreSQL schema outlives the bench, even when it is interrupted or fails:
 * children are killed on exit, and on SIGINT/SIGTERM the environments are removed first.
 */
export function cleanUpOnExit(): void {
  process.once('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`[bench] ${signal}: stopping servers, removing their storage\n`);
      const exits = [...liveChildren].map((child) => new Promise((resolveExit) => child.once('exit', resolveExit)));
      for (const child of liveChildren) child.kill('SIGKILL');
      const cleanup = Promise.all(exits).then(() => Promise.allSettled([...liveEnvironments].map((environment) => environment.remove())));
      void Promise.race([cleanup, sleep(10_000)]).finally(() => process.exit(130));
    });
  }
}

/** One statement on the bench's PostgreSQL database, on a connection of its own. */
async function postgresQuery<R extends pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<R[]> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolveConnect) => {
    const socket = connect(port, HOST);
    socket.once('connect', () => {
      socket.destroy();
      resolveConnect(true);
    });
    socket.once('error', () => resolveConnect(false));
  });
}

/** A redis-server of this environment's own on a free port, without persistence. */
async function startRedis(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', tmpdir()], { stdio: 'ignore' });
  trackChild(child);
  let failed: Error | null = null;
  child.once('error', (error) => (failed = error));
  for (let i = 0; i < 100 && !failed && child.exitCode === null; i++) {
    if (await canConnect(port)) return { url: `redis://${HOST}:${port}`, child };
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on port ${port}${failed ? `: ${(failed as Error).message}` : ''}`);
}

/** Linux's USER_HZ: the unit of the CPU times in /proc/<pid>/stat. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) of each of `pids` so far, µs; processes that are gone are left out. */
export function cpuMicrosByPid(pids: number[]): Map<number, number> {
  const times = new Map<number, number>();
  for (const pid of pids) {
    try {
      // Fields after "(comm)": state is the first, utime the 12th and stime the 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      times.set(pid, ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND) * 1e6);
    } catch {
      // exited
    }
  }
  return times;
}

/**
 * What a server runs on for one (run, scenario): a fresh DATA_DIR (SQLite) or a fresh schema in the
 * machine's PostgreSQL with a Redis of their own (a private redis-server, so benches and tests
 * running at the same time never share channels: the scaled-out set-up, with one process or more). Created before the server's
 * first start, kept across its restarts (the cold open), removed afterwards.
 */
export class ServerEnvironment {
  private removed = false;

  private constructor(
    readonly dataDir: string | undefined,
    readonly schema: string | undefined,
    private readonly redis: { url: string; child: ChildProcess } | undefined,
    /** Variables of an environment set up by the caller (e.g. a private PostgreSQL's DATABASE_URL). */
    private readonly extraEnv: Record<string, string> = {},
  ) {
    liveEnvironments.add(this);
  }

  /** An environment the caller set up and removes (its variables only: no DATA_DIR, schema or Redis of ours). */
  static external(env: Record<string, string>): ServerEnvironment {
    return new ServerEnvironment(undefined, undefined, undefined, env);
  }

  static async create(name: ServerName, label: string): Promise<ServerEnvironment> {
    const definition = DEFINITIONS[name];
    if (definition.storage === 'sqlite') return new ServerEnvironment(mkdtempSync(join(tmpdir(), `concord-bench-${label}-`)), undefined, undefined);
    if (definition.storage === 'memory') return new ServerEnvironment(undefined, undefined, undefined);
    const schema = `concord_bench_${randomBytes(6).toString('hex')}`;
    await postgresQuery(`CREATE SCHEMA ${schema}`);
    try {
      return new ServerEnvironment(undefined, schema, await startRedis());
    } catch (error) {
      await postgresQuery(`DROP SCHEMA ${schema} CASCADE`);
      throw error;
    }
  }

  /** The server's environment variables for it. */
  env(): Record<string, string> {
    const env: Record<string, string> = { ...this.extraEnv };
    if (this.dataDir) env.DATA_DIR = this.dataDir;
    if (this.schema) {
      const url = new URL(DATABASE_URL);
      url.searchParams.set('options', `-c search_path=${this.schema}`);
      // Names the server's database connections, so their backends' CPU can be found.
      url.searchParams.set('application_name', this.schema);
      env.DATABASE_URL = url.toString();
    }
    if (this.redis) env.REDIS_URL = this.redis.url;
    return env;
  }

  /** Bytes in storage: the files in DATA_DIR, or the schema's tables with their indexes and TOAST. */
  async storedBytes(): Promise<{ bytes: number; files?: Array<{ path: string; bytes: number }>; sqliteLiveBytes?: number }> {
    if (this.dataDir) return { ...directorySize(this.dataDir), sqliteLiveBytes: sqliteLiveBytes(this.dataDir) };
    if (!this.schema) return { bytes: 0 };
    const [row] = await postgresQuery<{ bytes: string }>(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::text AS bytes
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'm')`,
      [this.schema],
    );
    return { bytes: Number(row.bytes) };
  }

  /**
   * The processes that work for this server besides its own: the PostgreSQL backends of its
   * connections (named after the schema) and its Redis.
   */
  async servicePids(): Promise<number[]> {
    const pids = this.redis?.child.pid !== undefined ? [this.redis.child.pid] : [];
    if (this.schema) {
      const rows = await postgresQuery<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [this.schema]);
      pids.push(...rows.map((row) => row.pid));
    }
    return pids;
  }

  /** Call once the server's processes are stopped (a schema in use can't be dropped). */
  async remove(): Promise<void> {
    if (this.removed) return;
    this.removed = true;
    liveEnvironments.delete(this);
    if (this.redis) {
      const { child } = this.redis;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
        child.kill('SIGKILL');
        await exited;
      }
    }
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
    if (this.schema) await postgresQuery(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
  }
}

/** One server process, with the probe's IPC channel. */
export class ServerProcess {
  private nextProbeId = 1;
  private readonly pendingProbes = new Map<number, (sample: ProbeSample) => void>();
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    readonly port: number,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolveExit) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolveExit();
      });
    });
    child.on('message', (message: unknown) => {
      const m = message as { probe?: string; id?: number } & ProbeSample;
      if (m?.probe !== 'result' || m.id === undefined) return;
      this.pendingProbes.get(m.id)?.(m);
      this.pendingProbes.delete(m.id);
    });
  }

  /** `name`: for messages, e.g. "concord-cluster #2". Logs are appended to `logFile`. */
  static async start(name: string, definition: ServerDefinition, env: Record<string, string>, logFile: string, readyTimeoutMs: number): Promise<ServerProcess> {
    const port = await freePort();
    const log = openSync(logFile, 'a');
    // BENCH_SERVER_FLAGS: extra node flags for the servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    const extraFlags = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...extraFlags, '--import', 'tsx', '--import', PROBE, definition.entry], {
      // BENCH_CONCORD_DIR: Concord from another checkout (e.g. the commit before a change, with its own node_modules).
      cwd: definition.ours ? (process.env.BENCH_CONCORD_DIR ?? REPO_ROOT) : REPO_ROOT,
      env: { ...process.env, ...(definition.ours && { LOG_LEVEL: 'warn', ...BENCH_CAPS }), ...env, HOST, PORT: String(port) },
      stdio: ['ignore', log, log, 'ipc'],
    });
    trackChild(child);
    closeSync(log);
    const server = new ServerProcess(name, port, child, logFile);
    await server.waitReady(`http://${HOST}:${port}${definition.healthPath}`, readyTimeoutMs);
    return server;
  }

  get httpUrl(): string {
    return `http://${HOST}:${this.port}`;
  }

  private async waitReady(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitInfo) {
        throw new Error(`${this.name} exited during start-up (${JSON.stringify(this.exitInfo)}):\n${logTail(this.logFile)}`);
      }
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
        await response.body?.cancel();
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    await this.stop();
    throw new Error(`${this.name} not ready on ${url} within ${timeoutMs} ms:\n${logTail(this.logFile)}`);
  }

  /**
   * Asks the preloaded probe for its figures now, or over a window of process.hrtime (ns) — the
   * same clock in every process — e.g. the load process's measurement window.
   */
  probe(window?: { startNs: number; endNs: number } | 'memory' | 'memory-after-gc', timeoutMs = 120_000): Promise<ProbeSample> {
    const id = this.nextProbeId++;
    const request =
      window === 'memory' || window === 'memory-after-gc'
        ? { probe: 'memory', id, gc: window === 'memory-after-gc' }
        : window
          ? { probe: 'window', id, ...window }
          : { probe: 'sample', id };
    return new Promise((resolveSample, reject) => {
      const timer = setTimeout(() => {
        this.pendingProbes.delete(id);
        reject(new Error(`${this.name}: probe did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pendingProbes.set(id, (sample) => {
        clearTimeout(timer);
        resolveSample(sample);
      });
      if (!this.child.connected) {
        clearTimeout(timer);
        this.pendingProbes.delete(id);
        reject(new Error(`${this.name}: probe channel closed (server exited?)`));
        return;
      }
      this.child.send(request);
    });
  }

  /** SIGTERM (a graceful shutdown, where a server flushes), SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<{ graceful: boolean; code: number | null; signal: string | null }> {
    if (this.exitInfo === null) {
      this.child.kill('SIGTERM');
      const graceful = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!graceful) {
        this.child.kill('SIGKILL');
        await this.exited;
        return { graceful: false, code: this.exitInfo!.code, signal: this.exitInfo!.signal };
      }
    }
    return { graceful: true, code: this.exitInfo!.code, signal: this.exitInfo!.signal };
  }
}

/**
 * A server under test: its processes (one, or several sharing documents through Redis), all
 * started fresh on one environment. Clients of a document are spread evenly over the processes
 * (`targetOfClient`); the API calls go to the first one.
 */
export class ServerUnderTest {
  private constructor(
    readonly name: ServerName,
    readonly processes: ServerProcess[],
    /** Concord: the bench's account in this environment, once signed up (or handed over at a restart). */
    private concordCredentials: ConcordCredentials | undefined,
  ) {}

  /**
   * `credentials`: for a server restarted on an environment the bench already signed up in (they
   * are stored there); without them, a server with accounts gets a fresh sign-up at its first
   * createDocuments().
   */
  static async start(
    name: ServerName,
    options: { logFile: string; environment: ServerEnvironment; readyTimeoutMs?: number; credentials?: ConcordCredentials },
  ): Promise<ServerUnderTest> {
    const definition = DEFINITIONS[name];
    const processes: ServerProcess[] = [];
    try {
      // One after the other: the first one migrates a fresh schema.
      for (let i = 0; i < definition.processes; i++) {
        const label = definition.processes > 1 ? `${name} #${i + 1}` : name;
        processes.push(await ServerProcess.start(label, definition, options.environment.env(), options.logFile, options.readyTimeoutMs ?? 30_000));
      }
    } catch (error) {
      await Promise.all(processes.map((p) => p.stop()));
      throw error;
    }
    return new ServerUnderTest(name, processes, options.credentials);
  }

  /** Where the API is reached (the first process). */
  get httpUrl(): string {
    return this.processes[0].httpUrl;
  }

  /** The bench's account on a server with accounts (undefined before the first createDocuments()). */
  get credentials(): ConcordCredentials | undefined {
    return this.concordCredentials;
  }

  /** Where clients reach the document `room`: one target per process (with the token, if it needs one). */
  targets(room: string): DocTarget[] {
    const definition = DEFINITIONS[this.name];
    let headers: Record<string, string> | undefined;
    if (definition.accounts) {
      if (!this.concordCredentials) throw new Error(`${this.name}: no credentials yet (createDocuments() signs up)`);
      headers = bearerHeaders(this.concordCredentials.token);
    }
    return this.processes.map((p) => ({ framing: definition.framing, serverUrl: definition.serverUrl(p.port), room, ...(headers && { headers }) }));
  }

  /** Creates `count` documents and returns where clients reach each (per process). */
  async createDocuments(count: number, prefix: string): Promise<DocTarget[][]> {
    const documents: DocTarget[][] = [];
    if (DEFINITIONS[this.name].accounts) {
      // Concord serves only documents created through its API, in a working group, to its members.
      this.concordCredentials ??= await setUpConcord(this.httpUrl);
      for (let i = 0; i < count; i++) {
        documents.push(this.targets(await createConcordDocument(this.httpUrl, this.concordCredentials, 'bench')));
      }
    } else {
      for (let i = 0; i < count; i++) documents.push(this.targets(`${prefix}-${i}-${Math.random().toString(36).slice(2, 8)}`));
    }
    return documents;
  }

  /**
   * The probes of all processes, as one server: the worst event-loop delay, the sum of RSS (peaks
   * summed too: an upper bound of the peak of the sum) and of CPU.
   */
  async probe(window?: { startNs: number; endNs: number }): Promise<ProbeSample> {
    const samples = await Promise.all(this.processes.map((p) => p.probe(window)));
    const max = (f: (s: ProbeSample) => number): number => Math.max(...samples.map(f));
    const sum = (f: (s: ProbeSample) => number): number => samples.reduce((total, s) => total + f(s), 0);
    return {
      eventLoopDelayP99Ms: max((s) => s.eventLoopDelayP99Ms),
      eventLoopDelayMaxMs: max((s) => s.eventLoopDelayMaxMs),
      rssBytes: sum((s) => s.rssBytes),
      peakRssBytes: sum((s) => s.peakRssBytes),
      cpuPercent: sum((s) => s.cpuPercent),
      cpuSystemPercent: sum((s) => s.cpuSystemPercent),
    };
  }

  /** Stops every process (SIGTERM, SIGKILL after `graceMs`); graceful when all of them were. */
  async stop(graceMs?: number): Promise<{ graceful: boolean }> {
    const stopped = await Promise.all(this.processes.map((p) => p.stop(graceMs)));
    return { graceful: stopped.every((s) => s.graceful) };
  }
}
