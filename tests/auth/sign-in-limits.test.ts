/**
 * The sign-in limits on their own, on a clock the test moves: the backoff of one account from one
 * address grows 1 s, 2 s, 4 s … up to 15 minutes, never touches another account or address, and
 * two processes relaying their changes to each other agree on every wait.
 */
import { fc, it } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { accountAddressKey, BackoffLimiter, createSignInLimits, RateLimiter, SIGN_IN_BACKOFF } from '../../server/src/auth/rate-limiter';

/** A clock that stands still unless moved. */
function testClock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('the backoff of one account from one address', () => {
  it('lets a guesser who retries as soon as allowed wait 1 s, 2 s, 4 s … and at most 15 minutes', () => {
    const clock = testClock();
    const limiter = new BackoffLimiter(SIGN_IN_BACKOFF, clock.now);
    const waits: number[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      const wait = limiter.retryAfterSeconds('k');
      waits.push(wait);
      clock.advance(wait * 1000);
      expect(limiter.retryAfterSeconds('k')).toBe(0);
      limiter.record('k');
    }
    expect(waits).toEqual([0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900, 900]);
  });

  it('counts each wait from when the try before it failed, not from when it started', () => {
    const clock = testClock();
    const limiter = new BackoffLimiter(SIGN_IN_BACKOFF, clock.now);
    for (let i = 0; i < 5; i++) limiter.settle('k', limiter.record('k'));
    clock.advance(1000);
    // A sixth try, judged slowly (a busy server): its wait of 2 s starts when it is answered.
    const started = limiter.record('k');
    clock.advance(5000);
    expect(limiter.retryAfterSeconds('k')).toBe(0); // 2 s after it started: over, if it had succeeded
    limiter.settle('k', started);
    expect(limiter.retryAfterSeconds('k')).toBe(2);
    // The same in the sliding window across accounts: a failure counts from when it ended.
    const window = new RateLimiter(1, 60_000, clock.now);
    const at = window.record('address');
    clock.advance(59_000);
    window.settle('address', at);
    clock.advance(2000);
    expect(window.retryAfterSeconds('address')).toBe(58);
    // A success takes its try back.
    window.forgive('address', clock.now() - 2000);
    expect(window.retryAfterSeconds('address')).toBe(0);
  });

  it('is cleared by a success, and forgets a key left alone for a day', () => {
    const clock = testClock();
    const limiter = new BackoffLimiter(SIGN_IN_BACKOFF, clock.now);
    for (let i = 0; i < 6; i++) limiter.record('k');
    expect(limiter.retryAfterSeconds('k')).toBe(2);
    limiter.reset('k');
    expect(limiter.retryAfterSeconds('k')).toBe(0);
    for (let i = 0; i < 20; i++) limiter.record('k');
    expect(limiter.retryAfterSeconds('k')).toBe(900);
    clock.advance(24 * 3600_000);
    limiter.record('k');
    expect(limiter.retryAfterSeconds('k')).toBe(0);
  });

  const attempt = fc.record({
    /** Whose attempt: the attacker's address, the owner's, or the owner from the attacker's address. */
    key: fc.constantFrom(accountAddressKey('chair@example.org', '203.0.113.66'), accountAddressKey('chair@example.org', '198.51.100.7'), accountAddressKey('member@example.org', '203.0.113.66')),
    afterMs: fc.integer({ min: 0, max: 20 * 60_000 }),
    succeeds: fc.boolean(),
  });

  it.prop([fc.array(attempt, { maxLength: 60 })])('never makes one account and address wait for another’s attempts', (attempts) => {
    const clock = testClock();
    const shared = new BackoffLimiter(SIGN_IN_BACKOFF, clock.now);
    // One limiter per key, each seeing only its own key's attempts.
    const alone = new Map<string, BackoffLimiter>();
    for (const { key, afterMs, succeeds } of attempts) {
      clock.advance(afterMs);
      const own = alone.get(key) ?? new BackoffLimiter(SIGN_IN_BACKOFF, clock.now);
      alone.set(key, own);
      const wait = shared.retryAfterSeconds(key);
      expect(wait).toBe(own.retryAfterSeconds(key));
      expect(wait).toBeLessThanOrEqual(SIGN_IN_BACKOFF.maxDelayMs / 1000);
      if (wait > 0) continue; // refused: not counted
      for (const limiter of [shared, own]) {
        limiter.record(key);
        if (succeeds) limiter.reset(key);
      }
    }
    for (const [key, own] of alone) expect(shared.retryAfterSeconds(key)).toBe(own.retryAfterSeconds(key));
  });
});

describe('two processes', () => {
  const change = fc.record({
    process: fc.constantFrom(0, 1),
    limit: fc.constantFrom('failuresByAccountAddress', 'failuresByAddress', 'signUpsByAddress') as fc.Arbitrary<'failuresByAccountAddress' | 'failuresByAddress' | 'signUpsByAddress'>,
    key: fc.constantFrom('a', 'b'),
    action: fc.constantFrom('record', 'record', 'record', 'settle', 'forgive', 'reset'),
    afterMs: fc.integer({ min: 0, max: 5 * 60_000 }),
  });

  it.prop([fc.array(change, { maxLength: 80 })])('relaying their changes to each other agree on every wait', (changes) => {
    const clock = testClock();
    const processes = [createSignInLimits(clock.now), createSignInLimits(clock.now)];
    // What relays.ts does through Redis, delivered at once.
    for (const [from, to] of [
      [0, 1],
      [1, 0],
    ]) {
      for (const name of ['failuresByAccountAddress', 'failuresByAddress', 'signUpsByAddress'] as const) {
        processes[from][name].onChange((relayed) => processes[to][name].deliver(relayed));
      }
    }
    const lastAt = new Map<string, number>();
    for (const { process, limit, key, action, afterMs } of changes) {
      clock.advance(afterMs);
      const limiter: BackoffLimiter | RateLimiter = processes[process][limit];
      if (action === 'record') lastAt.set(`${limit}/${key}`, limiter.record(key));
      else if (action === 'settle') limiter.settle(key, lastAt.get(`${limit}/${key}`) ?? clock.now());
      else if (action === 'forgive') limiter.forgive(key, lastAt.get(`${limit}/${key}`) ?? clock.now());
      else limiter.reset(key);
      for (const name of ['failuresByAccountAddress', 'failuresByAddress', 'signUpsByAddress'] as const) {
        for (const other of ['a', 'b']) expect(processes[0][name].retryAfterSeconds(other)).toBe(processes[1][name].retryAfterSeconds(other));
      }
    }
  });
});
