/**
 * The servers under test, each started as its own child process with bench/probe.mjs preloaded and an
 * IPC channel to it, so every server's event loop, RSS and CPU are measured the same way and apart
 * from the client load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
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
}

export type ServerName = 'concord' | 'classic' | 'hocuspocus';
export const SERVER_NAMES: readonly ServerName[] = ['concord', 'classic', 'hocuspocus'];

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PROBE = pathToFileURL(join(REPO_ROOT, 'bench', 'probe.mjs')).href;
const HOST = '127.0.0.1';

interface ServerDefinition {
  /** Entry script, relative to the repository root. */
  entry: string;
  framing: FramingName;
  /** GET path that answers 200 once the server accepts connections. */
  healthPath: string;
  /** WebsocketProvider's serverUrl: the socket of room R is `${serverUrl}/${R}`. */
  serverUrl(port: number): string;
  env(port: number, dataDir: string | undefined): Record<string, string>;
  /** Keeps documents on disk (DATA_DIR), so stored size and reloads can be measured. */
  persistent: boolean;
  /**
   * Serves only documents created through its API, to accounts with a token (Concord): the bench
   * signs up once per fresh DATA_DIR and every client sends the token on the websocket upgrade.
   */
  accounts: boolean;
}

const DEFINITIONS: Record<ServerName, ServerDefinition> = {
  concord: {
    entry: 'server/src/main.ts',
    framing: 'y-websocket',
    healthPath: '/healthz',
    serverUrl: (port) => `ws://${HOST}:${port}/collab`,
    env: (port, dataDir) => ({ HOST, PORT: String(port), DATA_DIR: dataDir ?? '', LOG_LEVEL: 'warn' }),
    persistent: true,
    accounts: true,
  },
  classic: {
    // y-websocket@1.5.4's bin/server.js (+ bin/utils.js): in-memory, the reference implementation.
    entry: 'node_modules/y-websocket-classic/bin/server.js',
    framing: 'y-websocket',
    healthPath: '/',
    serverUrl: (port) => `ws://${HOST}:${port}`,
    env: (port) => ({ HOST, PORT: String(port) }),
    persistent: false,
    accounts: false,
  },
  hocuspocus: {
    entry: 'bench/peers/hocuspocus.ts',
    framing: 'hocuspocus',
    healthPath: '/',
    // Hocuspocus ignores the path; the document name travels in every frame.
    serverUrl: (port) => `ws://${HOST}:${port}`,
    env: (port) => ({ HOST, PORT: String(port) }),
    persistent: false,
    accounts: false,
  },
};

export const isPersistent = (name: ServerName): boolean => DEFINITIONS[name].persistent;

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

export class ServerProcess {
  private nextProbeId = 1;
  private readonly pendingProbes = new Map<number, (sample: ProbeSample) => void>();
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private readonly exited: Promise<void>;
  /** Concord: the bench's account on this DATA_DIR, once signed up (or handed over at a restart). */
  private concordCredentials: ConcordCredentials | undefined;

  private constructor(
    readonly name: ServerName,
    readonly port: number,
    readonly child: ChildProcess,
    readonly logFile: string,
    readonly dataDir: string | undefined,
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

  /**
   * `credentials`: for a server restarted on a DATA_DIR the bench already signed up on (they are
   * stored there); without them, a server with accounts gets a fresh sign-up at its first
   * createDocuments().
   */
  static async start(
    name: ServerName,
    options: { logFile: string; dataDir?: string; readyTimeoutMs?: number; credentials?: ConcordCredentials },
  ): Promise<ServerProcess> {
    const definition = DEFINITIONS[name];
    const port = await freePort();
    const log = openSync(options.logFile, 'a');
    // BENCH_SERVER_FLAGS: extra node flags for the servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    const extraFlags = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...extraFlags, '--import', 'tsx', '--import', PROBE, definition.entry], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...definition.env(port, options.dataDir) },
      stdio: ['ignore', log, log, 'ipc'],
    });
    closeSync(log);
    const server = new ServerProcess(name, port, child, options.logFile, options.dataDir);
    server.concordCredentials = options.credentials;
    await server.waitReady(options.readyTimeoutMs ?? 30_000);
    return server;
  }

  get framing(): FramingName {
    return DEFINITIONS[this.name].framing;
  }

  get httpUrl(): string {
    return `http://${HOST}:${this.port}`;
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const url = `${this.httpUrl}${DEFINITIONS[this.name].healthPath}`;
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

  /** The bench's account on a server with accounts (undefined before the first createDocuments()). */
  get credentials(): ConcordCredentials | undefined {
    return this.concordCredentials;
  }

  /** Where clients reach the document `room` on this server process (with the token, if it needs one). */
  target(room: string): DocTarget {
    const target: DocTarget = { framing: this.framing, serverUrl: DEFINITIONS[this.name].serverUrl(this.port), room };
    if (DEFINITIONS[this.name].accounts) {
      if (!this.concordCredentials) throw new Error(`${this.name}: no credentials yet (createDocuments() signs up)`);
      target.headers = bearerHeaders(this.concordCredentials.token);
    }
    return target;
  }

  /** Creates `count` documents and returns where clients reach them. */
  async createDocuments(count: number, prefix: string): Promise<DocTarget[]> {
    const targets: DocTarget[] = [];
    if (DEFINITIONS[this.name].accounts) {
      // Concord serves only documents created through its API, in a working group, to its members.
      this.concordCredentials ??= await setUpConcord(this.httpUrl);
      for (let i = 0; i < count; i++) {
        targets.push(this.target(await createConcordDocument(this.httpUrl, this.concordCredentials, 'bench')));
      }
    } else {
      for (let i = 0; i < count; i++) targets.push(this.target(`${prefix}-${i}-${Math.random().toString(36).slice(2, 8)}`));
    }
    return targets;
  }

  /**
   * Asks the preloaded probe for its figures now, or over a window of process.hrtime (ns) — the
   * same clock in every process — e.g. the load process's measurement window.
   */
  probe(window?: { startNs: number; endNs: number }, timeoutMs = 120_000): Promise<ProbeSample> {
    const id = this.nextProbeId++;
    const request = window ? { probe: 'window', id, ...window } : { probe: 'sample', id };
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
