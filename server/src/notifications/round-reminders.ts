import type { Logger } from 'pino';
import type { Store } from '../store/index';
import type { Notifier } from './notifier';

/** Rounds closing within this long get their reminder. */
export const REMIND_BEFORE_CLOSING_MS = 24 * 3_600_000;

/**
 * Reminds people of priority rounds closing within a day that they have not indicated in
 * (`round-closing`). Every process looks every `intervalMs`; the notifications' dedupe keys make
 * one reminder per person and round however many processes look.
 */
export class RoundReminders {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly options: { store: Store; notifier: Notifier; log: Logger; intervalMs: number }) {}

  start(): void {
    this.timer = setInterval(() => void this.remindNow(), this.options.intervalMs);
    this.timer.unref();
  }

  /** One look now (also for tests and operators); never rejects. */
  remindNow(now = new Date()): Promise<void> {
    this.running ??= this.look(now).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async look(now: Date): Promise<void> {
    const { store, notifier, log } = this.options;
    try {
      const rounds = await store.listRoundsClosingBetween(now, new Date(now.getTime() + REMIND_BEFORE_CLOSING_MS));
      for (const round of rounds) {
        const source = await store.getDocument(round.sourceId);
        if (!source) continue;
        const indicated = new Set((await store.listIndications(round.id)).map((indication) => indication.userId));
        await notifier.roundClosingSoon(source, round, indicated);
      }
    } catch (error) {
      log.warn({ err: error, component: 'notifications' }, `round reminders not made now: ${(error as Error).message}`);
    }
  }
}
