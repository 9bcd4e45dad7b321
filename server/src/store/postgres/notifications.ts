import type pg from 'pg';
import { newId } from '../../../../shared/protocol/index';
import type { ClaimedDelivery, NotificationStore } from '../notification-store';
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
import { transaction } from './pool';

/**
 * Notifications, the e-mail queue and e-mail settings in PostgreSQL, shared by several processes:
 * a sender claims a delivery with `FOR UPDATE SKIP LOCKED` and a lease, so each is sent by one
 * process at a time, and one that died mid-send is taken up by another once its lease runs out.
 */
export function postgresNotifications(pool: pg.Pool): NotificationStore {
  return {
    addNotifications(notifications, now) {
      return transaction(pool, async (client) => {
        const at = now.getTime();
        const stored: string[] = [];
        for (const n of notifications) {
          const inserted = await client.query(
            `INSERT INTO notifications (id, user_id, kind, doc_id, thread_id, comment_id, actor_id, excerpt, detail, dedupe_key, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (dedupe_key) DO NOTHING`,
            [n.id, n.userId, n.kind, n.documentId, n.threadId, n.commentId, n.actorId, n.excerpt, n.detail, n.dedupeKey, at],
          );
          if (inserted.rowCount === 0) continue;
          stored.push(n.id);
          let deliveryId: string | null = null;
          if (n.email?.kind === 'immediate') {
            deliveryId = newId();
            await client.query(
              `INSERT INTO email_deliveries (id, user_id, kind, state, due_at, created_at) VALUES ($1, $2, 'immediate', 'queued', $3, $3)`,
              [deliveryId, n.userId, at],
            );
          } else if (n.email?.kind === 'digest') {
            // Joins the person's collecting digest, or starts one. A digest a sender sealed
            // meanwhile no longer matches the index, so this then starts a new one.
            const { rows } = await client.query<{ id: string }>(
              `INSERT INTO email_deliveries (id, user_id, kind, state, due_at, created_at) VALUES ($1, $2, 'digest', 'collecting', $3, $4)
               ON CONFLICT (user_id) WHERE state = 'collecting' DO UPDATE SET due_at = LEAST(email_deliveries.due_at, EXCLUDED.due_at)
               RETURNING id`,
              [newId(), n.userId, n.email.dueAt.getTime(), at],
            );
            deliveryId = rows[0].id;
          }
          if (deliveryId) await client.query('UPDATE notifications SET delivery_id = $1 WHERE id = $2', [deliveryId, n.id]);
        }
        return stored;
      });
    },
    async listNotifications(userId, { limit, unreadOnly }) {
      const { rows } = await pool.query<NotificationRow>(
        `${VISIBLE_NOTIFICATIONS} AND n.user_id = $1 ${unreadOnly ? 'AND n.read_at IS NULL' : ''} ORDER BY n.created_at DESC, n.seq DESC LIMIT $2`,
        [userId, limit],
      );
      return rows.map(toNotification);
    },
    async countUnreadNotifications(userId) {
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*) AS n FROM (${VISIBLE_NOTIFICATIONS} AND n.user_id = $1 AND n.read_at IS NULL) visible`, [
        userId,
      ]);
      return rows[0].n;
    },
    async markNotificationsRead(userId, ids, now) {
      const result =
        ids === 'all'
          ? await pool.query('UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL', [now.getTime(), userId])
          : await pool.query('UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND id = ANY($3::text[]) AND read_at IS NULL', [
              now.getTime(),
              userId,
              ids,
            ]);
      return result.rowCount ?? 0;
    },
    async getNotificationSettings(userId) {
      const { rows } = await pool.query<SettingsRow>('SELECT immediate, digest, email_off, muted FROM notification_settings WHERE user_id = $1', [userId]);
      return toSettings(rows[0]);
    },
    updateNotificationSettings(userId, changes) {
      return transaction(pool, async (client) => {
        await client.query('INSERT INTO notification_settings (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING', [userId]);
        const { rows } = await client.query<SettingsRow>('SELECT immediate, digest, email_off, muted FROM notification_settings WHERE user_id = $1 FOR UPDATE', [
          userId,
        ]);
        const next = mergeSettings(toSettings(rows[0]), changes);
        await client.query('UPDATE notification_settings SET immediate = $2, digest = $3, email_off = $4, muted = $5 WHERE user_id = $1', [
          userId,
          next.immediate,
          next.digest,
          next.emailOff,
          next.muted,
        ]);
        return next;
      });
    },
    claimEmailDelivery(owner, now, leaseMs) {
      return transaction(pool, async (client): Promise<ClaimedDelivery | undefined> => {
        const at = now.getTime();
        const { rows } = await client.query<DeliveryRow>(
          `UPDATE email_deliveries SET state = 'queued', lease_owner = $1, lease_until = $2, attempts = attempts + 1
            WHERE id = (SELECT id FROM email_deliveries
                         WHERE state IN ('queued', 'collecting') AND due_at <= $3 AND (lease_until IS NULL OR lease_until <= $3)
                         ORDER BY due_at, created_at, seq LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING *`,
          [owner, at + leaseMs, at],
        );
        const row = rows[0];
        if (!row) return undefined;
        const user = await client.query<{ id: string; name: string; email: string; disabled_at: number | null }>(
          'SELECT id, name, email, disabled_at FROM users WHERE id = $1',
          [row.user_id],
        );
        const carried = await client.query<NotificationRow>(`${VISIBLE_NOTIFICATIONS} AND n.delivery_id = $1 ORDER BY n.created_at, n.seq`, [row.id]);
        const recipient = user.rows[0];
        return {
          ...toDelivery(row),
          recipient: { id: recipient.id, name: recipient.name, email: recipient.email, disabled: recipient.disabled_at !== null },
          notifications: carried.rows.map(toNotification),
        };
      });
    },
    async finishEmailDelivery(id, owner, outcome, now) {
      const result = await pool.query(
        `UPDATE email_deliveries SET state = $1, last_error = coalesce($2, last_error), finished_at = $3, lease_owner = NULL, lease_until = NULL
          WHERE id = $4 AND lease_owner = $5 AND state = 'queued'`,
        [outcome.state, outcome.error ?? null, now.getTime(), id, owner],
      );
      return result.rowCount === 1;
    },
    async renewEmailLease(id, owner, until) {
      const result = await pool.query(`UPDATE email_deliveries SET lease_until = $1 WHERE id = $2 AND lease_owner = $3 AND state = 'queued'`, [
        until.getTime(),
        id,
        owner,
      ]);
      return result.rowCount === 1;
    },
    async retryEmailDelivery(id, owner, dueAt, error) {
      const result = await pool.query(
        `UPDATE email_deliveries SET due_at = $1, last_error = $2, lease_owner = NULL, lease_until = NULL
          WHERE id = $3 AND lease_owner = $4 AND state = 'queued'`,
        [dueAt.getTime(), error, id, owner],
      );
      return result.rowCount === 1;
    },
    async releaseDigests(userId, now) {
      const at = now.getTime();
      const result =
        userId === null
          ? await pool.query(`UPDATE email_deliveries SET due_at = $1 WHERE state = 'collecting' AND due_at > $1`, [at])
          : await pool.query(`UPDATE email_deliveries SET due_at = $1 WHERE state = 'collecting' AND due_at > $1 AND user_id = $2`, [at, userId]);
      return result.rowCount ?? 0;
    },
    async nextEmailDueAt() {
      const { rows } = await pool.query<{ at: number | null }>(
        `SELECT min(GREATEST(due_at, coalesce(lease_until, 0))) AS at FROM email_deliveries WHERE state IN ('queued', 'collecting')`,
      );
      return rows[0].at === null ? undefined : new Date(rows[0].at);
    },
    async listEmailDeliveries(userId) {
      const { rows } = await pool.query<DeliveryRow>('SELECT * FROM email_deliveries WHERE user_id = $1 ORDER BY created_at, seq', [userId]);
      return rows.map(toDelivery);
    },
    pruneNotifications(deliveriesBefore, notificationsBefore) {
      return transaction(pool, async (client) => {
        const notifications = await client.query('DELETE FROM notifications WHERE created_at < $1', [notificationsBefore.getTime()]);
        const deliveries = await client.query(`DELETE FROM email_deliveries WHERE state IN ('sent', 'skipped', 'failed') AND finished_at < $1`, [
          deliveriesBefore.getTime(),
        ]);
        return { notifications: notifications.rowCount ?? 0, deliveries: deliveries.rowCount ?? 0 };
      });
    },
    recordVisit(userId, documentId, at) {
      return transaction(pool, async (client) => {
        const { rows } = await client.query<{ visited_at: number }>(
          'SELECT visited_at FROM document_visits WHERE user_id = $1 AND doc_id = $2 FOR UPDATE',
          [userId, documentId],
        );
        await client.query(
          `INSERT INTO document_visits (user_id, doc_id, visited_at) VALUES ($1, $2, $3)
           ON CONFLICT (user_id, doc_id) DO UPDATE SET visited_at = EXCLUDED.visited_at`,
          [userId, documentId, at.getTime()],
        );
        return rows[0] ? new Date(rows[0].visited_at) : null;
      });
    },
    async serverSecret(name, candidate) {
      await pool.query('INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, candidate]);
      const { rows } = await pool.query<{ value: string }>('SELECT value FROM server_secrets WHERE name = $1', [name]);
      return rows[0].value;
    },
  };
}
