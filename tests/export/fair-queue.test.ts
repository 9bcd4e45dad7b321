/**
 * Exports and imports wait their turn fairly between accounts: round robin, at most a few per
 * account waiting or running (429 `too_many_requests` with Retry-After beyond), so one reader's
 * 30 parallel exports cannot shut out everyone else's.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoundedWorker } from '../../server/src/export/bounded-worker';
import { FairQueue } from '../../server/src/export/fair-queue';
import { addMember, api, authHeaders, type TestAccount } from '../helpers/accounts';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';

type Job = { value?: number; spinMs?: number };
type Result = { value: number; threadId: number };
const SPIN_WORKER = new URL('./fixtures/spin-worker.mjs', import.meta.url);

describe('FairQueue', () => {
  type Op = { kind: 'push'; owner: number } | { kind: 'shift' } | { kind: 'done'; index: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('push' as const), owner: fc.nat({ max: 4 }) }),
    fc.record({ kind: fc.constant('shift' as const) }),
    fc.record({ kind: fc.constant('done' as const), index: fc.nat() }),
  );

  it('serves each owner in order, passes a waiting owner at most once per other owner, counts loads, forgets idle owners (property)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const queue = new FairQueue<{ owner: string; n: number }>();
        const pushed = new Map<string, number>();
        const served = new Map<string, number>();
        const taken: string[] = [];
        /** For each waiting owner: the owners served since it last was (or since it started waiting). */
        const passedBy = new Map<string, Set<string>>();
        const waiting = new Map<string, number>();
        const load = new Map<string, number>();
        for (const step of ops) {
          if (step.kind === 'push') {
            const owner = `o${step.owner}`;
            const n = pushed.get(owner) ?? 0;
            pushed.set(owner, n + 1);
            queue.push(owner, { owner, n });
            if (!waiting.get(owner)) passedBy.set(owner, new Set());
            waiting.set(owner, (waiting.get(owner) ?? 0) + 1);
            load.set(owner, (load.get(owner) ?? 0) + 1);
          } else if (step.kind === 'shift') {
            const next = queue.shift();
            if ([...waiting.values()].every((n) => n === 0)) {
              expect(next).toBeUndefined();
              continue;
            }
            expect(next).toBeDefined();
            const { owner, item } = next!;
            // In order within an owner.
            expect(item.owner).toBe(owner);
            expect(item.n).toBe(served.get(owner) ?? 0);
            served.set(owner, item.n + 1);
            // Nobody waiting was passed twice by the same owner.
            for (const [other, count] of waiting) {
              if (other === owner || count === 0) continue;
              expect(passedBy.get(other)!.has(owner)).toBe(false);
              passedBy.get(other)!.add(owner);
            }
            passedBy.set(owner, new Set());
            waiting.set(owner, waiting.get(owner)! - 1);
            taken.push(owner);
          } else if (taken.length > 0) {
            const [owner] = taken.splice(step.index % taken.length, 1);
            queue.done(owner);
            load.set(owner, load.get(owner)! - 1);
          }
          expect(queue.size).toBe([...waiting.values()].reduce((sum, n) => sum + n, 0));
          for (const [owner, n] of load) expect(queue.load(owner)).toBe(n);
        }
        // Drained and done: nothing is remembered.
        while (queue.shift()) {
          // drain
        }
        for (const [owner, n] of load) for (let i = 0; i < n; i++) queue.done(owner);
        expect(queue.remembered).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('alternates between owners', () => {
    const queue = new FairQueue<string>();
    for (const item of ['a1', 'a2', 'a3']) queue.push('a', item);
    for (const item of ['b1', 'b2']) queue.push('b', item);
    queue.push('c', 'c1');
    const order = [];
    for (let next = queue.shift(); next; next = queue.shift()) order.push(next.item);
    expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
  });
});

