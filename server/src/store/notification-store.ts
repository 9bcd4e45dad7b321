import type { Role } from '../../../shared/api/index';
import type { PersonRecord } from './comment-store';

/**
 * Storage contract for notifications (a person's inbox), the e-mail queue that carries them and
 * each person's e-mail settings.
 */

export type NotificationKind = 'mention' | 'reply' | 'assigned' | 'decision' | 'version' | 'round' | 'round-closing';

/** How a new notification leaves by e-mail: at once, in the person's next digest (due then), or not at all. */
export type EmailPlan = { kind: 'immediate' } | { kind: 'digest'; dueAt: Date } | null;

export interface NewNotification {
  id: string;
  userId: string;
  kind: NotificationKind;
  documentId: string;
  threadId: string | null;
  commentId: string | null;
  /** Who caused it (null: nobody in particular). */
  actorId: string | null;
  /** A short quote of what happened (the comment, the version's name, the round's title). */
  excerpt: string;
  /** A word more where the kind needs one (a disposition, a due date). */
  detail: string;
  /** The same key twice makes one notification (a request retried, a process restarted). */
  dedupeKey: string;
  email: EmailPlan;
}

/**
 * A notification as the person may see it now: only while they are a member of the document's
 * group and the thread and comment it points at still exist (checked when it is read, so a
 * person who lost access, or whose comment was deleted, never sees it again).
 */
export interface NotificationRecord {
  id: string;
  userId: string;
  kind: NotificationKind;
  document: { id: string; title: string; kind: 'draft' | 'source'; groupId: string; groupName: string };
  /** The person's role in the document's group now. */
  role: Role;
  threadId: string | null;
  commentId: string | null;
  actor: PersonRecord | null;
  excerpt: string;
  detail: string;
  createdAt: Date;
  readAt: Date | null;
}

export type DigestFrequency = 'off' | 'hourly' | 'daily';

export interface NotificationSettings {
  /** Mentions and assignments by e-mail at once. */
  immediate: boolean;
  /** Everything else (and mentions when `immediate` is off) in a digest. */
  digest: DigestFrequency;
  /** Every e-mail stopped (from a message's link, or the settings): the inbox only. */
  emailOff: boolean;
  /** Kinds not wanted by e-mail (still in the inbox). */
  muted: NotificationKind[];
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = { immediate: true, digest: 'daily', emailOff: false, muted: [] };

export type EmailDeliveryState = 'collecting' | 'queued' | 'sent' | 'skipped' | 'failed';

export interface EmailDeliveryRecord {
  id: string;
  userId: string;
  kind: 'immediate' | 'digest';
  state: EmailDeliveryState;
  dueAt: Date;
  /** Times it was claimed for sending (a claim that never finished counts too). */
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** A delivery one sender holds (its lease) with what it carries, as the recipient may see it now. */
export interface ClaimedDelivery extends EmailDeliveryRecord {
  recipient: { id: string; name: string; email: string; disabled: boolean };
  notifications: NotificationRecord[];
}

export interface NotificationStore {
  /**
   * Stores notifications (one transaction): those whose `dedupeKey` exists already are left out.
   * Each new one with an e-mail plan joins the queue: an immediate delivery of its own, or the
   * person's collecting digest (made if there is none). Returns the ids stored.
   */
  addNotifications(notifications: readonly NewNotification[], now: Date): Promise<string[]>;
  /** The person's notifications they may see now, newest first. */
  listNotifications(userId: string, options: { limit: number; unreadOnly?: boolean }): Promise<NotificationRecord[]>;
  countUnreadNotifications(userId: string): Promise<number>;
  /** Marks the person's notifications read (`'all'`: every one); returns how many changed. */
  markNotificationsRead(userId: string, ids: readonly string[] | 'all', now: Date): Promise<number>;

  getNotificationSettings(userId: string): Promise<NotificationSettings>;
  updateNotificationSettings(userId: string, changes: Partial<NotificationSettings>): Promise<NotificationSettings>;

  /**
   * Takes the delivery due first (queued, or a collecting digest, whose lease is free or ran out)
   * for `owner` until `now + leaseMs`: no other sender gets it meanwhile, in any process. The
   * claim counts an attempt and seals a digest (later notifications go to a new one).
   */
  claimEmailDelivery(owner: string, now: Date, leaseMs: number): Promise<ClaimedDelivery | undefined>;
  /** Ends a delivery the owner still holds: sent, skipped (nothing left to send) or failed. False if the lease was lost. */
  finishEmailDelivery(id: string, owner: string, outcome: { state: 'sent' | 'skipped' | 'failed'; error?: string }, now: Date): Promise<boolean>;
  /** Extends the owner's lease on a delivery it still holds to `until` (while a slow send goes on). False if the lease was lost. */
  renewEmailLease(id: string, owner: string, until: Date): Promise<boolean>;
  /** Gives a held delivery back to the queue, due again at `dueAt`, recording why. False if the lease was lost. */
  retryEmailDelivery(id: string, owner: string, dueAt: Date, error: string): Promise<boolean>;
  /** Makes collecting digests (of one person, or everyone's) due at `now`; returns how many. */
  releaseDigests(userId: string | null, now: Date): Promise<number>;
  /** When the next delivery falls due (queued or collecting, lease free or not), if any. */
  nextEmailDueAt(): Promise<Date | undefined>;
  listEmailDeliveries(userId: string): Promise<EmailDeliveryRecord[]>;

  /**
   * Forgets what is old: deliveries finished (sent, skipped, failed) before `deliveriesBefore`, and
   * notifications made before `notificationsBefore`. Returns how many of each went.
   */
  pruneNotifications(deliveriesBefore: Date, notificationsBefore: Date): Promise<{ deliveries: number; notifications: number }>;
  /** Notes that the person opened the document at `at`; returns when they opened it before (null: never). */
  recordVisit(userId: string, documentId: string, at: Date): Promise<Date | null>;

  /** The installation's secret called `name`: the stored one, or `candidate` stored now (first caller wins). */
  serverSecret(name: string, candidate: string): Promise<string>;
}
