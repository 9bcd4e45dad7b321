/**
 * SQLite on a volume that really fills up (a 4 MiB tmpfs of the test's own): writes answer
 * 503 store_unavailable, /readyz says not ready, the WAL checkpoints that fail every second are
 * logged once when they start failing and once when they work again, and everything recovers
 * when space is freed. Needs permission to mount a tmpfs (root with CAP_SYS_ADMIN); skipped otherwise.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSqliteStore, type Store } from '../../server/src/store/index';
import { api } from '../helpers/accounts';
import { waitFor } from '../helpers/clients';
import { createDocument, startTestServer, tempDataDir, type TestServer } from '../helpers/server';

const volume = mkdtempSync(join(tmpdir(), 'concord-full-'));
const canMount = (() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', volume], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const path = join(volume, 'concord.sqlite');
const workerLogs: string[] = [];
let store: Store;
let server: TestServer;
const fillers: string[] = [];

beforeAll(async () => {
  if (!canMount) return;
  store = openSqliteStore({ path, onWorkerError: (message) => workerLogs.push(message), walIdleMs: 60 * 60_000 });
  // The owner's details are kept in the data folder: not on the volume that will be full.
  server = await startTestServer({ dataDir: tempDataDir(), store });
});

afterAll(async () => {
  for (const file of fillers.splice(0)) rmSync(file, { force: true });
  await server?.stop();
  await store?.close();
  if (canMount) execFileSync('umount', [volume]);
  rmSync(volume, { recursive: true, force: true });
});

/** Writes files until the volume is full. */
function fillVolume(): void {
  for (const size of [256 * 1024, 16 * 1024, 512]) {
    try {
      for (;;) {
        const file = join(volume, `filler-${fillers.length}`);
        fillers.push(file);
        writeFileSync(file, Buffer.alloc(size, 1));
      }
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
  }
}

it.runIf(canMount)('a full volume: 503 store_unavailable, /readyz 503, checkpoint failures logged once; all back once space is freed', async () => {
  await createDocument(server, 'Before the disk filled up');
  expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

  // Changes in the WAL that the checkpoint must copy into a larger database file: a reader's
  // snapshot holds them back until the volume is full.
  const writer = new Database(path);
  const reader = new Database(path);
  try {
    writer.exec('CREATE TABLE filler (x BLOB)');
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM filler').get();
    writer.prepare('INSERT INTO filler (x) VALUES (randomblob(?))').run(512 * 1024);
    fillVolume();
    reader.exec('COMMIT');
  } finally {
    reader.close();
    writer.close();
  }

  const created = await api(server.url, server.owner.auth, 'POST', '/api/documents', { title: 'On a full disk', groupId: server.owner.groupId });
  expect(created.status, JSON.stringify(created.body)).toBe(503);
  expect(created.body.error.code).toBe('store_unavailable');
  expect(created.headers.get('retry-after')).toBe('5');
  const notReady = await fetch(`${server.url}/readyz`);
  expect(notReady.status).toBe(503);
  expect((await notReady.json()).reasons.join(' ')).toMatch(/store: disk full/);

  await waitFor(() => workerLogs.some((line) => line.startsWith('checkpoint failed')), 30_000, 'a checkpoint to fail');
  // Let the worker fail a few more ticks (one a second): none of them is logged.
  const firstFailure = Date.now();
  await waitFor(() => Date.now() - firstFailure > 2_500, 10_000, 'a few more checkpoint ticks');

  for (const file of fillers.splice(0)) rmSync(file, { force: true });
  await waitFor(() => workerLogs.some((line) => line.startsWith('checkpoints work again')), 30_000, 'checkpoints to work again');
  expect(workerLogs.filter((line) => line.startsWith('checkpoint failed'))).toHaveLength(1);
  expect(workerLogs.find((line) => line.startsWith('checkpoints work again'))).toMatch(/^checkpoints work again after \d+ s \(\d+ failed tries\)$/);

  expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  expect((await api(server.url, server.owner.auth, 'POST', '/api/documents', { title: 'After', groupId: server.owner.groupId })).status).toBe(201);
  console.log(`disk full: ${workerLogs.join(' | ')}`);
}, 60_000);
