import type { Role } from '../../../shared/api/index';

/** Storage contract for working groups, their members and invite links. */
export interface GroupRecord {
  id: string;
  name: string;
  description: string;
  createdAt: Date;
}

export interface MemberRecord {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: Date;
}

export interface InviteRecord {
  id: string;
  groupId: string;
  groupName: string;
  role: Role;
  note: string;
  createdBy: string;
  createdByName: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export type MembershipChangeResult =
  | { status: 'changed'; previousRole: Role }
  | { status: 'not_member' }
  /** The change would leave the group without a co-chair. */
  | { status: 'last_co_chair' };

export type RedeemInviteResult =
  | { status: 'joined'; groupId: string; role: Role }
  /** Unknown, used, revoked or expired. */
  | { status: 'invalid' }
  /** Already a member: the invite stays unused. */
  | { status: 'already_member'; groupId: string };

export interface GroupStore {
  /** Creates the group with its creator as co-chair. */
  createGroup(group: { id: string; name: string; description: string; creatorId: string }): Promise<GroupRecord>;
  getGroup(id: string): Promise<GroupRecord | undefined>;
  updateGroup(id: string, changes: { name?: string; description?: string }): Promise<GroupRecord | undefined>;
  /** Deletes the group, its memberships, invites and documents; returns the deleted documents' ids. */
  deleteGroup(id: string): Promise<string[]>;
  listGroupsForUser(userId: string): Promise<(GroupRecord & { role: Role; memberCount: number })[]>;

  getRole(groupId: string, userId: string): Promise<Role | undefined>;
  listMembers(groupId: string): Promise<MemberRecord[]>;
  setMemberRole(groupId: string, userId: string, role: Role): Promise<MembershipChangeResult>;
  removeMember(groupId: string, userId: string): Promise<MembershipChangeResult>;

  createInvite(invite: { id: string; groupId: string; role: Role; tokenHash: string; note: string; createdBy: string; expiresAt: Date }): Promise<InviteRecord>;
  /** Unused, unrevoked invites that have not expired at `now`. */
  listPendingInvites(groupId: string, now: Date): Promise<InviteRecord[]>;
  getInviteByHash(tokenHash: string): Promise<InviteRecord | undefined>;
  revokeInvite(groupId: string, inviteId: string): Promise<boolean>;
  /** Uses the invite and adds the member, atomically: an invite admits one person, once. */
  redeemInvite(tokenHash: string, userId: string, now: Date): Promise<RedeemInviteResult>;
}
