/**
 * An attempt recorded (when it starts), found to have failed (`settle`: it ended at `endedAt`, and
 * waits count from then), taken back (`forgive`: it succeeded, or could not be judged) or a key
 * cleared, in one process: the others apply it to their counters.
 */
export type RateLimitChange =
  | { kind: 'record'; key: string; at: number }
  | { kind: 'settle'; key: string; at: number; endedAt: number }
  | { kind: 'forgive'; key: string; at: number }
  | { kind: 'reset'; key: string };

/**
 * Counts attempts per key in memory. With several server processes each relays its changes to
 * the others (fanout/relays.ts), so a guesser gains nothing by spreading attempts across them.
 * Attempts are recorded when they start (and forgiven if they succeed), so that requests sent
 * all at once are counted before any of them is answered.
 */
abstract class AttemptCounter {
  private readonly relays = new Set<(change: RateLimitChange) => void>();

  constructor(protected readonly now: () => number) {}

  /** Seconds until the key may try again, or 0 if it may now. */
  abstract retryAfterSeconds(key: string): number;

  /** Applies a change made in another process. */
  abstract deliver(change: RateLimitChange): void;

  /** Counts an attempt by `key` now; returns when it was, for `forgive`. */
  record(key: string): number {
    const at = this.now();
    this.apply({ kind: 'record', key, at });
    return at;
  }

  /**
   * The attempt recorded at `at` failed, now: it stays counted, as of now (a try that took long
   * to judge doesn't use up the wait after it).
   */
  settle(key: string, at: number): void {
    this.apply({ kind: 'settle', key, at, endedAt: this.now() });
  }

  /** Takes back the attempt recorded at `at` (it succeeded, or could not be judged). */
  forgive(key: string, at: number): void {
    this.apply({ kind: 'forgive', key, at });
  }

  reset(key: string): void {
    this.apply({ kind: 'reset', key });
  }

  /** Calls `relay` with every change made in this process (not with those applied from others). */
  onChange(relay: (change: RateLimitChange) => void): () => void {
    this.relays.add(relay);
    return () => this.relays.delete(relay);
  }

  private apply(change: RateLimitChange): void {
    this.deliver(change);
    for (const relay of this.relays) relay(change);
  }
}

/**
 * A sliding window: once a key has `limit` attempts within `windowMs` it is refused until its
 * oldest one leaves the window.
 */
export class RateLimiter extends AttemptCounter {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    now: () => number = () => Date.now(),
  ) {
    super(now);
    // Forget keys nobody retried in a while, so the map doesn't grow with every address ever seen.
    setInterval(() => this.prune(), windowMs).unref();
  }

  retryAfterSeconds(key: string): number {
    const now = this.now();
    const recent = this.recent(key, now);
    if (recent.length < this.limit) return 0;
    return Math.max(1, Math.ceil((recent[recent.length - this.limit] + this.windowMs - now) / 1000));
  }

  deliver(change: RateLimitChange): void {
    if (change.kind === 'reset') {
      this.attempts.delete(change.key);
      return;
    }
    const recent = this.recent(change.key, this.now());
    if (change.kind === 'record') {
      recent.push(change.at);
    } else {
      const index = recent.indexOf(change.at);
      if (index >= 0 && change.kind === 'settle') recent[index] = change.endedAt;
      else if (index >= 0) recent.splice(index, 1);
    }
    recent.sort((a, b) => a - b);
    if (recent.length === 0) this.attempts.delete(change.key);
    else this.attempts.set(change.key, recent);
  }

  private recent(key: string, now: number): number[] {
    return (this.attempts.get(key) ?? []).filter((time) => time > now - this.windowMs);
  }

  private prune(): void {
    const now = this.now();
    for (const [key, times] of this.attempts) {
      if (times.every((time) => time <= now - this.windowMs)) this.attempts.delete(key);
    }
  }
}

