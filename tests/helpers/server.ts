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
import { startServer, type RunningServer } from '../../server/src/server';
import { openSqliteStore, type DocStore } from '../../server/src/store/index';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

export function tempDataDir(prefix = 'concord-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface TestServer {
  server: RunningServer;
  store: DocStore;
  dataDir: string;
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  /** ws://127.0.0.1:PORT/collab — the serverUrl for WebsocketProvider */
  collabUrl: string;
  /** Graceful stop: flush, close sockets, close the store. */
  stop(): Promise<void>;
}

/** Starts a server in this process. Pass `port` to restart on the same port, `env` to override settings. */
export async function startTestServer(
  options: { dataDir?: string; port?: number; env?: Record<string, string>; wrapStore?: (store: DocStore) => DocStore } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const config = loadConfig({
    PORT: String(options.port ?? 0),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    CLIENT_DIR: join(REPO_ROOT, 'dist/client'),
    ...options.env,
  });
  const sqlite = openSqliteStore({ path: join(dataDir, 'concord.sqlite') });
  const store = options.wrapStore ? options.wrapStore(sqlite) : sqlite;
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const server = await startServer({ config, store, log });
  return {
    server,
    store,
    dataDir,
    port: server.port,
    url: `http://127.0.0.1:${server.port}`,
    collabUrl: `ws://127.0.0.1:${server.port}/collab`,
    async stop() {
      await server.close();
      await store.close();
    },
  };
}

export interface ServerProcess {
  child: ChildProcess;
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
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${logs.join('\n')}`)), 30_000);
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
  return { child, port, url: `http://127.0.0.1:${port}`, collabUrl: `ws://127.0.0.1:${port}/collab`, logs, exited };
}

/** POST /api/documents and return the new id. */
export async function createDocument(baseUrl: string, title = 'Test draft'): Promise<string> {
  const response = await fetch(`${baseUrl}/api/documents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}
