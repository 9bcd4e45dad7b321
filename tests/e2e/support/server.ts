/**
 * Starts the real Concord server (server/src/main.ts) as a child process on a free port with a
 * temporary DATA_DIR, for browser tests. The server starts fresh: no accounts (support/accounts.ts
 * makes them). The client must be built (dist/client); if it isn't,
 * it is built once here.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');

export interface TestServer {
  url: string;
  port: number;
  dataDir: string;
  /** Everything the server printed (for failure messages). */
  output: () => string;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

export function ensureClientBuilt(): void {
  if (existsSync(join(REPO_ROOT, 'dist/client/index.html'))) return;
  // A production build whatever the test runner set (NODE_ENV=test would build React's development
  // copy and leave out the service worker).
  execFileSync(join(REPO_ROOT, 'node_modules/.bin/vite'), ['build'], { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}

/** `env`: settings of this server (e.g. SMTP_URL). */
export async function startServer(options: { env?: Record<string, string> } = {}): Promise<TestServer> {
  ensureClientBuilt();
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'concord-e2e-'));
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not answer /healthz within 20 s:\n${output}`);
    }
    await new Promise((wait) => setTimeout(wait, 150));
  }

  return {
    url,
    port,
    dataDir,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise<void>((done) => child.once('exit', () => done()));
        child.kill('SIGTERM');
        const timeout = new Promise<void>((done) => setTimeout(done, 5000));
        await Promise.race([exited, timeout]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
