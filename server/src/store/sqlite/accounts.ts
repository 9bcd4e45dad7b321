import type Database from 'better-sqlite3';
import type { Role } from '../../../../shared/api/index';
import type { AccountStore, CreateUserResult, UserRecord } from '../account-store';
import { sqliteScopes, toSession, toToken, toUser, type SessionRow, type TokenRow, type UserRow } from '../rows/accounts';

/** Users, sessions and personal access tokens in SQLite. */
export function sqliteAccounts(db: Database.Database): AccountStore {
  const q = {
    countUsers: db.prepare('SELECT count(*) AS n FROM users'),
    insertUser: db.prepare(
      'INSERT INTO users (id, email, name, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    getUser: db.prepare('SELECT * FROM users WHERE id = ?'),
    getUserByEmail: db.prepare('SELECT * FROM users WHERE email = ?'),
    listUsers: db.prepare(
      'SELECT users.*, (SELECT count(*) FROM memberships WHERE user_id = users.id) AS group_count FROM users ORDER BY created_at',
    ),
    setName: db.prepare('UPDATE users SET name = ? WHERE id = ?'),
    setPasswordHash: db.prepare('UPDATE users SET password_hash = ? WHERE id = ?'),
    setAdmin: db.prepare('UPDATE users SET is_admin = ? WHERE id = ?'),
    setDisabled: db.prepare('UPDATE users SET disabled_at = ? WHERE id = ?'),
    countActiveAdmins: db.prepare('SELECT count(*) AS n FROM users WHERE is_admin = 1 AND disabled_at IS NULL'),
    insertSession: db.prepare('INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)'),
    getSession: db.prepare('SELECT * FROM sessions WHERE id_hash = ?'),
    deleteExpiredSessions: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
    extendSession: db.prepare('UPDATE sessions SET expires_at = ? WHERE id_hash = ?'),
    deleteSession: db.prepare('DELETE FROM sessions WHERE id_hash = ?'),
    userSessions: db.prepare('SELECT id_hash FROM sessions WHERE user_id = ? AND id_hash IS NOT ?'),
    deleteUserSessions: db.prepare('DELETE FROM sessions WHERE user_id = ? AND id_hash IS NOT ?'),
    deletePendingResets: db.prepare('DELETE FROM password_resets WHERE user_id = ? AND used_at IS NULL'),
    insertReset: db.prepare('INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)'),
    pendingResetUser: db.prepare('SELECT user_id, expires_at FROM password_resets WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?'),
    useReset: db.prepare('UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?'),
    insertToken: db.prepare(
      'INSERT INTO access_tokens (id, user_id, name, token_hash, prefix, created_at, expires_at, scopes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    getInviteByHash: db.prepare('SELECT id, group_id, role, used_at FROM invites WHERE token_hash = ?'),
    useInvite: db.prepare(
      'UPDATE invites SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?',
    ),
    insertMembership: db.prepare('INSERT INTO memberships (group_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)'),
    getToken: db.prepare('SELECT * FROM access_tokens WHERE id = ?'),
    getTokenByHash: db.prepare('SELECT * FROM access_tokens WHERE token_hash = ?'),
    listTokens: db.prepare('SELECT * FROM access_tokens WHERE user_id = ? ORDER BY created_at DESC'),
    touchToken: db.prepare('UPDATE access_tokens SET last_used_at = ? WHERE id = ?'),
    deleteToken: db.prepare('DELETE FROM access_tokens WHERE user_id = ? AND id = ?'),
  };

  const getUser = (id: string): UserRecord | undefined => {
    const row = q.getUser.get(id) as UserRow | undefined;
    return row && toUser(row);
  };

  const createUser = db.transaction((user: Parameters<AccountStore['createUser']>[0], now: number): CreateUserResult => {
    const existing = (q.countUsers.get() as { n: number }).n;
    if (user.onlyIfFirst && existing > 0) return { status: 'not_first' };
    if (q.getUserByEmail.get(user.email)) return { status: 'email_taken' };
    const invite = user.invite && (q.getInviteByHash.get(user.invite.tokenHash) as { id: string; group_id: string; role: Role; used_at: number | null } | undefined);
    if (user.invite && !invite) return { status: 'invite_invalid' };
    q.insertUser.run(user.id, user.email, user.name, user.passwordHash, existing === 0 ? 1 : 0, now);
    if (!invite) return { status: 'created', user: getUser(user.id)! };
    // The conditional update is what makes the invite single-use; failing it rolls the account back.
    const usedAt = user.invite!.now.getTime();
    if (q.useInvite.run(usedAt, user.id, invite.id, usedAt).changes === 0) {
      throw new InviteRefused(invite.used_at === null ? 'invite_invalid' : 'invite_used');
    }
    q.insertMembership.run(invite.group_id, user.id, invite.role, usedAt);
    return { status: 'created', user: getUser(user.id)!, joined: { groupId: invite.group_id, role: invite.role } };
  });

  const updateUserStatus = db.transaction((id: string, changes: { isAdmin?: boolean; disabled?: boolean }) => {
    const user = getUser(id);
    if (!user) return { status: 'not_found' as const };
    if (changes.isAdmin !== undefined) q.setAdmin.run(changes.isAdmin ? 1 : 0, id);
    if (changes.disabled !== undefined && changes.disabled !== user.disabled) q.setDisabled.run(changes.disabled ? Date.now() : null, id);
    // Checked after the change, in the same transaction: an installation always keeps an administrator.
    if ((q.countActiveAdmins.get() as { n: number }).n === 0) throw new LastAdminError();
    return { status: 'updated' as const, user: getUser(id)! };
  });

  const createPasswordReset = db.transaction((tokenHash: string, userId: string, now: number, expiresAt: number) => {
    q.deletePendingResets.run(userId);
    q.insertReset.run(tokenHash, userId, now, expiresAt);
  });

  const completePasswordReset = db.transaction((tokenHash: string, passwordHash: string, now: number) => {
    const row = q.pendingResetUser.get(tokenHash, now) as { user_id: string } | undefined;
    if (!row || q.useReset.run(now, tokenHash, now).changes === 0) return undefined;
    q.setPasswordHash.run(passwordHash, row.user_id);
    return getUser(row.user_id);
  });

  const deleteUserSessions = db.transaction((userId: string, except: string | null) => {
    const ended = (q.userSessions.all(userId, except) as { id_hash: string }[]).map((row) => row.id_hash);
    q.deleteUserSessions.run(userId, except);
    return ended;
  });

  return {
    async createUser(user) {
      try {
        return createUser(user, Date.now());
      } catch (error) {
        if (error instanceof InviteRefused) return { status: error.status };
        throw error;
      }
    },
    async getUser(id) {
      return getUser(id);
    },
    async getUserByEmail(email) {
      const row = q.getUserByEmail.get(email) as UserRow | undefined;
      return row && toUser(row);
    },
    async countUsers() {
      return (q.countUsers.get() as { n: number }).n;
    },
    async listUsers() {
      return (q.listUsers.all() as (UserRow & { group_count: number })[]).map((row) => ({ ...toUser(row), groupCount: row.group_count }));
    },
    async updateProfile(id, changes) {
      db.transaction(() => {
        if (changes.name !== undefined) q.setName.run(changes.name, id);
        if (changes.passwordHash !== undefined) q.setPasswordHash.run(changes.passwordHash, id);
      })();
      return getUser(id);
    },
    async updateUserStatus(id, changes) {
      try {
        return updateUserStatus(id, changes);
      } catch (error) {
        if (error instanceof LastAdminError) return { status: 'last_admin' };
        throw error;
      }
    },
    async createSession({ idHash, userId, expiresAt }, now) {
      db.transaction(() => {
        q.deleteExpiredSessions.run(now.getTime());
        q.insertSession.run(idHash, userId, now.getTime(), expiresAt.getTime());
      })();
    },
    async getSession(idHash) {
      const row = q.getSession.get(idHash) as SessionRow | undefined;
      return row && toSession(row);
    },
    async extendSession(idHash, expiresAt) {
      q.extendSession.run(expiresAt.getTime(), idHash);
    },
    async deleteSession(idHash) {
      q.deleteSession.run(idHash);
    },
    async deleteUserSessions(userId, exceptIdHash) {
      return deleteUserSessions(userId, exceptIdHash ?? null);
    },
    async createPasswordReset({ tokenHash, userId, expiresAt }) {
      createPasswordReset(tokenHash, userId, Date.now(), expiresAt.getTime());
    },
    async getPasswordReset(tokenHash, now) {
      const row = q.pendingResetUser.get(tokenHash, now.getTime()) as { user_id: string; expires_at: number } | undefined;
      const user = row && getUser(row.user_id);
      return user && { user, expiresAt: new Date(row.expires_at) };
    },
    async completePasswordReset(tokenHash, passwordHash, now) {
      return completePasswordReset(tokenHash, passwordHash, now.getTime());
    },
    async createAccessToken(token) {
      q.insertToken.run(token.id, token.userId, token.name, token.tokenHash, token.prefix, Date.now(), token.expiresAt?.getTime() ?? null, sqliteScopes(token.scopes));
      return toToken(q.getToken.get(token.id) as TokenRow);
    },
    async listAccessTokens(userId) {
      return (q.listTokens.all(userId) as TokenRow[]).map(toToken);
    },
    async getAccessTokenByHash(tokenHash) {
      const row = q.getTokenByHash.get(tokenHash) as TokenRow | undefined;
      return row && toToken(row);
    },
    async touchAccessToken(id, usedAt) {
      q.touchToken.run(usedAt.getTime(), id);
    },
    async deleteAccessToken(userId, id) {
      return q.deleteToken.run(userId, id).changes > 0;
    },
  };
}

/** Thrown inside a transaction to roll it back. */
class LastAdminError extends Error {}

/** Thrown inside createUser's transaction to roll the new account back. */
class InviteRefused extends Error {
  constructor(readonly status: 'invite_used' | 'invite_invalid') {
    super(status);
  }
}
