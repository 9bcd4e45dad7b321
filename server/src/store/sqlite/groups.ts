import type Database from 'better-sqlite3';
import type { Role } from '../../../../shared/api/index';
import type { GroupStore, MembershipChangeResult } from '../group-store';
import { INVITE_COLUMNS, toGroup, toGroupOfUser, toInvite, toMember, type GroupOfUserRow, type GroupRow, type InviteRow, type MemberRow } from '../rows/groups';

/** Working groups, memberships and invites in SQLite. */
export function sqliteGroups(db: Database.Database): GroupStore {
  const q = {
    insertGroup: db.prepare('INSERT INTO working_groups (id, name, description, created_at) VALUES (?, ?, ?, ?)'),
    getGroup: db.prepare('SELECT * FROM working_groups WHERE id = ?'),
    setName: db.prepare('UPDATE working_groups SET name = ? WHERE id = ?'),
    setDescription: db.prepare('UPDATE working_groups SET description = ? WHERE id = ?'),
    groupDocuments: db.prepare('SELECT id FROM documents WHERE group_id = ?'),
    deleteGroupUpdates: db.prepare('DELETE FROM document_updates WHERE doc_id IN (SELECT id FROM documents WHERE group_id = ?)'),
    deleteGroupSnapshots: db.prepare('DELETE FROM document_snapshots WHERE doc_id IN (SELECT id FROM documents WHERE group_id = ?)'),
    deleteGroupDocuments: db.prepare('DELETE FROM documents WHERE group_id = ?'),
    deleteGroup: db.prepare('DELETE FROM working_groups WHERE id = ?'),
    groupsForUser: db.prepare(
      `SELECT working_groups.*, memberships.role,
              (SELECT count(*) FROM memberships AS m WHERE m.group_id = working_groups.id) AS member_count
         FROM memberships JOIN working_groups ON working_groups.id = memberships.group_id
        WHERE memberships.user_id = ? ORDER BY working_groups.name COLLATE NOCASE`,
    ),
    insertMembership: db.prepare('INSERT INTO memberships (group_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)'),
    getRole: db.prepare('SELECT role FROM memberships WHERE group_id = ? AND user_id = ?'),
    listMembers: db.prepare(
      `SELECT memberships.user_id, memberships.role, memberships.joined_at, users.name, users.email
         FROM memberships JOIN users ON users.id = memberships.user_id
        WHERE memberships.group_id = ? ORDER BY users.name COLLATE NOCASE`,
    ),
    setRole: db.prepare('UPDATE memberships SET role = ? WHERE group_id = ? AND user_id = ?'),
    deleteMembership: db.prepare('DELETE FROM memberships WHERE group_id = ? AND user_id = ?'),
    countCoChairs: db.prepare("SELECT count(*) AS n FROM memberships WHERE group_id = ? AND role = 'co-chair'"),
    insertInvite: db.prepare(
      `INSERT INTO invites (id, group_id, token_hash, role, note, created_by, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    getInvite: db.prepare(`SELECT ${INVITE_COLUMNS} WHERE invites.id = ?`),
    getInviteByHash: db.prepare(`SELECT ${INVITE_COLUMNS} WHERE invites.token_hash = ?`),
    pendingInvites: db.prepare(
      `SELECT ${INVITE_COLUMNS} WHERE invites.group_id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?
       ORDER BY invites.created_at DESC`,
    ),
    revokeInvite: db.prepare('UPDATE invites SET revoked_at = ? WHERE group_id = ? AND id = ? AND used_at IS NULL AND revoked_at IS NULL'),
    useInvite: db.prepare(
      'UPDATE invites SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?',
    ),
  };

  const getRole = (groupId: string, userId: string): Role | undefined =>
    (q.getRole.get(groupId, userId) as { role: Role } | undefined)?.role;

  const createGroup = db.transaction((group: Parameters<GroupStore['createGroup']>[0], now: number) => {
    q.insertGroup.run(group.id, group.name, group.description, now);
    q.insertMembership.run(group.id, group.creatorId, 'co-chair', now);
  });

  const deleteGroup = db.transaction((id: string) => {
    const documentIds = (q.groupDocuments.all(id) as { id: string }[]).map((row) => row.id);
    q.deleteGroupUpdates.run(id);
    q.deleteGroupSnapshots.run(id);
    q.deleteGroupDocuments.run(id);
    q.deleteGroup.run(id);
    return documentIds;
  });

  /** Applies a membership change unless it leaves the group without a co-chair. */
  const changeMembership = db.transaction((groupId: string, userId: string, role: Role | null): MembershipChangeResult => {
    const previousRole = getRole(groupId, userId);
    if (!previousRole) return { status: 'not_member' };
    if (previousRole === 'co-chair' && role !== 'co-chair' && (q.countCoChairs.get(groupId) as { n: number }).n <= 1) {
      return { status: 'last_co_chair' };
    }
    if (role === null) q.deleteMembership.run(groupId, userId);
    else q.setRole.run(role, groupId, userId);
    return { status: 'changed', previousRole };
  });

  const redeemInvite = db.transaction((tokenHash: string, userId: string, now: number) => {
    const invite = q.getInviteByHash.get(tokenHash) as InviteRow | undefined;
    if (!invite) return { status: 'invalid' as const };
    if (getRole(invite.group_id, userId)) return { status: 'already_member' as const, groupId: invite.group_id };
    // The conditional update is what makes the invite single-use, even under concurrent redemptions.
    if (q.useInvite.run(now, userId, invite.id, now).changes === 0) return { status: 'invalid' as const };
    q.insertMembership.run(invite.group_id, userId, invite.role, now);
    return { status: 'joined' as const, groupId: invite.group_id, role: invite.role };
  });

  return {
    async createGroup(group) {
      createGroup(group, Date.now());
      return toGroup(q.getGroup.get(group.id) as GroupRow);
    },
    async getGroup(id) {
      const row = q.getGroup.get(id) as GroupRow | undefined;
      return row && toGroup(row);
    },
    async updateGroup(id, changes) {
      db.transaction(() => {
        if (changes.name !== undefined) q.setName.run(changes.name, id);
        if (changes.description !== undefined) q.setDescription.run(changes.description, id);
      })();
      const row = q.getGroup.get(id) as GroupRow | undefined;
      return row && toGroup(row);
    },
    async deleteGroup(id) {
      return deleteGroup(id);
    },
    async listGroupsForUser(userId) {
      return (q.groupsForUser.all(userId) as GroupOfUserRow[]).map(toGroupOfUser);
    },
    async getRole(groupId, userId) {
      return getRole(groupId, userId);
    },
    async listMembers(groupId) {
      return (q.listMembers.all(groupId) as MemberRow[]).map(toMember);
    },
    async setMemberRole(groupId, userId, role) {
      return changeMembership(groupId, userId, role);
    },
    async removeMember(groupId, userId) {
      return changeMembership(groupId, userId, null);
    },
    async createInvite(invite) {
      q.insertInvite.run(invite.id, invite.groupId, invite.tokenHash, invite.role, invite.note, invite.createdBy, Date.now(), invite.expiresAt.getTime());
      return toInvite(q.getInvite.get(invite.id) as InviteRow);
    },
    async listPendingInvites(groupId, now) {
      return (q.pendingInvites.all(groupId, now.getTime()) as InviteRow[]).map(toInvite);
    },
    async getInviteByHash(tokenHash) {
      const row = q.getInviteByHash.get(tokenHash) as InviteRow | undefined;
      return row && toInvite(row);
    },
    async revokeInvite(groupId, inviteId) {
      return q.revokeInvite.run(Date.now(), groupId, inviteId).changes > 0;
    },
    async redeemInvite(tokenHash, userId, now) {
      return redeemInvite(tokenHash, userId, now.getTime());
    },
  };
}
