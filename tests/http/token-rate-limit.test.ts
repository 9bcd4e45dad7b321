/**
 * A personal access token may make so many requests a second, with bursts: past it, 429
 * `rate_limited` with Retry-After. Other tokens, and browser sessions, are not slowed by it.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../server/src/http/index';
import { addMember, api, createAccessToken, type TestAccount } from '../helpers/accounts';
import { startTestServer, type TestServer } from '../helpers/server';

describe('TokenBuckets', () => {
  it('allows the burst at once, then the rate; says how long to wait', () => {
    const buckets = new TokenBuckets(2, 5);
    const t0 = 1_000_000;
    for (let i = 0; i < 5; i++) expect(buckets.take('k', t0)).toBe(0);
    expect(buckets.take('k', t0)).toBe(1);
    expect(buckets.take('other', t0)).toBe(0);
    // Half a second later one request's worth (2/s) has come back, and only one.
    expect(buckets.take('k', t0 + 500)).toBe(0);
    expect(buckets.take('k', t0 + 500)).toBe(1);
    // A bucket left alone refills and is then forgotten.
    buckets.prune(t0 + 10_000);
    expect(buckets.size).toBe(0);
    buckets.stop();
  });

  it('never lets more than burst + rate × time through in any stretch of time (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 30 }),
        // Gaps between requests, in ms.
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 300 }),
        (rate, burst, gaps) => {
          const buckets = new TokenBuckets(rate, burst);
          let now = 0;
          const allowed: number[] = [];
          for (const gap of gaps) {
            now += gap;
            const wait = buckets.take('k', now);
            if (wait === 0) allowed.push(now);
            else expect(wait).toBeGreaterThanOrEqual(1);
          }
          buckets.stop();
          // In every window [allowed[i], allowed[j]], at most burst + rate × length requests passed.
          for (let i = 0; i < allowed.length; i++) {
            for (let j = i; j < allowed.length; j++) {
              expect(j - i + 1).toBeLessThanOrEqual(burst + (rate * (allowed[j] - allowed[i])) / 1000 + 1e-9);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a refused caller that waits the Retry-After it was given gets through (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 100 }), (rate, burst, extra) => {
        const buckets = new TokenBuckets(rate, burst);
        let wait = 0;
        for (let i = 0; i < burst + 1 + extra && wait === 0; i++) wait = buckets.take('k', 0);
        if (wait > 0) expect(buckets.take('k', wait * 1000)).toBe(0);
        buckets.stop();
      }),
    );
  });
});

describe('requests with a personal access token', () => {
  let server: TestServer;
  let other: TestAccount;

  beforeAll(async () => {
    // One request back every 100 s: however slow the machine, the burst is all a test can spend.
    server = await startTestServer({ env: { TOKEN_RATE_PER_SECOND: '0.01', TOKEN_RATE_BURST: '5' } });
    other = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Other');
  });
  afterAll(() => server.stop());

  it('are refused past the burst with 429 rate_limited and Retry-After; other tokens and the browser session are not', async () => {
    // The owner's token made requests while the installation was set up; a fresh one starts full.
    const token = await createAccessToken(server.url, { cookie: server.owner.cookie }, 'busy script');
    const results = await Promise.all(Array.from({ length: 12 }, () => api(server.url, { token }, 'GET', '/api/documents')));
    expect(results.filter((r) => r.status === 200).length).toBe(5);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused.length).toBe(7);
    for (const r of refused) {
      expect(r.status).toBe(429);
      expect(r.body.error.code).toBe('rate_limited');
      expect(r.body.error.message).toMatch(/too many requests with this access token/);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // Per token, not per person or per address: another token and the owner's browser session go on.
    expect((await api(server.url, other.auth, 'GET', '/api/documents')).status).toBe(200);
    expect((await api(server.url, { cookie: server.owner.cookie }, 'GET', '/api/documents')).status).toBe(200);
    // Unknown routes and refusals count too: the limit applies before routing.
    expect((await api(server.url, { token }, 'GET', '/api/nothing-here')).status).toBe(429);
  });
});
