import type { Request, RequestHandler, Response } from 'express';
import { ApiError } from './api-error';

/**
 * Token buckets per key: each key may spend `burst` requests at once, and gets `ratePerSecond`
 * back every second, up to `burst`. In memory, per process. A key whose bucket has refilled is
 * forgotten (a full bucket and no bucket are the same), so the map holds only recent callers.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly pruner: NodeJS.Timeout;

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
  ) {
    // The time a drained bucket takes to fill up again; after it, an idle key is forgotten.
    const refillMs = Math.ceil((burst / ratePerSecond) * 1000);
    this.pruner = setInterval(() => this.prune(Date.now()), Math.max(1_000, refillMs));
    this.pruner.unref();
  }

  /** Spends one request for `key`: 0 if allowed, else the seconds until one is (at least 1). */
  take(key: string, now = Date.now()): number {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * this.ratePerSecond);
    bucket.at = Math.max(bucket.at, now);
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond));
  }

  /** Keys with a bucket that is not full (for tests). */
  get size(): number {
    return this.buckets.size;
  }

  prune(now = Date.now()): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond >= this.burst) this.buckets.delete(key);
    }
  }

  stop(): void {
    clearInterval(this.pruner);
  }
}

/**
 * Limits the rate of requests per key (`keyOf` returns undefined for requests it doesn't limit):
 * past it, 429 `rate_limited` with `Retry-After`. Mount after whatever `keyOf` reads (the
 * credentials).
 */
export function rateLimit(options: {
  buckets: TokenBuckets;
  keyOf: (request: Request, response: Response) => string | undefined;
  /** Who is limited, for the message: "this access token". */
  subject: string;
}): RequestHandler {
  const { buckets, keyOf, subject } = options;
  return (request, response, next) => {
    const key = keyOf(request, response);
    if (key === undefined) return next();
    const wait = buckets.take(key);
    if (wait === 0) return next();
    throw new ApiError(
      429,
      'rate_limited',
      `too many requests with ${subject} (at most ${buckets.ratePerSecond} per second, ${buckets.burst} at once); try again in ${wait} s`,
      undefined,
      wait,
    );
  };
}
