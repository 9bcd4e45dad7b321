import type { Logger } from 'pino';
import { isStoreUnavailable } from './unavailable';

export interface OutageLogOptions {
  /** What is failing, as the logs name it: `store` gives "store unavailable: …" and "store is back after 12 s". */
  what?: string;
  /** Added to every line (e.g. { component: 'checkpointer' }). */
  fields?: Record<string, unknown>;
  /** While an episode lasts, one reminder line this often (default 5 minutes; 0: none). */
  remindEveryMs?: number;
  now?: () => number;
}

/**
 * Logs failures of the store once per episode instead of once per try: the first failure of an
 * episode is logged (error level, with the error), the tries that fail after it are only counted
 * (a reminder at most every `remindEveryMs`), and the first success after it logs
 * "store is back after N s". Code that retries every second during an outage or a full disk
 * calls `failed` on each failure and `succeeded` on each success.
 *
 * Only errors `isStoreUnavailable` recognises (a database that is down or hangs, a full or
 * failing disk) make an episode. Other errors are about one call (a bug, a constraint), not the
 * store: `failed` logs those every time, as before, and answers false.
 */
export class StoreOutageLog {
  private readonly what: string;
  private readonly remindEveryMs: number;
  private readonly now: () => number;
  private episode: { startedAt: number; failures: number; remindedAt: number } | null = null;

  constructor(
    private readonly log: Logger,
    private readonly options: OutageLogOptions = {},
  ) {
    this.what = options.what ?? 'store';
    this.remindEveryMs = options.remindEveryMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Whether an episode is going on (the last call failed with the store unavailable). */
  get failing(): boolean {
    return this.episode !== null;
  }

  /**
   * A call failed with `error`; `message` says what was being done (logged with `fields`).
   * Answers whether the failure belongs to an outage episode (so the caller need not log it).
   */
  failed(error: unknown, message: string, fields: Record<string, unknown> = {}): boolean {
    const now = this.now();
    if (!isStoreUnavailable(error)) {
      this.log.error({ ...this.options.fields, ...fields, err: error }, message);
      return false;
    }
    if (this.episode === null) {
      this.episode = { startedAt: now, failures: 1, remindedAt: now };
      this.log.error({ ...this.options.fields, ...fields, err: error, outage: 'started' }, `${this.what} unavailable: ${message} (logged once until it is back)`);
      return true;
    }
    this.episode.failures++;
    if (this.remindEveryMs > 0 && now - this.episode.remindedAt >= this.remindEveryMs) {
      this.episode.remindedAt = now;
      const seconds = Math.round((now - this.episode.startedAt) / 1000);
      this.log.error(
        { ...this.options.fields, ...fields, err: error, outage: 'continuing', failures: this.episode.failures, seconds },
        `${this.what} still unavailable after ${seconds} s (${this.episode.failures} failed tries): ${message}`,
      );
    }
    return true;
  }

  /** A call succeeded: ends the episode, if any, with one line saying how long it lasted. */
  succeeded(fields: Record<string, unknown> = {}): void {
    if (this.episode === null) return;
    const { startedAt, failures } = this.episode;
    this.episode = null;
    const seconds = Math.round((this.now() - startedAt) / 1000);
    this.log.warn({ ...this.options.fields, ...fields, outage: 'ended', failures, seconds }, `${this.what} is back after ${seconds} s (${failures} failed tries)`);
  }
}
