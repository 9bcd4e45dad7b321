import type { Role } from '../../../../shared/api/index';
import type {
  DigestFrequency,
  EmailDeliveryRecord,
  EmailDeliveryState,
  NotificationKind,
  NotificationRecord,
  NotificationSettings,
} from '../notification-store';
import { DEFAULT_NOTIFICATION_SETTINGS } from '../notification-store';

/**
 * Notifications the person may see now: they are a member of the document's group, and the
 * thread and comment it points at still exist. Both adapters append their own conditions.
 */
export const VISIBLE_NOTIFICATIONS = `SELECT n.*, d.title AS doc_title, d.kind AS doc_kind, d.group_id AS group_id, g.name AS group_name,
         m.role AS role, a.name AS actor_name
    FROM notifications n
    JOIN documents d ON d.id = n.doc_id
    JOIN working_groups g ON g.id = d.group_id
    JOIN memberships m ON m.group_id = d.group_id AND m.user_id = n.user_id
    LEFT JOIN users a ON a.id = n.actor_id
   WHERE (n.thread_id IS NULL OR EXISTS (SELECT 1 FROM threads t WHERE t.id = n.thread_id AND t.doc_id = n.doc_id))
     AND (n.comment_id IS NULL OR EXISTS (SELECT 1 FROM comments c WHERE c.id = n.comment_id AND c.deleted_at IS NULL))`;

export interface NotificationRow {
  id: string;
  user_id: string;
  kind: NotificationKind;
  doc_id: string;
  thread_id: string | null;
  comment_id: string | null;
  actor_id: string | null;
  excerpt: string;
  detail: string;
  created_at: number;
  read_at: number | null;
  doc_title: string;
  doc_kind: 'draft' | 'source';
  group_id: string;
  group_name: string;
  role: Role;
  actor_name: string | null;
}

export function toNotification(row: NotificationRow): NotificationRecord {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    document: { id: row.doc_id, title: row.doc_title, kind: row.doc_kind, groupId: row.group_id, groupName: row.group_name },
    role: row.role,
    threadId: row.thread_id,
    commentId: row.comment_id,
    actor: row.actor_id === null ? null : { id: row.actor_id, name: row.actor_name ?? '' },
    excerpt: row.excerpt,
    detail: row.detail,
    createdAt: new Date(row.created_at),
    readAt: row.read_at === null ? null : new Date(row.read_at),
  };
}

export interface DeliveryRow {
  id: string;
  user_id: string;
  kind: 'immediate' | 'digest';
  state: EmailDeliveryState;
  due_at: number;
  attempts: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
}

export function toDelivery(row: DeliveryRow): EmailDeliveryRecord {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    state: row.state,
    dueAt: new Date(row.due_at),
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: new Date(row.created_at),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
  };
}

export interface SettingsRow {
  /** 0 or 1 in SQLite, a boolean in PostgreSQL. */
  immediate: number | boolean;
  digest: DigestFrequency;
  email_off: number | boolean;
  /** A JSON array in SQLite, an array in PostgreSQL. */
  muted: string | string[];
}

export function toSettings(row: SettingsRow | undefined): NotificationSettings {
  if (!row) return { ...DEFAULT_NOTIFICATION_SETTINGS, muted: [] };
  const muted = (typeof row.muted === 'string' ? JSON.parse(row.muted) : row.muted) as NotificationKind[];
  return { immediate: Boolean(row.immediate), digest: row.digest, emailOff: Boolean(row.email_off), muted };
}

/** The settings after `changes`. */
export function mergeSettings(current: NotificationSettings, changes: Partial<NotificationSettings>): NotificationSettings {
  return {
    immediate: changes.immediate ?? current.immediate,
    digest: changes.digest ?? current.digest,
    emailOff: changes.emailOff ?? current.emailOff,
    muted: changes.muted ? [...new Set(changes.muted)] : current.muted,
  };
}