export interface BackoffOptions {
  /** Attempts a key may make at its own pace. */
  free: number;
  /** The wait after the first attempt past the free ones; each further attempt doubles it… */
  firstDelayMs: number;
  /** …up to this. */
  maxDelayMs: number;
  /** A key that made no attempt for this long starts afresh. */
  forgetAfterMs: number;
}

/**
 * Exponential backoff: after `free` attempts, each next one must wait `firstDelayMs`, twice that,
 * four times … (at most `maxDelayMs`) after the one before. Slows a guesser down without locking
 * anybody out for long: the key is cleared (`reset`) when an attempt succeeds.
 */
export class BackoffLimiter extends AttemptCounter {
  private readonly attempts = new Map<string, { count: number; last: number }>();

  constructor(
    readonly options: BackoffOptions,
    now: () => number = () => Date.now(),
  ) {
    super(now);
    setInterval(() => this.prune(), Math.min(options.forgetAfterMs, 60 * 60_000)).unref();
  }

  /** How long the key must wait after its `count`th attempt (0 while it has free ones left). */
  delayAfterMs(count: number): number {
    const { free, firstDelayMs, maxDelayMs } = this.options;
    if (count < free) return 0;
    // 2 ** 40 ms is 35 years: past that the exponent only risks overflowing to Infinity.
    return Math.min(maxDelayMs, firstDelayMs * 2 ** Math.min(count - free, 40));
  }

  retryAfterSeconds(key: string): number {
    const now = this.now();
    const entry = this.current(key, now);
    if (!entry) return 0;
    const wait = entry.last + this.delayAfterMs(entry.count) - now;
    return wait > 0 ? Math.ceil(wait / 1000) : 0;
  }

  deliver(change: RateLimitChange): void {
    if (change.kind === 'reset') {
      this.attempts.delete(change.key);
      return;
    }
    const entry = this.current(change.key, this.now());
    if (change.kind === 'settle') {
      if (entry) entry.last = Math.max(entry.last, change.endedAt);
      return;
    }
    if (change.kind === 'forgive') {
      if (!entry) return;
      if (entry.count <= 1) this.attempts.delete(change.key);
      else entry.count--;
      return;
    }
    if (entry) {
      entry.count++;
      entry.last = Math.max(entry.last, change.at);
    } else {
      this.attempts.set(change.key, { count: 1, last: change.at });
    }
  }

  private current(key: string, now: number): { count: number; last: number } | undefined {
    const entry = this.attempts.get(key);
    if (entry && entry.last <= now - this.options.forgetAfterMs) {
      this.attempts.delete(key);
      return undefined;
    }
    return entry;
  }

  private prune(): void {
    const now = this.now();
    for (const key of [...this.attempts.keys()]) this.current(key, now);
  }
}

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;

/** The backoff of one account's password from one address (see createSignInLimits). */
export const SIGN_IN_BACKOFF: BackoffOptions = { free: 5, firstDelayMs: SECOND_MS, maxDelayMs: 15 * MINUTE_MS, forgetAfterMs: 24 * 60 * MINUTE_MS };

/** The key of one account (by email) from one address. */
export const accountAddressKey = (email: string, address: string): string => JSON.stringify([email, address]);

/**
 * The limits of signing in and up (see auth/routes.ts), made once per process so they can be
 * relayed. `now` is the clock (tests move it).
 */
export function createSignInLimits(now: () => number = () => Date.now()) {
  return {
    // Guessing one account's password from one address: 5 tries, then 1 s, 2 s, 4 s … (at most
    // 15 minutes) between tries. The owner signing in from elsewhere is not slowed down by it.
    failuresByAccountAddress: new BackoffLimiter(SIGN_IN_BACKOFF, now),
    // From one address, across accounts (trying a few passwords on many accounts): 30 per 15 minutes.
    failuresByAddress: new RateLimiter(30, 15 * MINUTE_MS, now),
    signUpsByAddress: new RateLimiter(20, 60 * MINUTE_MS, now),
  };
}
export type SignInLimits = ReturnType<typeof createSignInLimits>;
