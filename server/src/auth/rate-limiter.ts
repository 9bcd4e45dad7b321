/**
 * Counts attempts (failed sign-ins, sign-ups) per key in a sliding window; once a key reaches the
 * limit it is blocked until its oldest attempt leaves the window. In memory: one process's view
 * (right for one process; a scaled-out deployment would keep the counters in Redis).
 */
export class RateLimiter {
  private readonly attempts = new Map<string, number[]>();

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
    const recent = this.recent(key, now);
    recent.push(now);
    this.attempts.set(key, recent);
  }

  reset(key: string): void {
    this.attempts.delete(key);
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
