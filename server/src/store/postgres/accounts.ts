import type pg from 'pg';
import type { Role } from '../../../../shared/api/index';
import { normalizeScopes } from '../../../../shared/api/index';
import type { AccountStore, CreateUserResult, UserChangeResult, UserRecord } from '../account-store';
import { toSession, toToken, toUser, type SessionRow, type TokenRow, type UserRow } from '../rows/accounts';
import { Rollback, transaction } from './pool';

/**
 * Creating accounts and changing who is an administrator take this lock, so that decisions about
 * "the first account" and "the last administrator" see every other such change (a row lock can't
 * guard a count). It lets reads, and inserts elsewhere that reference users, through.
 */
const LOCK_USERS = 'LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE';

/** Users, sessions and personal access tokens in PostgreSQL. */
export function postgresAccounts(pool: pg.Pool): AccountStore {
  const getUser = async (db: pg.Pool | pg.PoolClient, id: string): Promise<UserRecord | undefined> => {
    const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0] && toUser(rows[0]);
  };
  const countUsers = async (db: pg.Pool | pg.PoolClient): Promise<number> =>
    (await db.query<{ n: number }>('SELECT count(*) AS n FROM users')).rows[0].n;

  return {
    async createUser(user) {
      return transaction<CreateUserResult>(pool, async (client) => {
        await client.query(LOCK_USERS);
        const existing = await countUsers(client);
        if (user.onlyIfFirst && existing > 0) return { status: 'not_first' };
        if ((await client.query('SELECT 1 FROM users WHERE email = $1', [user.email])).rowCount !== 0) return { status: 'email_taken' };
        await client.query('INSERT INTO users (id, email, name, password_hash, is_admin, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
          user.id,
          user.email,
          user.name,
          user.passwordHash,
          existing === 0,
          Date.now(),
        ]);
        const created = (await getUser(client, user.id))!;
        if (!user.invite) return { status: 'created', user: created };
        // The conditional update is what makes the invite single-use: a concurrent sign-up (or
        // acceptance) with it waits for this row, then finds it used. Failing it rolls the account back.
        const now = user.invite.now.getTime();
        const used = await client.query<{ group_id: string; role: Role }>(
          `UPDATE invites SET used_at = $1, used_by = $2
            WHERE token_hash = $3 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $1 RETURNING group_id, role`,
          [now, user.id, user.invite.tokenHash],
        );
        if (used.rows.length === 0) {
          const invite = await client.query<{ used_at: number | null }>('SELECT used_at FROM invites WHERE token_hash = $1', [user.invite.tokenHash]);
          throw new Rollback<CreateUserResult>({ status: invite.rows[0]?.used_at != null ? 'invite_used' : 'invite_invalid' });
        }
        const { group_id: groupId, role } = used.rows[0];
        await client.query('INSERT INTO memberships (group_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)', [groupId, user.id, role, now]);
        return { status: 'created', user: created, joined: { groupId, role } };
      });
    },
    async getUser(id) {
      return getUser(pool, id);
    },
    async getUserByEmail(email) {
      const { rows } = await pool.query<UserRow>('SELECT * FROM users WHERE email = $1', [email]);
      return rows[0] && toUser(rows[0]);
    },
    async countUsers() {
      return countUsers(pool);
    },
    async listUsers() {
      const { rows } = await pool.query<UserRow & { group_count: number }>(
        'SELECT users.*, (SELECT count(*) FROM memberships WHERE user_id = users.id) AS group_count FROM users ORDER BY created_at',
      );
      return rows.map((row) => ({ ...toUser(row), groupCount: row.group_count }));
    },
    async updateProfile(id, changes) {
      return transaction(pool, async (client) => {
        if (changes.name !== undefined) await client.query('UPDATE users SET name = $1 WHERE id = $2', [changes.name, id]);
        if (changes.passwordHash !== undefined) await client.query('UPDATE users SET password_hash = $1 WHERE id = $2', [changes.passwordHash, id]);
        return getUser(client, id);
      });
    },
    async updateUserStatus(id, changes) {
      return transaction<UserChangeResult>(pool, async (client) => {
        await client.query(LOCK_USERS);
        const user = await getUser(client, id);
        if (!user) return { status: 'not_found' };
        if (changes.isAdmin !== undefined) await client.query('UPDATE users SET is_admin = $1 WHERE id = $2', [changes.isAdmin, id]);
        if (changes.disabled !== undefined && changes.disabled !== user.disabled) {
          await client.query('UPDATE users SET disabled_at = $1 WHERE id = $2', [changes.disabled ? Date.now() : null, id]);
        }
        // Checked after the change, in the same transaction: an installation always keeps an administrator.
        const admins = await client.query<{ n: number }>('SELECT count(*) AS n FROM users WHERE is_admin AND disabled_at IS NULL');
        if (admins.rows[0].n === 0) throw new Rollback<UserChangeResult>({ status: 'last_admin' });
        return { status: 'updated', user: (await getUser(client, id))! };
      });
    },
    async createSession({ idHash, userId, expiresAt }, now) {
      await transaction(pool, async (client) => {
        await client.query('DELETE FROM sessions WHERE expires_at <= $1', [now.getTime()]);
        await client.query('INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
          idHash,
          userId,
          now.getTime(),
          expiresAt.getTime(),
        ]);
      });
    },
    async getSession(idHash) {
      const { rows } = await pool.query<SessionRow>('SELECT * FROM sessions WHERE id_hash = $1', [idHash]);
      return rows[0] && toSession(rows[0]);
    },
    async extendSession(idHash, expiresAt) {
      await pool.query('UPDATE sessions SET expires_at = $1 WHERE id_hash = $2', [expiresAt.getTime(), idHash]);
    },
    async deleteSession(idHash) {
      await pool.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
    },
    async deleteUserSessions(userId, exceptIdHash) {
      const { rows } = await pool.query<{ id_hash: string }>(
        'DELETE FROM sessions WHERE user_id = $1 AND id_hash IS DISTINCT FROM $2 RETURNING id_hash',
        [userId, exceptIdHash ?? null],
      );
      return rows.map((row) => row.id_hash);
    },
    async createPasswordReset({ tokenHash, userId, expiresAt }) {
      await transaction(pool, async (client) => {
        // Serializes resets of one person, so exactly one of two simultaneous ones stays pending.
        await client.query('SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
        await client.query('DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL', [userId]);
        await client.query('INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
          tokenHash,
          userId,
          Date.now(),
          expiresAt.getTime(),
        ]);
      });
    },
    async getPasswordReset(tokenHash, now) {
      const { rows } = await pool.query<UserRow & { reset_expires_at: number }>(
        `SELECT users.*, password_resets.expires_at AS reset_expires_at FROM password_resets JOIN users ON users.id = password_resets.user_id
          WHERE password_resets.token_hash = $1 AND password_resets.used_at IS NULL AND password_resets.expires_at > $2`,
        [tokenHash, now.getTime()],
      );
      return rows[0] && { user: toUser(rows[0]), expiresAt: new Date(rows[0].reset_expires_at) };
    },
    async completePasswordReset(tokenHash, passwordHash, now) {
      return transaction(pool, async (client) => {
        // The conditional update is what makes the reset single-use, even when used twice at once.
        const used = await client.query<{ user_id: string }>(
          'UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id',
          [now.getTime(), tokenHash],
        );
        if (used.rows.length === 0) return undefined;
        await client.query('UPDATE users SET password_hash = $1 WHERE id = $2', [passwordHash, used.rows[0].user_id]);
        return getUser(client, used.rows[0].user_id);
      });
    },
    async createAccessToken(token) {
      const { rows } = await pool.query<TokenRow>(
        `INSERT INTO access_tokens (id, user_id, name, token_hash, prefix, created_at, expires_at, scopes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [token.id, token.userId, token.name, token.tokenHash, token.prefix, Date.now(), token.expiresAt?.getTime() ?? null, normalizeScopes(token.scopes)],
      );
      return toToken(rows[0]);
    },
    async listAccessTokens(userId) {
      const { rows } = await pool.query<TokenRow>('SELECT * FROM access_tokens WHERE user_id = $1 ORDER BY created_at DESC', [userId]);
      return rows.map(toToken);
    },
    async getAccessTokenByHash(tokenHash) {
      const { rows } = await pool.query<TokenRow>('SELECT * FROM access_tokens WHERE token_hash = $1', [tokenHash]);
      return rows[0] && toToken(rows[0]);
    },
    async touchAccessToken(id, usedAt) {
      await pool.query('UPDATE access_tokens SET last_used_at = $1 WHERE id = $2', [usedAt.getTime(), id]);
    },
    async deleteAccessToken(userId, id) {
      return ((await pool.query('DELETE FROM access_tokens WHERE user_id = $1 AND id = $2', [userId, id])).rowCount ?? 0) > 0;
    },
  };
}
