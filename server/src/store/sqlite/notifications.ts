import type Database from 'better-sqlite3';
import { newId } from '../../../../shared/protocol/index';
import type { ClaimedDelivery, NewNotification, NotificationStore } from '../notification-store';
import {
  mergeSettings,
  toDelivery,
  toNotification,
  toSettings,
  VISIBLE_NOTIFICATIONS,
  type DeliveryRow,
  type NotificationRow,
  type SettingsRow,
} from '../rows/notifications';

/** Notifications, the e-mail queue and e-mail settings in SQLite (one writer: each step is one transaction). */
export function sqliteNotifications(db: Database.Database): NotificationStore {
  const q = {
    insert: db.prepare(
      `INSERT INTO notifications (id, user_id, kind, doc_id, thread_id, comment_id, actor_id, excerpt, detail, dedupe_key, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
    ),
    link: db.prepare('UPDATE notifications SET delivery_id = ? WHERE id = ?'),
    insertImmediate: db.prepare(
      `INSERT INTO email_deliveries (id, user_id, kind, state, due_at, created_at) VALUES (?, ?, 'immediate', 'queued', ?, ?)`,
    ),
    collectingDigest: db.prepare(
      `INSERT INTO email_deliveries (id, user_id, kind, state, due_at, created_at) VALUES (?, ?, 'digest', 'collecting', ?, ?)
       ON CONFLICT (user_id) WHERE state = 'collecting' DO UPDATE SET due_at = min(email_deliveries.due_at, excluded.due_at)
       RETURNING id`,
    ),
    list: db.prepare(`${VISIBLE_NOTIFICATIONS} AND n.user_id = ? ORDER BY n.created_at DESC, n.rowid DESC LIMIT ?`),
    listUnread: db.prepare(`${VISIBLE_NOTIFICATIONS} AND n.user_id = ? AND n.read_at IS NULL ORDER BY n.created_at DESC, n.rowid DESC LIMIT ?`),
    countUnread: db.prepare(`SELECT count(*) AS n FROM (${VISIBLE_NOTIFICATIONS} AND n.user_id = ? AND n.read_at IS NULL)`),
    markAll: db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL'),
    markOne: db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND id = ? AND read_at IS NULL'),
    settings: db.prepare('SELECT immediate, digest, email_off, muted FROM notification_settings WHERE user_id = ?'),
    saveSettings: db.prepare(
      `INSERT INTO notification_settings (user_id, immediate, digest, email_off, muted) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET immediate = excluded.immediate, digest = excluded.digest, email_off = excluded.email_off, muted = excluded.muted`,
    ),
    due: db.prepare(
      `SELECT id FROM email_deliveries WHERE state IN ('queued', 'collecting') AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
        ORDER BY due_at, created_at, rowid LIMIT 1`,
    ),
    claim: db.prepare(`UPDATE email_deliveries SET state = 'queued', lease_owner = ?, lease_until = ?, attempts = attempts + 1 WHERE id = ? RETURNING *`),
    recipient: db.prepare('SELECT id, name, email, disabled_at FROM users WHERE id = ?'),
    carried: db.prepare(`${VISIBLE_NOTIFICATIONS} AND n.delivery_id = ? ORDER BY n.created_at, n.rowid`),
    finish: db.prepare(
      `UPDATE email_deliveries SET state = ?, last_error = coalesce(?, last_error), finished_at = ?, lease_owner = NULL, lease_until = NULL
        WHERE id = ? AND lease_owner = ? AND state = 'queued'`,
    ),
    retry: db.prepare(
      `UPDATE email_deliveries SET due_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL
        WHERE id = ? AND lease_owner = ? AND state = 'queued'`,
    ),
    renew: db.prepare(`UPDATE email_deliveries SET lease_until = ? WHERE id = ? AND lease_owner = ? AND state = 'queued'`),
    release: db.prepare(`UPDATE email_deliveries SET due_at = ? WHERE state = 'collecting' AND due_at > ?`),
    releaseOne: db.prepare(`UPDATE email_deliveries SET due_at = ? WHERE state = 'collecting' AND due_at > ? AND user_id = ?`),
    nextDue: db.prepare(`SELECT min(max(due_at, coalesce(lease_until, 0))) AS at FROM email_deliveries WHERE state IN ('queued', 'collecting')`),
    deliveries: db.prepare('SELECT * FROM email_deliveries WHERE user_id = ? ORDER BY created_at, rowid'),
    pruneDeliveries: db.prepare(`DELETE FROM email_deliveries WHERE state IN ('sent', 'skipped', 'failed') AND finished_at < ?`),
    pruneNotifications: db.prepare('DELETE FROM notifications WHERE created_at < ?'),
    visit: db.prepare('SELECT visited_at FROM document_visits WHERE user_id = ? AND doc_id = ?'),
    saveVisit: db.prepare(
      'INSERT INTO document_visits (user_id, doc_id, visited_at) VALUES (?, ?, ?) ON CONFLICT (user_id, doc_id) DO UPDATE SET visited_at = excluded.visited_at',
    ),
    secret: db.prepare('SELECT value FROM server_secrets WHERE name = ?'),
    insertSecret: db.prepare('INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING'),
  };

  const add = db.transaction((notifications: readonly NewNotification[], now: number): string[] => {
    const stored: string[] = [];
    for (const n of notifications) {
      const inserted = q.insert.run(n.id, n.userId, n.kind, n.documentId, n.threadId, n.commentId, n.actorId, n.excerpt, n.detail, n.dedupeKey, now);
      if (inserted.changes === 0) continue;
      stored.push(n.id);
      if (n.email?.kind === 'immediate') {
        const deliveryId = newId();
        q.insertImmediate.run(deliveryId, n.userId, now, now);
        q.link.run(deliveryId, n.id);
      } else if (n.email?.kind === 'digest') {
        const { id } = q.collectingDigest.get(newId(), n.userId, n.email.dueAt.getTime(), now) as { id: string };
        q.link.run(id, n.id);
      }
    }
    return stored;
  });

  const claim = db.transaction((owner: string, now: number, leaseMs: number): ClaimedDelivery | undefined => {
    const due = q.due.get(now, now) as { id: string } | undefined;
    if (!due) return undefined;
    const row = q.claim.get(owner, now + leaseMs, due.id) as DeliveryRow;
    const user = q.recipient.get(row.user_id) as { id: string; name: string; email: string; disabled_at: number | null };
    return {
      ...toDelivery(row),
      recipient: { id: user.id, name: user.name, email: user.email, disabled: user.disabled_at !== null },
      notifications: (q.carried.all(row.id) as NotificationRow[]).map(toNotification),
    };
  });

  const updateSettings = db.transaction((userId: string, changes: Parameters<NotificationStore['updateNotificationSettings']>[1]) => {
    const next = mergeSettings(toSettings(q.settings.get(userId) as SettingsRow | undefined), changes);
    q.saveSettings.run(userId, next.immediate ? 1 : 0, next.digest, next.emailOff ? 1 : 0, JSON.stringify(next.muted));
    return next;
  });

  const recordVisit = db.transaction((userId: string, documentId: string, at: number): Date | null => {
    const before = q.visit.get(userId, documentId) as { visited_at: number } | undefined;
    q.saveVisit.run(userId, documentId, at);
    return before ? new Date(before.visited_at) : null;
  });

  const markSome = db.transaction((userId: string, ids: readonly string[], now: number) => {
    let changed = 0;
    for (const id of ids) changed += q.markOne.run(now, userId, id).changes;
    return changed;
  });

  return {
    async addNotifications(notifications, now) {
      return add(notifications, now.getTime());
    },
    async listNotifications(userId, { limit, unreadOnly }) {
      return ((unreadOnly ? q.listUnread : q.list).all(userId, limit) as NotificationRow[]).map(toNotification);
    },
    async countUnreadNotifications(userId) {
      return (q.countUnread.get(userId) as { n: number }).n;
    },
    async markNotificationsRead(userId, ids, now) {
      if (ids === 'all') return q.markAll.run(now.getTime(), userId).changes;
      return markSome(userId, ids, now.getTime());
    },
    async getNotificationSettings(userId) {
      return toSettings(q.settings.get(userId) as SettingsRow | undefined);
    },
    async updateNotificationSettings(userId, changes) {
      return updateSettings(userId, changes);
    },
    async claimEmailDelivery(owner, now, leaseMs) {
      return claim(owner, now.getTime(), leaseMs);
    },
    async finishEmailDelivery(id, owner, outcome, now) {
      return q.finish.run(outcome.state, outcome.error ?? null, now.getTime(), id, owner).changes === 1;
    },
    async renewEmailLease(id, owner, until) {
      return q.renew.run(until.getTime(), id, owner).changes === 1;
    },
    async retryEmailDelivery(id, owner, dueAt, error) {
      return q.retry.run(dueAt.getTime(), error, id, owner).changes === 1;
    },
    async releaseDigests(userId, now) {
      const at = now.getTime();
      return (userId === null ? q.release.run(at, at) : q.releaseOne.run(at, at, userId)).changes;
    },
    async nextEmailDueAt() {
      const { at } = q.nextDue.get() as { at: number | null };
      return at === null ? undefined : new Date(at);
    },
    async listEmailDeliveries(userId) {
      return (q.deliveries.all(userId) as DeliveryRow[]).map(toDelivery);
    },
    async pruneNotifications(deliveriesBefore, notificationsBefore) {
      return db.transaction(() => ({
        notifications: q.pruneNotifications.run(notificationsBefore.getTime()).changes,
        deliveries: q.pruneDeliveries.run(deliveriesBefore.getTime()).changes,
      }))();
    },
    async recordVisit(userId, documentId, at) {
      return recordVisit(userId, documentId, at.getTime());
    },
    async serverSecret(name, candidate) {
      q.insertSecret.run(name, candidate);
      return (q.secret.get(name) as { value: string }).value;
    },
  };
}
