import type { Router } from 'express';
import type { Logger } from 'pino';
import type { AccessEvents } from '../auth/index';
import type { EmailConfig } from '../config';
import type { Store } from '../store/index';
import { EmailSender } from './email-sender';
import { smtpTransport, type MailTransport } from './mail-transport';
import { inviteMessage } from './messages';
import { Notifier } from './notifier';
import { notificationRoutes } from './routes';
import { UnsubscribeLinks, unsubscribeRoutes } from './unsubscribe';
import { UserEvents } from './user-events';
import { visitRoutes } from './visits';
import { RoundReminders } from './round-reminders';
import { Housekeeping } from './housekeeping';

export interface InviteMailer {
  send(to: string, invite: { groupName: string; inviterName: string; roleLabel: string; path: string; expiresAt: Date; id: string }): Promise<void>;
}

export interface Notifications {
  notifier: Notifier;
  userEvents: UserEvents;
  /** Null without SMTP_URL. */
  sender: EmailSender | null;
  /** /api/notifications */
  apiRoutes: Router;
  /** /api/documents/:id/visit ("since your last visit") */
  visitRoutes: Router;
  /** /unsubscribe (no sign-in) */
  unsubscribeRoutes: Router;
  /** Starts sending (once the server listens and knows its origin). */
  start(): void;
  /**
   * Sends an invite link by e-mail at once (not queued: the person asking waits for the answer and
   * can copy the link if it fails). Null without e-mail.
   */
  inviteMailer: InviteMailer | null;
  /** Reminds people of rounds closing within a day now (it also runs every EMAIL_POLL_MS). */
  remindRoundsNow(): Promise<void>;
  /** Makes collecting digests due now and sends them (operators, tests); 0 without e-mail. */
  sendDigestsNow(userId?: string | null): Promise<number>;
  close(): Promise<void>;
}

/**
 * Notifications and their e-mail: the notifier the routes call, the inbox routes, and (with
 * `SMTP_URL`) the queue's sender and the unsubscribe links. Says once in the log whether e-mail is on.
 */
export function startNotifications(deps: {
  store: Store;
  log: Logger;
  email: EmailConfig;
  accessEvents: AccessEvents;
  origin: () => string;
  /** Tests pass a transport of their own; default: SMTP to `email.smtpUrl`. */
  transport?: MailTransport;
}): Notifications {
  const { store, log, email } = deps;
  const userEvents = new UserEvents();
  const links = new UnsubscribeLinks(store);
  const emailEnabled = email.smtpUrl !== undefined || deps.transport !== undefined;
  let sender: EmailSender | null = null;
  let inviteMailer: InviteMailer | null = null;
  if (emailEnabled) {
    const transport = deps.transport ?? smtpTransport(email.smtpUrl!, email.from, email.sendTimeoutMs);
    inviteMailer = {
      send: (to, invite) =>
        transport.send(
          inviteMessage(to, { ...invite, link: `${deps.origin()}${invite.path}`, messageId: `invite-${invite.id}`, origin: deps.origin() }),
        ),
    };
    sender = new EmailSender({
      store,
      log,
      transport,
      links,
      origin: deps.origin,
      leaseMs: 2 * email.sendTimeoutMs,
      retryBaseMs: email.retryBaseMs,
      maxAttempts: email.maxAttempts,
      pollMs: email.pollMs,
    });
    const host = email.smtpUrl ? new URL(email.smtpUrl).host : 'a transport given by the caller';
    log.info({ component: 'email', smtp: host }, `notifications are e-mailed through ${host}`);
  } else {
    log.info({ component: 'email' }, 'e-mail is off (SMTP_URL is not set): notifications are in the app only');
  }
  const notifier = new Notifier({ store, log, events: userEvents, emailEnabled, onQueued: () => sender?.wake() });
  // At least every minute, whatever the e-mail settings (reminders are in the inbox too).
  const reminders = new RoundReminders({ store, notifier, log, intervalMs: Math.min(email.pollMs, 60_000) });
  const housekeeping = new Housekeeping({ store, log, intervalMs: 3_600_000 });
  return {
    notifier,
    userEvents,
    sender,
    inviteMailer,
    apiRoutes: notificationRoutes({ store, userEvents, accessEvents: deps.accessEvents, emailEnabled }),
    unsubscribeRoutes: unsubscribeRoutes({ store, links, log }),
    visitRoutes: visitRoutes({ store }),
    start: () => {
      sender?.start();
      reminders.start();
      housekeeping.start();
    },
    remindRoundsNow: () => reminders.remindNow(),
    sendDigestsNow: async (userId = null) => (sender ? sender.sendDigestsNow(userId) : 0),
    close: async () => {
      await housekeeping.stop();
      await reminders.close();
      await sender?.close();
    },
  };
}
