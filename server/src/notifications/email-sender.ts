import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { ClaimedDelivery, Store } from '../store/index';
import type { MailTransport } from './mail-transport';
import { digestMessage, immediateMessage } from './messages';
import type { UnsubscribeLinks } from './unsubscribe';

export interface EmailSenderOptions {
  store: Store;
  log: Logger;
  transport: MailTransport;
  links: UnsubscribeLinks;
  /** Where people open the app (known once the server listens). */
  origin: () => string;
  /** A sender holds a delivery this long; longer than any send can take. */
  leaseMs: number;
  retryBaseMs: number;
  maxAttempts: number;
  pollMs: number;
}

/** Back-off before try `attempt + 1`: base, 2×base, 4×base … at most an hour. */
export function retryDelay(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 3_600_000);
}

/**
 * The process's e-mail sender: claims due deliveries from the store's queue one at a time (a
 * lease, so with several processes each delivery has one sender; one that died mid-send is taken
 * over when its lease runs out), checks what the recipient may read and still wants at that
 * moment, sends, and records the outcome: sent, skipped (nothing left to send), retried later
 * with back-off, or failed after `maxAttempts`. It wakes when this process queues something,
 * and looks at the queue at least every `pollMs` (digests falling due, other processes' work).
 *
 * At-least-once without duplicates: a delivery is marked sent only after the SMTP server took
 * it; a process killed before the server took it leaves it to be sent again once. The one gap is
 * a kill between the server's "250 OK" and the mark (milliseconds): that copy is sent again, with
 * the same Message-ID.
 */
export class EmailSender {
  /** This process's name on the leases it takes. */
  readonly owner = `sender-${randomBytes(6).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(private readonly options: EmailSenderOptions) {}

  start(): void {
    this.wake();
  }

  /** Looks at the queue now (after the current pass, if one is running). */
  wake(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.pass().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Makes collecting digests (one person's, or all) due now and sends them. */
  async sendDigestsNow(userId: string | null = null): Promise<number> {
    const released = await this.options.store.releaseDigests(userId, new Date());
    this.wake();
    return released;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.options.transport.close();
  }

  private async pass(): Promise<void> {
    const { store, log, pollMs } = this.options;
    let wait = pollMs;
    try {
      for (;;) {
        if (this.closed) return;
        const claimed = await store.claimEmailDelivery(this.owner, new Date(), this.options.leaseMs);
        if (!claimed) break;
        await this.handle(claimed);
      }
      const next = await store.nextEmailDueAt();
      if (next) wait = Math.max(10, Math.min(pollMs, next.getTime() - Date.now()));
    } catch (error) {
      log.warn({ err: error, component: 'email' }, `e-mail queue unavailable: ${(error as Error).message}`);
    }
    if (!this.closed) {
      this.timer = setTimeout(() => this.wake(), wait);
      this.timer.unref();
    }
  }

  private async handle(delivery: ClaimedDelivery): Promise<void> {
    const { store, log, transport, links, maxAttempts, retryBaseMs } = this.options;
    const finish = async (state: 'sent' | 'skipped' | 'failed', error?: string) => {
      if (!(await store.finishEmailDelivery(delivery.id, this.owner, { state, error }, new Date()))) {
        log.warn({ component: 'email', deliveryId: delivery.id }, 'an e-mail delivery was taken over by another sender before it was recorded');
      }
    };
    if (delivery.attempts > maxAttempts) {
      await finish('failed', `${delivery.lastError ?? 'the sender stopped mid-send'} (gave up after ${maxAttempts} attempts)`);
      return;
    }
    // What the person may read and still wants, now (not when the notification was made).
    const settings = await store.getNotificationSettings(delivery.userId);
    const items = delivery.notifications.filter((n) => n.readAt === null && !settings.muted.includes(n.kind));
    const unwanted = settings.emailOff || (delivery.kind === 'digest' ? settings.digest === 'off' : !settings.immediate);
    if (unwanted || delivery.recipient.disabled || items.length === 0) {
      await finish('skipped');
      return;
    }
    const context = {
      origin: this.options.origin(),
      unsubscribeUrl: `${this.options.origin()}/unsubscribe/${await links.tokenFor(delivery.userId)}`,
      deliveryId: delivery.id,
    };
    const message =
      delivery.kind === 'immediate' && items.length === 1
        ? immediateMessage(delivery.recipient.email, items[0], context)
        : digestMessage(delivery.recipient.email, items, context);
    // A live sender keeps its lease while the mail server is slow (every step of a send has its own
    // deadline, so a send can outlast one lease); a dead one stops renewing and loses it.
    const renewal = setInterval(() => {
      store.renewEmailLease(delivery.id, this.owner, new Date(Date.now() + this.options.leaseMs)).then(
        (held) => {
          if (!held) log.warn({ component: 'email', deliveryId: delivery.id }, 'lost the lease of an e-mail being sent');
        },
        () => undefined, // the store is away: the lease may run out, and the message may go twice
      );
    }, Math.max(10, Math.floor(this.options.leaseMs / 3)));
    try {
      await transport.send(message);
    } catch (error) {
      const reason = (error as Error).message.slice(0, 500);
      if (delivery.attempts >= maxAttempts) {
        log.error({ component: 'email', deliveryId: delivery.id, attempts: delivery.attempts }, `e-mail failed for good: ${reason}`);
        await finish('failed', reason);
      } else {
        const delay = retryDelay(delivery.attempts, retryBaseMs);
        log.warn({ component: 'email', deliveryId: delivery.id, attempts: delivery.attempts, retryInMs: delay }, `e-mail not sent, will retry: ${reason}`);
        await store.retryEmailDelivery(delivery.id, this.owner, new Date(Date.now() + delay), reason);
      }
      return;
    } finally {
      clearInterval(renewal);
    }
    await finish('sent');
    log.info({ component: 'email', deliveryId: delivery.id, kind: delivery.kind, items: items.length }, 'e-mail sent');
  }
}
