import { Router } from 'express';
import {
  canAssignRole,
  CreateGroupRequest,
  CreateInviteRequest,
  GroupId,
  ROLE_LABELS,
  UpdateGroupRequest,
  UpdateMemberRequest,
  UserId,
  type CreatedInvite,
  type GroupSummary,
  type InviteSummary,
  type Member,
  type Role,
} from '../../../shared/api/index';
import { CloseCode, colorForUser, newId } from '../../../shared/protocol/index';
import type { AccessEvents } from '../auth/index';
import { hashSecret, newSecret, principalOf } from '../auth/index';

import { ApiError, parseInput } from '../http/index';
import type { GroupRecord, InviteRecord, MemberRecord, MembershipChangeResult, Store } from '../store/index';
import type { InviteMailer } from '../notifications/index';
import type { RoomRegistry } from '../sync/index';
import type { Logger } from 'pino';
import { requireGroupRole } from './access';

const DAY_MS = 24 * 60 * 60 * 1000;
const INVITE_PREFIX = 'inv_';

export interface GroupRoutesOptions {
  store: Store;
  registry: RoomRegistry;
  events: AccessEvents;
  /** Sends invite links by e-mail; null when the server sends no e-mail. */
  inviteMailer?: InviteMailer | null;
  log?: Logger;
}

const toMember = (member: MemberRecord): Member => ({
  userId: member.userId,
  name: member.name,
  email: member.email,
  color: colorForUser(member.userId),
  role: member.role,
  joinedAt: member.joinedAt.toISOString(),
});

const toInviteSummary = (invite: InviteRecord): InviteSummary => ({
  id: invite.id,
  role: invite.role,
  note: invite.note,
  createdAt: invite.createdAt.toISOString(),
  expiresAt: invite.expiresAt.toISOString(),
  createdBy: invite.createdByName,
});

function refuseAssignment(actor: Role, target: Role): ApiError {
  return new ApiError(403, 'forbidden', `${ROLE_LABELS[actor]}s cannot give or change the ${ROLE_LABELS[target]} role`);
}

function throwIfUnchanged(result: MembershipChangeResult): asserts result is Extract<MembershipChangeResult, { status: 'changed' }> {
  if (result.status === 'not_member') throw new ApiError(404, 'not_found', 'no such member');
  if (result.status === 'last_co_chair') {
    throw new ApiError(409, 'last_co_chair', 'a working group needs at least one co-chair: make someone else co-chair first');
  }
}

