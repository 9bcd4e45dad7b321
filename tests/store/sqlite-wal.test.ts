import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openSqliteStore, type Store } from '../../server/src/store/index';
import { WAL_SIZE_LIMIT_BYTES } from '../../server/src/store/sqlite/open';
import { tempDataDir } from '../helpers/server';

const DOC = 'AAAAAAAAAAAAAAAA';
const USER = 'BBBBBBBBBBBBBBBB';
const GROUP = 'CCCCCCCCCCCCCCCC';
const MiB = 1024 * 1024;

let store: Store | null = null;
afterEach(async () => {
  await store?.close();
  store = null;
});

function walBytes(path: string): number {
  return existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0;
}

async function openWithDocument(options: { walIdleMs?: number; walRestartBytes?: number }): Promise<{ path: string; store: Store }> {
  const path = join(tempDataDir(), 'concord.sqlite');
  const opened = openSqliteStore({ path, ...options, onWorkerError: (m) => console.log(m) });
  store = opened;
  await opened.createUser({ id: USER, email: 'chair@example.org', name: 'Chair', passwordHash: 'unused', onlyIfFirst: true });
  await opened.createGroup({ id: GROUP, name: 'Working Group on Strategy', description: '', creatorId: USER });
  await opened.createDocument({ id: DOC, title: 'Priorities from the Options Paper', groupId: GROUP });
  return { path, store: opened };
}

/** Polls `read` until `done` holds, for at most `deadlineMs` (generous: a loaded machine is slow, not wrong). */
async function waitFor<T>(read: () => T, done: (value: T) => boolean, deadlineMs: number): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const value = read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('truncates the WAL to nothing once the store is idle after churn, without closing it', async () => {
  const { path, store } = await openWithDocument({ walIdleMs: 1000 });
  const doc = new Y.Doc();
  const text = doc.getText('body');
  let writes: Promise<void>[] = [];
  doc.on('update', (update: Uint8Array) => writes.push(store.appendUpdate(DOC, update)));
  // Churn: many small stored batches, folded by compaction now and then (as rooms do).
  let peak = 0;
  for (let round = 0; round < 40; round++) {
    for (let i = 0; i < 250; i++) text.insert(text.length, `V.${i % 12} proposal text `);
    await Promise.all(writes);
    writes = [];
    await store.compact(DOC);
    peak = Math.max(peak, walBytes(path));
  }
  console.log(`WAL peak ${(peak / MiB).toFixed(1)} MiB during churn`);
  expect(peak).toBeGreaterThan(256 * 1024);

  // Idle: the worker checkpoints with TRUNCATE while the store stays open.
  expect(await waitFor(() => walBytes(path), (bytes) => bytes === 0, 30_000)).toBe(0);
  // And the store still works, with everything in it.
  text.insert(0, 'Preamble. ');
  await Promise.all(writes);
  const stored = new Y.Doc();
  const content = await store.loadContent(DOC);
  if (content.snapshot) Y.applyUpdate(stored, content.snapshot);
  for (const update of content.updates) Y.applyUpdate(stored, update);
  expect(stored.getText('body').toString()).toBe(text.toString());
}, 120_000);

it('keeps the WAL bounded under continuous writes', async () => {
  const restartBytes = 1 * MiB;
  const { path, store } = await openWithDocument({
    walRestartBytes: Number(process.env.WAL_TEST_RESTART_BYTES ?? restartBytes),
    walIdleMs: 600_000,
  });
  // 64 KiB of changes every 20 ms (at most ~3 MiB/s), until 24 MiB are stored: commits land during
  // nearly every passive checkpoint, so without a RESTART the log never starts over and the -wal
  // file grows by everything written (> 24 MiB; ~70 MiB measured).
  const payload = 'x'.repeat(16 * 1024);
  const doc = new Y.Doc();
  const map = doc.getMap('m');
  let peak = 0;
  let written = 0;
  while (written < 24 * MiB) {
    const pending: Promise<void>[] = [];
    const store_ = (update: Uint8Array) => pending.push(store.appendUpdate(DOC, update));
    doc.on('update', store_);
    for (let i = 0; i < 4; i++) map.set(`k${i}`, `${written}-${i}-${payload}`);
    doc.off('update', store_);
    await Promise.all(pending);
    written += 4 * payload.length;
    peak = Math.max(peak, walBytes(path));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  console.log(`WAL peak ${(peak / MiB).toFixed(1)} MiB after ${(written / MiB).toFixed(1)} MiB of changes`);
  // The limit the log is cut back to, the backlog that triggers a RESTART, and what ~3 s of this
  // load writes (pages cost ~3x the payload) between the worker's 1 s ticks on a slow machine.
  expect(peak).toBeLessThan(WAL_SIZE_LIMIT_BYTES + restartBytes + 26 * MiB);
}, 180_000);
