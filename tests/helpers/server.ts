/**
 * Start the real Concord server for tests: in-process (fast; restartable on the same data dir)
 * or as a child process (for SIGKILL / SIGTERM tests).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../server/src/config';
import type { Fanout } from '../../server/src/fanout/index';
import { startServer, type RunningServer } from '../../server/src/server';
import { openSqliteStore, type Store } from '../../server/src/store/index';
import { apiOk, ensureOwner, type Auth, type Owner } from './accounts';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/**
 * Tests call the API with their accounts' tokens far faster than any script (hundreds of
 * requests a second), so test servers lift the per-token rate limit unless a test sets it
 * (tests/http/token-rate-limit.test.ts does).
 */
const TEST_RATE_LIMITS = { TOKEN_RATE_PER_SECOND: '100000', TOKEN_RATE_BURST: '100000' };

export function tempDataDir(prefix = 'concord-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface TestServer {
  server: RunningServer;
  store: Store;
  /** The installation's first account, co-chair of a group; tests create documents there. */
  owner: Owner;
  dataDir: string;
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  /** ws://127.0.0.1:PORT/collab — the serverUrl for WebsocketProvider */
  collabUrl: string;
  /** Graceful stop: flush, close sockets, close the store. */
  stop(): Promise<void>;
}

/**
 * Starts a server in this process. Pass `port` to restart on the same port, `env` to override
 * settings; `store` to share one store between servers (it is then the caller's to close) and
 * `fanout` to connect them as the processes of one deployment.
 */
export async function startTestServer(
  options: { dataDir?: string; port?: number; env?: Record<string, string>; wrapStore?: (store: Store) => Store; store?: Store; fanout?: Fanout } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const config = loadConfig({
    PORT: String(options.port ?? 0),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    CLIENT_DIR: join(REPO_ROOT, 'dist/client'),
    ...TEST_RATE_LIMITS,
    ...options.env,
  });
  const ownsStore = options.store === undefined;
  const opened = options.store ?? openSqliteStore({ path: join(dataDir, 'concord.sqlite') });
  const store = options.wrapStore ? options.wrapStore(opened) : opened;
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const server = await startServer({ config, store, log, fanout: options.fanout });
  const url = `http://127.0.0.1:${server.port}`;
  return {
    server,
    store,
    owner: await ensureOwner(url, dataDir),
    dataDir,
    port: server.port,
    url,
    collabUrl: `ws://127.0.0.1:${server.port}/collab`,
    async stop() {
      await server.close();
      if (ownsStore) await store.close();
    },
  };
}

export interface ServerProcess {
  child: ChildProcess;
  owner: Owner;
  port: number;
  url: string;
  collabUrl: string;
  /** Every line the process logged so far (JSON strings). */
  logs: string[];
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<number | string | null>;
}

/** Spawns `node --import tsx server/src/main.ts` and waits until it says where it listens. */
export async function spawnServerProcess(options: { dataDir: string; port?: number; env?: Record<string, string> }): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(options.port ?? 0),
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      LOG_LEVEL: 'info',
      ...TEST_RATE_LIMITS,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | string | null>((resolveExit) =>
    child.on('exit', (code, signal) => resolveExit(signal ?? code)),
  );
  const port = await new Promise<number>((resolvePort, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      // Not left running behind the failed test (nothing else knows about it).
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${logs.join('\n')}`));
    }, 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        logs.push(line);
        try {
          const entry = JSON.parse(line);
          if (typeof entry.port === 'number' && entry.url) {
            clearTimeout(timer);
            resolvePort(entry.port);
          }
        } catch {
          // not JSON: keep it in logs
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${logs.join('\n')}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return { child, owner: await ensureOwner(url, options.dataDir), port, url, collabUrl: `ws://127.0.0.1:${port}/collab`, logs, exited };
}

/** Creates a document in the owner's group (or `groupId`, as `auth`) and returns its id. */
export async function createDocument(
  target: { url: string; owner: Owner },
  title = 'Test draft',
  as: { auth: Auth; groupId: string } = target.owner,
): Promise<string> {
  const created = await apiOk<{ id: string }>(target.url, as.auth, 'POST', '/api/documents', { title, groupId: as.groupId }, 201);
  return created.id;
}
