/**
 * Bounds of the PDF export: a render over its time is stopped (the worker thread is terminated
 * and replaced), too many waiting exports are refused, a document over the size limit is refused
 * with a clear error, and failures never take the server down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoundedWorker, WorkerJobError } from '../../server/src/export/bounded-worker';
import { PdfExporter } from '../../server/src/export/index';
import { ApiError } from '../../server/src/http/index';
import { waitFor } from '../helpers/clients';
import { startTestServer, type TestServer } from '../helpers/server';
import { syntheticDraft } from './samples';
import { exportPdf, writeDraft } from './support';

type Job = { value?: number; spinMs?: number; fail?: boolean; crash?: boolean };
type Result = { value: number; threadId: number };
const SPIN_WORKER = new URL('./fixtures/spin-worker.mjs', import.meta.url);

// Budgets are generous (a busy two-core machine can take a second to start a thread, and a job's
// clock starts when it is handed to a thread, cold or not); the tests wait for outcomes, not time.
describe('BoundedWorker', () => {
  const logs: string[] = [];
  const worker = new BoundedWorker<Job, Result>(SPIN_WORKER, {
    timeoutMs: 30_000,
    maxQueued: 2,
    onLog: (message) => logs.push(message),
  });
  afterAll(() => worker.stop());

  it('runs jobs one at a time, in order', async () => {
    const results = await Promise.all([worker.run({ value: 1, spinMs: 30 }), worker.run({ value: 2 }), worker.run({ value: 3 })]);
    expect(results.map((r) => r.value)).toEqual([1, 2, 3]);
    expect(new Set(results.map((r) => r.threadId)).size).toBe(1);
  });

  it('stops a job over its time by replacing the thread; the jobs behind it still run', async () => {
    const hastyLogs: string[] = [];
    const hasty = new BoundedWorker<Job, Result>(SPIN_WORKER, { timeoutMs: 5_000, maxQueued: 2, onLog: (message) => hastyLogs.push(message) });
    const before = await hasty.run({ value: 0 });
    const started = Date.now();
    // Would spin for two minutes: only the time limit ends it.
    const slow = hasty.run({ value: 1, spinMs: 120_000 });
    const next = hasty.run({ value: 2 });
    await expect(slow).rejects.toMatchObject({ code: 'export_timeout', message: 'typesetting took longer than 5 s and was stopped' });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(4_900);
    expect(waited).toBeLessThan(60_000);
    const after = await next;
    expect(after.value).toBe(2);
    expect(after.threadId).not.toBe(before.threadId);
    expect(hastyLogs.some((line) => /ran over 5000 ms; worker terminated/.test(line))).toBe(true);
    await hasty.stop();
  });

  it('refuses jobs beyond its queue at once', async () => {
    const running = worker.run({ value: 1, spinMs: 100 });
    const queued = [worker.run({ value: 2 }), worker.run({ value: 3 })];
    await expect(worker.run({ value: 4 })).rejects.toMatchObject({ code: 'export_busy' });
    await Promise.all([running, ...queued]);
  });

  it('ends an idle thread and starts a new one for the next job', async () => {
    const idle = new BoundedWorker<Job, Result>(SPIN_WORKER, { timeoutMs: 30_000, maxQueued: 1, idleMs: 100, onLog: () => {} });
    const first = await idle.run({ value: 1 });
    // Asked in the same turn the first finished: the idle timer cannot have fired.
    expect((await idle.run({ value: 2 })).threadId).toBe(first.threadId);
    await waitFor(() => !idle.hasThread, 10_000, 'the idle thread to end');
    expect((await idle.run({ value: 3 })).threadId).not.toBe(first.threadId);
    await idle.stop();
  });

  it('reports a failed job and survives a crashed thread', async () => {
    await expect(worker.run({ fail: true })).rejects.toMatchObject({ code: 'export_failed', message: 'failed on purpose' });
    await expect(worker.run({ crash: true })).rejects.toBeInstanceOf(WorkerJobError);
    expect((await worker.run({ value: 7 })).value).toBe(7);
  });
});

describe('PdfExporter limits', () => {
  let server: TestServer;
  let docId: string;

  beforeAll(async () => {
    server = await startTestServer();
    docId = await writeDraft(server, syntheticDraft());
  });
  afterAll(() => server.stop());

  const exporter = (limits: ConstructorParameters<typeof PdfExporter>[1]) =>
    new PdfExporter({ store: server.store, registry: server.server.registry, onWorkerLog: () => {} }, limits);

  it('refuses a document over the size limit with a clear error', async () => {
    const small = exporter({ maxStateBytes: 1_000 });
    const error = await small.export(docId, { paper: 'a4', toc: true, watermark: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 413, code: 'too_large' });
    expect((error as Error).message).toMatch(/too large to export as PDF .* the limit is/);
    const tight = exporter({ maxDataBytes: 2_000 });
    await expect(tight.export(docId, { paper: 'a4', toc: true, watermark: false })).rejects.toMatchObject({ status: 413, code: 'too_large' });
    await Promise.all([small.close(), tight.close()]);
  });

  it('stops a render over its time and says so', async () => {
    const hasty = exporter({ timeoutMs: 1 });
    await expect(hasty.export(docId, { paper: 'a4', toc: true, watermark: false })).rejects.toMatchObject({
      status: 503,
      code: 'export_timeout',
      message: expect.stringMatching(/took longer than .* and was stopped/),
    });
    await hasty.close();
    // The server's own exporter is unaffected.
    expect((await exportPdf(server, server.owner.auth, docId)).status).toBe(200);
  });
});
