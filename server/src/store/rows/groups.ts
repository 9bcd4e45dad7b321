import type { Role } from '../../../../shared/api/index';
import type { GroupRecord, InviteRecord, MemberRecord } from '../group-store';

/** A row of the working_groups table. */
export interface GroupRow {
  id: string;
  name: string;
  description: string;
  created_at: number;
}

/** A group of the person's, with their role in it and the number of members. */
export interface GroupOfUserRow extends GroupRow {
  role: Role;
  member_count: number;
}

/** A membership with the member's name and email. */
export interface MemberRow {
  user_id: string;
  role: Role;
  joined_at: number;
  name: string;
  email: string;
}

/** A row of `SELECT ${INVITE_COLUMNS}`. */
export interface InviteRow {
  id: string;
  group_id: string;
  group_name: string;
  role: Role;
  note: string;
  created_by: string;
  created_by_name: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

export const INVITE_COLUMNS = `invites.*, working_groups.name AS group_name, users.name AS created_by_name
  FROM invites JOIN working_groups ON working_groups.id = invites.group_id JOIN users ON users.id = invites.created_by`;

export const toGroup = (row: GroupRow): GroupRecord => ({
  id: row.id,
  name: row.name,
  description: row.description,
  createdAt: new Date(row.created_at),
});

export const toGroupOfUser = (row: GroupOfUserRow): GroupRecord & { role: Role; memberCount: number } => ({
  ...toGroup(row),
  role: row.role,
  memberCount: row.member_count,
});

export const toMember = (row: MemberRow): MemberRecord => ({
  userId: row.user_id,
  name: row.name,
  email: row.email,
  role: row.role,
  joinedAt: new Date(row.joined_at),
});

export const toInvite = (row: InviteRow): InviteRecord => ({
  id: row.id,
  groupId: row.group_id,
  groupName: row.group_name,
  role: row.role,
  note: row.note,
  createdBy: row.created_by,
  createdByName: row.created_by_name,
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
  usedAt: row.used_at === null ? null : new Date(row.used_at),
  revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
});
