import type { Logger } from 'pino';
import type { Store } from '../store/index';

const DAY = 24 * 3_600_000;
/** Finished e-mail deliveries are kept this long (what was sent, skipped or failed, and why)… */
export const DELIVERIES_KEPT_MS = 30 * DAY;
/** …and notifications this long, read or not. */
export const NOTIFICATIONS_KEPT_MS = 180 * DAY;

/** Forgets old notifications and finished deliveries, once at start and then every `intervalMs` (each process; deleting twice is harmless). */
export class Housekeeping {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly options: { store: Store; log: Logger; intervalMs: number }) {}

  start(): void {
    const tick = () => {
      this.running ??= this.run().finally(() => {
        this.running = null;
      });
    };
    tick();
    this.timer = setInterval(tick, this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a run under way (before the store closes). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Never rejects: a failure is logged and the next run tries again. */
  async run(now = Date.now()): Promise<void> {
    try {
      const pruned = await this.options.store.pruneNotifications(new Date(now - DELIVERIES_KEPT_MS), new Date(now - NOTIFICATIONS_KEPT_MS));
      if (pruned.deliveries + pruned.notifications > 0) this.options.log.info({ component: 'notifications', ...pruned }, 'old notifications and e-mail deliveries removed');
    } catch (error) {
      this.options.log.warn({ err: error, component: 'notifications' }, `old notifications not removed now: ${(error as Error).message}`);
    }
  }
}
