/** An attempt recorded, or a key cleared, in one process: the others apply it to their counters. */
export type RateLimitChange = { kind: 'record'; key: string; at: number } | { kind: 'reset'; key: string };

/**
 * Counts attempts (failed sign-ins, sign-ups) per key in a sliding window; once a key reaches the
 * limit it is blocked until its oldest attempt leaves the window. In memory; with several server
 * processes each relays its changes to the others (fanout/relays.ts), so a guesser gains nothing
 * by spreading attempts across them.
 */
export class RateLimiter {
  private readonly attempts = new Map<string, number[]>();
  private readonly relays = new Set<(change: RateLimitChange) => void>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {
    // Forget keys nobody retried in a while, so the map doesn't grow with every address ever seen.
    setInterval(() => this.prune(Date.now()), windowMs).unref();
  }

  /** Seconds until the key may try again, or 0 if it may now. */
  retryAfterSeconds(key: string, now = Date.now()): number {
    const recent = this.recent(key, now);
    if (recent.length < this.limit) return 0;
    return Math.max(1, Math.ceil((recent[recent.length - this.limit] + this.windowMs - now) / 1000));
  }

  record(key: string, now = Date.now()): void {
    this.apply({ kind: 'record', key, at: now });
  }

  reset(key: string): void {
    this.apply({ kind: 'reset', key });
  }

  /** Calls `relay` with every change made in this process (not with those applied from others). */
  onChange(relay: (change: RateLimitChange) => void): () => void {
    this.relays.add(relay);
    return () => this.relays.delete(relay);
  }

  /** Applies a change made in another process. */
  deliver(change: RateLimitChange): void {
    if (change.kind === 'reset') {
      this.attempts.delete(change.key);
      return;
    }
    const recent = this.recent(change.key, Date.now());
    recent.push(change.at);
    recent.sort((a, b) => a - b);
    this.attempts.set(change.key, recent);
  }

  private apply(change: RateLimitChange): void {
    this.deliver(change);
    for (const relay of this.relays) relay(change);
  }

  private recent(key: string, now: number): number[] {
    return (this.attempts.get(key) ?? []).filter((time) => time > now - this.windowMs);
  }

  private prune(now: number): void {
    for (const [key, times] of this.attempts) {
      if (times.every((time) => time <= now - this.windowMs)) this.attempts.delete(key);
    }
  }
}

const MINUTE_MS = 60_000;

/** The limits of signing in and up (see auth/routes.ts), made once per process so they can be relayed. */
export function createSignInLimits() {
  return {
    // Guessing one account's password: 5 tries per 15 minutes. From one address, across accounts: 30.
    failuresByEmail: new RateLimiter(5, 15 * MINUTE_MS),
    failuresByAddress: new RateLimiter(30, 15 * MINUTE_MS),
    signUpsByAddress: new RateLimiter(20, 60 * MINUTE_MS),
  };
}
export type SignInLimits = ReturnType<typeof createSignInLimits>;
