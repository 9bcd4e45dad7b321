import type pg from 'pg';
import type { Role } from '../../../../shared/api/index';
import type { GroupRecord, GroupStore, MembershipChangeResult, RedeemInviteResult } from '../group-store';
import { INVITE_COLUMNS, toGroup, toGroupOfUser, toInvite, toMember, type GroupOfUserRow, type GroupRow, type InviteRow, type MemberRow } from '../rows/groups';
import { Rollback, transaction } from './pool';

/** Working groups, memberships and invites in PostgreSQL. */
export function postgresGroups(pool: pg.Pool): GroupStore {
  const getGroup = async (db: pg.Pool | pg.PoolClient, id: string): Promise<GroupRecord | undefined> => {
    const { rows } = await db.query<GroupRow>('SELECT * FROM working_groups WHERE id = $1', [id]);
    return rows[0] && toGroup(rows[0]);
  };
  const getRole = async (db: pg.Pool | pg.PoolClient, groupId: string, userId: string): Promise<Role | undefined> => {
    const { rows } = await db.query<{ role: Role }>('SELECT role FROM memberships WHERE group_id = $1 AND user_id = $2', [groupId, userId]);
    return rows[0]?.role;
  };

  /** Applies a membership change unless it leaves the group without a co-chair. */
  const changeMembership = (groupId: string, userId: string, role: Role | null): Promise<MembershipChangeResult> =>
    transaction(pool, async (client) => {
      // Membership changes of one group wait for each other, so two co-chairs stepping down at
      // once can't both see the other one remaining. (NO KEY: new members may still be added.)
      await client.query('SELECT 1 FROM working_groups WHERE id = $1 FOR NO KEY UPDATE', [groupId]);
      const previousRole = await getRole(client, groupId, userId);
      if (!previousRole) return { status: 'not_member' };
      if (previousRole === 'co-chair' && role !== 'co-chair') {
        const coChairs = await client.query<{ n: number }>("SELECT count(*) AS n FROM memberships WHERE group_id = $1 AND role = 'co-chair'", [groupId]);
        if (coChairs.rows[0].n <= 1) return { status: 'last_co_chair' };
      }
      if (role === null) await client.query('DELETE FROM memberships WHERE group_id = $1 AND user_id = $2', [groupId, userId]);
      else await client.query('UPDATE memberships SET role = $1 WHERE group_id = $2 AND user_id = $3', [role, groupId, userId]);
      return { status: 'changed', previousRole };
    });

  return {
    async createGroup(group) {
      return transaction(pool, async (client) => {
        const now = Date.now();
        await client.query('INSERT INTO working_groups (id, name, description, created_at) VALUES ($1, $2, $3, $4)', [
          group.id,
          group.name,
          group.description,
          now,
        ]);
        await client.query("INSERT INTO memberships (group_id, user_id, role, joined_at) VALUES ($1, $2, 'co-chair', $3)", [group.id, group.creatorId, now]);
        return (await getGroup(client, group.id))!;
      });
    },
    async getGroup(id) {
      return getGroup(pool, id);
    },
    async updateGroup(id, changes) {
      return transaction(pool, async (client) => {
        if (changes.name !== undefined) await client.query('UPDATE working_groups SET name = $1 WHERE id = $2', [changes.name, id]);
        if (changes.description !== undefined) await client.query('UPDATE working_groups SET description = $1 WHERE id = $2', [changes.description, id]);
        return getGroup(client, id);
      });
    },
    async deleteGroup(id) {
      return transaction(pool, async (client) => {
        // Locking the group first makes a document created in it meanwhile wait and then fail
        // (its group is gone) instead of surviving it.
        await client.query('SELECT 1 FROM working_groups WHERE id = $1 FOR UPDATE', [id]);
        // Documents take their content, threads and versions with them (ON DELETE CASCADE).
        const documents = await client.query<{ id: string }>('DELETE FROM documents WHERE group_id = $1 RETURNING id', [id]);
        await client.query('DELETE FROM working_groups WHERE id = $1', [id]);
        return documents.rows.map((row) => row.id);
      });
    },
    async listGroupsForUser(userId) {
      const { rows } = await pool.query<GroupOfUserRow>(
        `SELECT working_groups.*, memberships.role,
                (SELECT count(*) FROM memberships AS m WHERE m.group_id = working_groups.id) AS member_count
           FROM memberships JOIN working_groups ON working_groups.id = memberships.group_id
          WHERE memberships.user_id = $1 ORDER BY lower(working_groups.name)`,
        [userId],
      );
      return rows.map(toGroupOfUser);
    },
    async getRole(groupId, userId) {
      return getRole(pool, groupId, userId);
    },
    async listMembers(groupId) {
      const { rows } = await pool.query<MemberRow>(
        `SELECT memberships.user_id, memberships.role, memberships.joined_at, users.name, users.email
           FROM memberships JOIN users ON users.id = memberships.user_id
          WHERE memberships.group_id = $1 ORDER BY lower(users.name)`,
        [groupId],
      );
      return rows.map(toMember);
    },
    async setMemberRole(groupId, userId, role) {
      return changeMembership(groupId, userId, role);
    },
    async removeMember(groupId, userId) {
      return changeMembership(groupId, userId, null);
    },
    async createInvite(invite) {
      await pool.query(
        `INSERT INTO invites (id, group_id, token_hash, role, note, created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [invite.id, invite.groupId, invite.tokenHash, invite.role, invite.note, invite.createdBy, Date.now(), invite.expiresAt.getTime()],
      );
      const { rows } = await pool.query<InviteRow>(`SELECT ${INVITE_COLUMNS} WHERE invites.id = $1`, [invite.id]);
      return toInvite(rows[0]);
    },
    async listPendingInvites(groupId, now) {
      const { rows } = await pool.query<InviteRow>(
        `SELECT ${INVITE_COLUMNS} WHERE invites.group_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2
          ORDER BY invites.created_at DESC`,
        [groupId, now.getTime()],
      );
      return rows.map(toInvite);
    },
    async getInviteByHash(tokenHash) {
      const { rows } = await pool.query<InviteRow>(`SELECT ${INVITE_COLUMNS} WHERE invites.token_hash = $1`, [tokenHash]);
      return rows[0] && toInvite(rows[0]);
    },
    async revokeInvite(groupId, inviteId) {
      const revoked = await pool.query(
        'UPDATE invites SET revoked_at = $1 WHERE group_id = $2 AND id = $3 AND used_at IS NULL AND revoked_at IS NULL',
        [Date.now(), groupId, inviteId],
      );
      return (revoked.rowCount ?? 0) > 0;
    },
    async redeemInvite(tokenHash, userId, now) {
      return transaction<RedeemInviteResult>(pool, async (client) => {
        const { rows } = await client.query<{ id: string; group_id: string; role: Role }>('SELECT id, group_id, role FROM invites WHERE token_hash = $1', [
          tokenHash,
        ]);
        const invite = rows[0];
        if (!invite) return { status: 'invalid' };
        if (await getRole(client, invite.group_id, userId)) return { status: 'already_member', groupId: invite.group_id };
        // The conditional update is what makes the invite single-use: a concurrent redemption
        // waits for this row and then finds it used.
        const used = await client.query(
          'UPDATE invites SET used_at = $1, used_by = $2 WHERE id = $3 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $1',
          [now.getTime(), userId, invite.id],
        );
        if (used.rowCount === 0) return { status: 'invalid' };
        const joined = await client.query('INSERT INTO memberships (group_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
          invite.group_id,
          userId,
          invite.role,
          now.getTime(),
        ]);
        // Joined meanwhile through another invite: this one stays unused.
        if (joined.rowCount === 0) throw new Rollback<RedeemInviteResult>({ status: 'already_member', groupId: invite.group_id });
        return { status: 'joined', groupId: invite.group_id, role: invite.role };
      });
    },
  };
}
