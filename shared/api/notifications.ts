import { z } from 'zod';
import { UserId } from './auth';
import { PersonRef } from './comments';

/**
 * Notifications: what concerns a person (their inbox, and e-mail), and threads assigned to people.
 *
 * - GET  /api/notifications?unread=true&limit=50 → ListNotificationsResponse, newest first
 * - POST /api/notifications/read MarkReadRequest → { unread }
 * - GET  /api/notifications/events: text/event-stream; `event: notifications` with `{ unread }` whenever
 *   the person's inbox changes (a new notification, marked read elsewhere)
 * - GET  /api/notifications/assigned → AssignedThreadsResponse (open threads assigned to me)
 * - GET / PATCH /api/notifications/settings → NotificationSettingsView
 * - PUT  /api/documents/:id/threads/:threadId/assignment AssignThreadRequest → ThreadView
 * - GET / POST /unsubscribe/:token: the page of a message's unsubscribe link and its button (no sign-in)
 */

export const NOTIFICATION_KINDS = ['mention', 'reply', 'assigned', 'decision', 'version', 'round', 'round-closing'] as const;
export const NotificationKind = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof NotificationKind>;

export const NotificationId = z.string().regex(/^[A-Za-z0-9_-]{16}$/, 'not a notification id');

export const NotificationView = z.object({
  id: NotificationId,
  kind: NotificationKind,
  /** One line saying what happened, e.g. "Ana mentioned you". */
  summary: z.string(),
  document: z.object({ id: z.string(), title: z.string(), kind: z.enum(['draft', 'source']) }),
  group: z.object({ id: z.string(), name: z.string() }),
  threadId: z.string().nullable(),
  actor: PersonRef.nullable(),
  /** A short quote: the comment, the version's name, the round's title. */
  excerpt: z.string(),
  /** A disposition, a due date (YYYY-MM-DD), a note: depends on the kind. */
  detail: z.string(),
  /** Where it happened in the app: /d/<id>, with ?thread=<id> for a thread. */
  path: z.string(),
  createdAt: z.string(),
  read: z.boolean(),
});
export type NotificationView = z.infer<typeof NotificationView>;

export const ListNotificationsQuery = z.object({
  unread: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ListNotificationsResponse = z.object({ notifications: z.array(NotificationView), unread: z.number().int() });
export type ListNotificationsResponse = z.infer<typeof ListNotificationsResponse>;

export const MarkReadRequest = z.union([
  z.object({ ids: z.array(NotificationId).min(1).max(200) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);
export type MarkReadRequest = z.infer<typeof MarkReadRequest>;

export const UnreadResponse = z.object({ unread: z.number().int() });
export type UnreadResponse = z.infer<typeof UnreadResponse>;

/** The name of the inbox's server-sent event. */
export const NOTIFICATIONS_EVENT = 'notifications';

export const DIGEST_FREQUENCIES = ['off', 'hourly', 'daily'] as const;
export const DigestFrequency = z.enum(DIGEST_FREQUENCIES);

export const NotificationSettingsView = z.object({
  /** Mentions and assignments by e-mail at once. */
  immediate: z.boolean(),
  /** Everything else (and mentions and assignments, when `immediate` is off) in a digest. */
  digest: DigestFrequency,
  /** No e-mail at all (set by a message's unsubscribe link too). */
  emailOff: z.boolean(),
  /** Kinds not wanted by e-mail (they stay in the inbox). */
  muted: z.array(NotificationKind),
  /** Whether this installation sends e-mail (SMTP_URL set); without it, notifications are in the app only. */
  emailAvailable: z.boolean(),
});
export type NotificationSettingsView = z.infer<typeof NotificationSettingsView>;

export const UpdateNotificationSettingsRequest = z
  .object({
    immediate: z.boolean().optional(),
    digest: DigestFrequency.optional(),
    emailOff: z.boolean().optional(),
    muted: z.array(NotificationKind).max(NOTIFICATION_KINDS.length).optional(),
  })
  .strict();
export type UpdateNotificationSettingsRequest = z.infer<typeof UpdateNotificationSettingsRequest>;

/** A calendar date, YYYY-MM-DD. */
export const DueDate = z.iso.date('dueDate must be a date, YYYY-MM-DD');

/** Assign (to a member, the secretariat or a co-chair of the group) or clear (`assigneeId: null`). */
export const AssignThreadRequest = z
  .object({ assigneeId: UserId.nullable(), dueDate: DueDate.nullable().default(null) })
  .strict();
export type AssignThreadRequest = z.input<typeof AssignThreadRequest>;

export const ThreadAssignment = z.object({ assignee: PersonRef, dueDate: z.string().nullable(), by: PersonRef, at: z.string() });
export type ThreadAssignment = z.infer<typeof ThreadAssignment>;

export const AssignedThreadView = z.object({
  threadId: z.string(),
  quote: z.string(),
  firstComment: z.string(),
  dueDate: z.string().nullable(),
  /** Past its due date (by the server's calendar date, UTC). */
  overdue: z.boolean(),
  assignedBy: PersonRef,
  assignedAt: z.string(),
  document: z.object({ id: z.string(), title: z.string() }),
  group: z.object({ id: z.string(), name: z.string() }),
  path: z.string(),
});
export type AssignedThreadView = z.infer<typeof AssignedThreadView>;

export const AssignedThreadsResponse = z.object({ threads: z.array(AssignedThreadView) });
export type AssignedThreadsResponse = z.infer<typeof AssignedThreadsResponse>;

/**
 * POST /api/documents/:id/visit (read) → VisitResponse: notes that the person opened the document
 * now, and says what changed since they last had it open ("since your last visit").
 */
export const VisitResponse = z.object({
  /** When the person last opened the document before now; null: never (nothing to compare). */
  since: z.string().nullable(),
  /** The text changed since then. */
  changed: z.boolean(),
  /** The version (named or automatic) the text was in when they last looked: compare from it to now. */
  compareFrom: z.object({ id: z.string(), name: z.string(), kind: z.enum(['named', 'checkpoint']), createdAt: z.string() }).nullable(),
  /** Threads started since then (not by the person), oldest first. */
  newThreads: z.array(z.object({ id: z.string(), quote: z.string(), author: PersonRef, createdAt: z.string() })),
});
export type VisitResponse = z.infer<typeof VisitResponse>;