/** /api/groups: working groups, their members and invite links. */
export function groupRoutes({ store, registry, events, inviteMailer = null, log }: GroupRoutesOptions): Router {
  const router = Router();

  const summarize = async (group: GroupRecord, role: Role): Promise<GroupSummary> => ({
    id: group.id,
    name: group.name,
    description: group.description,
    role,
    memberCount: (await store.listMembers(group.id)).length,
    createdAt: group.createdAt.toISOString(),
  });

  const groupIdOf = (raw: unknown) => parseInput(GroupId, raw, 'id');

  router.get('/', async (_request, response) => {
    const { user } = principalOf(response);
    const groups = await store.listGroupsForUser(user.id);
    const summaries: GroupSummary[] = groups.map((group) => ({
      id: group.id,
      name: group.name,
      description: group.description,
      role: group.role,
      memberCount: group.memberCount,
      createdAt: group.createdAt.toISOString(),
    }));
    response.json({ groups: summaries });
  });

  router.post('/', async (request, response) => {
    const { user } = principalOf(response);
    const body = parseInput(CreateGroupRequest, request.body ?? {});
    const group = await store.createGroup({ id: newId(), name: body.name, description: body.description ?? '', creatorId: user.id });
    response.status(201).location(`/g/${group.id}`).json(await summarize(group, 'co-chair'));
  });

  router.get('/:id', async (request, response) => {
    const { user } = principalOf(response);
    const groupId = groupIdOf(request.params.id);
    const role = await requireGroupRole(store, groupId, user.id);
    const group = (await store.getGroup(groupId))!;
    const members = (await store.listMembers(groupId)).map(toMember);
    response.json({ ...(await summarize(group, role)), members });
  });

  router.patch('/:id', async (request, response) => {
    const { user } = principalOf(response);
    const groupId = groupIdOf(request.params.id);
    const role = await requireGroupRole(store, groupId, user.id, 'manage');
    const body = parseInput(UpdateGroupRequest, request.body ?? {});
    const group = await store.updateGroup(groupId, body);
    if (!group) throw new ApiError(404, 'not_found', 'no such working group');
    response.json(await summarize(group, role));
  });

  router.delete('/:id', async (request, response) => {
    const { user } = principalOf(response);
    const groupId = groupIdOf(request.params.id);
    const role = await requireGroupRole(store, groupId, user.id, 'manage');
    if (role !== 'co-chair') throw new ApiError(403, 'forbidden', 'only co-chairs can delete a working group');
    const documentIds = await store.deleteGroup(groupId);
    events.emit({ kind: 'group-deleted', groupId });
    await Promise.all(documentIds.map((id) => registry.discard(id, CloseCode.DocumentDeleted, 'document deleted')));
    response.status(204).end();
  });

  router.patch('/:id/members/:userId', async (request, response) => {
    const { user } = principalOf(response);
    const groupId = groupIdOf(request.params.id);
    const memberId = parseInput(UserId, request.params.userId, 'userId');
    const actorRole = await requireGroupRole(store, groupId, user.id, 'manage');
    const { role } = parseInput(UpdateMemberRequest, request.body ?? {});
    const currentRole = await store.getRole(groupId, memberId);
    if (!currentRole) throw new ApiError(404, 'not_found', 'no such member');
    if (!canAssignRole(actorRole, currentRole)) throw refuseAssignment(actorRole, currentRole);
    if (!canAssignRole(actorRole, role)) throw refuseAssignment(actorRole, role);
    const result = await store.setMemberRole(groupId, memberId, role);
    throwIfUnchanged(result);
    events.emit({ kind: 'membership', groupId, userId: memberId, role });
    const member = (await store.listMembers(groupId)).find((m) => m.userId === memberId)!;
    response.json(toMember(member));
  });

  router.delete('/:id/members/:userId', async (request, response) => {
    const { user } = principalOf(response);
    const groupId = groupIdOf(request.params.id);
    const memberId = parseInput(UserId, request.params.userId, 'userId');
    // Anyone may leave; removing someone else takes the right to manage their role.
    const actorRole = await requireGroupRole(store, groupId, user.id, memberId === user.id ? 'read' : 'manage');
    if (memberId !== user.id) {
      const currentRole = await store.getRole(groupId, memberId);
      if (!currentRole) throw new ApiError(404, 'not_found', 'no such member');
      if (!canAssignRole(actorRole, currentRole)) throw refuseAssignment(actorRole, currentRole);
    }
    throwIfUnchanged(await store.removeMember(groupId, memberId));
    events.emit({ kind: 'membership', groupId, userId: memberId, role: null });
    response.status(204).end();
  });

  router.get('/:id/invites', async (request, response) => {
    const { user } = principalOf(response);
    const groupId = groupIdOf(request.params.id);
    await requireGroupRole(store, groupId, user.id, 'manage');
    const invites = await store.listPendingInvites(groupId, new Date());
    response.json({ invites: invites.map(toInviteSummary) });
  });

  router.post('/:id/invites', async (request, response) => {
    const { user } = principalOf(response);
    const groupId = groupIdOf(request.params.id);
    const actorRole = await requireGroupRole(store, groupId, user.id, 'manage');
    const body = parseInput(CreateInviteRequest, request.body ?? {});
    if (!canAssignRole(actorRole, body.role)) throw refuseAssignment(actorRole, body.role);
    if (body.email !== undefined && !inviteMailer) {
      throw new ApiError(409, 'email_unavailable', 'this server sends no e-mail (SMTP_URL is not set): copy the link and send it yourself');
    }
    const token = newSecret(INVITE_PREFIX);
    const invite = await store.createInvite({
      id: newId(),
      groupId,
      role: body.role,
      tokenHash: hashSecret(token),
      note: body.note,
      createdBy: user.id,
      expiresAt: new Date(Date.now() + body.expiresInDays * DAY_MS),
    });
    const created: CreatedInvite = { ...toInviteSummary(invite), token, path: `/invite/${token}` };
    if (body.email !== undefined && inviteMailer) {
      const group = await store.getGroup(groupId);
      // The link works whether or not the mail server takes the message: the answer says which.
      created.emailed = await inviteMailer
        .send(body.email, { groupName: group?.name ?? '', inviterName: user.name, roleLabel: ROLE_LABELS[body.role], path: created.path, expiresAt: invite.expiresAt, id: invite.id })
        .then(
          () => true,
          (error: Error) => {
            log?.warn({ component: 'email', inviteId: invite.id }, `invite not e-mailed: ${error.message}`);
            return false;
          },
        );
    }
    response.status(201).json(created);
  });

  router.delete('/:id/invites/:inviteId', async (request, response) => {
    const { user } = principalOf(response);
    const groupId = groupIdOf(request.params.id);
    await requireGroupRole(store, groupId, user.id, 'manage');
    if (!(await store.revokeInvite(groupId, String(request.params.inviteId)))) {
      throw new ApiError(404, 'not_found', 'no such pending invite');
    }
    response.status(204).end();
  });

  return router;
}
