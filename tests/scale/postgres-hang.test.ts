/**
 * PostgreSQL that hangs (SIGSTOP: connections stay open, nothing answers) instead of refusing:
 * every store call has a deadline (STORE_TIMEOUT_MS), so the API answers 503 store_unavailable
 * within about that deadline, /readyz says not_ready, and both recover once it runs again. A
 * process asked to stop meanwhile (SIGTERM) still ends.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgresStore, type Store } from '../../server/src/store/index';
import { api } from '../helpers/accounts';
import { appendParagraph, connectClient, waitForSync, type TestClient } from '../helpers/clients';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres';
import { createDocument, spawnServerProcess, startTestServer, tempDataDir, type TestServer } from '../helpers/server';

const DEADLINE_MS = 1000;
const CHILD_DEADLINE_MS = 2000;

let postgres: PrivatePostgres;
let store: Store;
let server: TestServer;
const clients: TestClient[] = [];

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  store = await openPostgresStore({ connectionString: postgres.url, timeoutMs: DEADLINE_MS });
  server = await startTestServer({ dataDir: tempDataDir(), store, env: { STORE_TIMEOUT_MS: String(DEADLINE_MS) } });
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.destroy();
  postgres?.resume();
  await server?.stop();
  await store?.close();
  postgres?.destroy();
}, 60_000);

/** Asks /readyz until it answers `status` (each answer takes at most the readiness deadline). */
async function readyzUntil(url: string, status: number, timeoutMs = 30_000): Promise<{ status: number; body: any }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${url}/readyz`);
    const body = await response.json();
    if (response.status === status) return { status: response.status, body };
    if (Date.now() > deadline) throw new Error(`/readyz kept answering ${response.status} ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

it('with PostgreSQL paused, the API answers 503 store_unavailable within the deadline and /readyz says not ready; both recover', async () => {
  const docId = await createDocument(server, 'Hang');
  expect((await api(server.url, server.owner.auth, 'GET', '/api/documents')).status).toBe(200);
  const ready = await fetch(`${server.url}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ status: 'ready' });

  postgres.pause();
  try {
    // Reads (the credentials' lookup is the first store call) and writes, one after the other and at once.
    const listed = await timed(() => api(server.url, server.owner.auth, 'GET', '/api/documents'));
    expect(listed.result.status).toBe(503);
    expect(listed.result.body.error.code).toBe('store_unavailable');
    expect(listed.result.headers.get('retry-after')).toBe('5');
    expect(listed.ms).toBeLessThan(3 * DEADLINE_MS);

    const burst = await timed(() =>
      Promise.all([
        ...Array.from({ length: 12 }, () => api(server.url, server.owner.auth, 'GET', `/api/documents/${docId}`)),
        api(server.url, server.owner.auth, 'POST', '/api/documents', { title: 'During the hang', groupId: server.owner.groupId }),
      ]),
    );
    for (const response of burst.result) expect(response.status, JSON.stringify(response.body)).toBe(503);
    expect(burst.ms).toBeLessThan(3 * DEADLINE_MS);

    const notReady = await timed(() => fetch(`${server.url}/readyz`));
    expect(notReady.result.status).toBe(503);
    const body = await notReady.result.json();
    expect(body.status).toBe('not_ready');
    expect(body.reasons.join(' ')).toMatch(/^store: /);
    expect(notReady.ms).toBeLessThan(3 * DEADLINE_MS);
    // Liveness is not readiness: the process itself is fine.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    console.log(`hung store: 503 after ${Math.round(listed.ms)} ms, burst of 13 after ${Math.round(burst.ms)} ms, /readyz 503 after ${Math.round(notReady.ms)} ms (deadline ${DEADLINE_MS} ms)`);
  } finally {
    postgres.resume();
  }

  expect((await readyzUntil(server.url, 200)).body).toEqual({ status: 'ready' });
  expect((await api(server.url, server.owner.auth, 'GET', '/api/documents')).status).toBe(200);
}, 60_000);

it('a process asked to stop (SIGTERM) while PostgreSQL is paused ends within a few deadlines', async () => {
  const child = await spawnServerProcess({
    // The same data folder as the in-process server: its owner (kept there) is the database's.
    dataDir: server.dataDir,
    // A longer deadline than the in-process server's: this process connects afresh, on a busy machine.
    env: { DATABASE_URL: postgres.url, STORE_TIMEOUT_MS: String(CHILD_DEADLINE_MS), LOG_LEVEL: 'info' },
  });
  try {
    const docId = await createDocument(child, 'Stopping during a hang').catch((error) => {
      throw new Error(`${error}\n${child.logs.join('\n')}`);
    });
    const writer = connectClient(child, docId);
    clients.push(writer);
    await waitForSync(writer);
    postgres.pause();
    // An edit the process cannot store: the shutdown tries to store it, fails within the deadline, and goes on.
    appendParagraph(writer.doc, 'typed while the database hangs');
    const stopped = await timed(async () => {
      child.child.kill('SIGTERM');
      return child.exited;
    });
    expect(stopped.result).toBe(0);
    console.log(`SIGTERM with a hung store: exited after ${Math.round(stopped.ms)} ms (deadline ${CHILD_DEADLINE_MS} ms)`);
    // Storing the edit and compacting fail within a deadline each, then the store closes.
    expect(stopped.ms).toBeLessThan(8 * CHILD_DEADLINE_MS);
  } finally {
    postgres.resume();
    child.child.kill('SIGKILL');
  }
}, 60_000);