describe('BoundedWorker between owners', () => {
  const worker = new BoundedWorker<Job, Result>(SPIN_WORKER, { timeoutMs: 30_000, maxQueued: 20, maxPerOwner: 3, onLog: () => {} });
  afterAll(() => worker.stop());

  it('takes turns: an owner arriving behind another owner\'s jobs runs after the running one', async () => {
    const finished: string[] = [];
    const track = (name: string, owner: string) => worker.run({ value: 0 }, { owner }).then(() => finished.push(name));
    // All queued in one turn: a1 is running, the rest wait.
    await Promise.all([track('a1', 'a'), track('a2', 'a'), track('a3', 'a'), track('b1', 'b'), track('c1', 'c'), track('b2', 'b')]);
    expect(finished).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
  });

  it('refuses an owner\'s jobs beyond its cap with too_many_requests, at once; others still get in; the cap frees as jobs finish', async () => {
    const accepted = Array.from({ length: 30 }, (_, i) => worker.run({ value: i }, { owner: 'greedy' }));
    const outcomes = await Promise.allSettled(accepted.slice(3));
    expect(outcomes.every((o) => o.status === 'rejected' && (o.reason as { code: string }).code === 'too_many_requests')).toBe(true);
    expect(worker.loadOf('greedy')).toBe(3);
    // Another account is not refused: its job is queued and runs.
    expect((await worker.run({ value: 99 }, { owner: 'modest' })).value).toBe(99);
    expect((await Promise.all(accepted.slice(0, 3))).map((r) => r.value)).toEqual([0, 1, 2]);
    expect(worker.loadOf('greedy')).toBe(0);
    expect((await worker.run({ value: 7 }, { owner: 'greedy' })).value).toBe(7);
  });

  it('still refuses everyone with export_busy when the whole queue is full', async () => {
    const small = new BoundedWorker<Job, Result>(SPIN_WORKER, { timeoutMs: 30_000, maxQueued: 2, maxPerOwner: 3, onLog: () => {} });
    const jobs = ['a', 'b', 'c'].map((owner) => small.run({ value: 1 }, { owner }));
    await expect(small.run({ value: 1 }, { owner: 'd' })).rejects.toMatchObject({ code: 'export_busy' });
    await Promise.all(jobs);
    await small.stop();
  });
});

describe('exports over HTTP', () => {
  let server: TestServer;
  let reader: TestAccount;
  let docId: string;

  beforeAll(async () => {
    server = await startTestServer();
    reader = await addMember(server.url, server.owner.auth, server.owner.groupId, 'observer', 'Reader');
    docId = await createDocument(server, 'Exported by many');
  });
  afterAll(() => server.stop());

  const exportAs = (account: { auth: TestAccount['auth'] }, path = 'export.pdf') =>
    fetch(`${server.url}/api/documents/${docId}/${path}`, { headers: authHeaders(account.auth) }).then(async (response) => ({
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: response.headers.get('content-type')?.startsWith('application/json') ? await response.json() : null,
    }));

  it('one reader\'s 30 parallel PDF exports: the excess gets 429 with Retry-After, and another account\'s export still goes through', async () => {
    const flood = await Promise.all(Array.from({ length: 30 }, () => exportAs(reader)));
    const ok = flood.filter((r) => r.status === 200);
    const refused = flood.filter((r) => r.status !== 200);
    // A reader's exports that finish while the flood still arrives free their slots, so a few more may get in.
    expect(ok.length).toBeGreaterThanOrEqual(3);
    expect(refused.length).toBeGreaterThanOrEqual(20);
    for (const r of refused) {
      expect(r.status).toBe(429);
      expect(r.body.error.code).toBe('too_many_requests');
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    expect((await exportAs(server.owner)).status).toBe(200);
  });

  it('while a reader\'s exports fill their share, another account\'s export is not refused', async () => {
    const flood = Array.from({ length: 30 }, () => exportAs(reader));
    const mine = exportAs(server.owner);
    const [theirs, own] = await Promise.all([Promise.all(flood), mine]);
    expect(own.status).toBe(200);
    expect(theirs.some((r) => r.status === 429)).toBe(true);
    expect(theirs.every((r) => r.status === 200 || r.status === 429)).toBe(true);
  });

  it('conversions are capped per account the same way', async () => {
    const flood = await Promise.all(Array.from({ length: 30 }, () => exportAs(reader, 'export.md')));
    expect(flood.every((r) => r.status === 200 || (r.status === 429 && r.body.error.code === 'too_many_requests' && r.retryAfter !== null))).toBe(true);
    expect(flood.some((r) => r.status === 429)).toBe(true);
    const imported = await api(server.url, server.owner.auth, 'POST', '/api/documents/import', {
      groupId: server.owner.groupId,
      format: 'markdown',
      content: '# Imported while a reader floods the queue\n\nStill here.',
    });
    expect(imported.status).toBe(201);
  });
});
