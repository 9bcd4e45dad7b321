/** Typed calls to /api/groups (working groups, members, invites) and /api/invites (the invite link). */
import '../zod-config';
import {
  AcceptInviteResponse,
  CreatedInvite,
  GroupDetail,
  GroupSummary,
  InvitePreview,
  ListGroupsResponse,
  ListInvitesResponse,
  Member,
  type CreateGroupRequest,
  type CreateInviteRequest,
  type InviteSummary,
  type Role,
  type UpdateGroupRequest,
} from '../../../shared/api/index';
import { requestJson } from './http';

export type { CreatedInvite, GroupDetail, GroupSummary, InvitePreview, InviteSummary, Member, Role } from '../../../shared/api/index';

const BASE = '/api/groups';
const group = (id: string) => `${BASE}/${encodeURIComponent(id)}`;

export async function listGroups(signal?: AbortSignal): Promise<GroupSummary[]> {
  return (await requestJson(BASE, ListGroupsResponse, { signal })).groups;
}

export function createGroup(request: CreateGroupRequest): Promise<GroupSummary> {
  return requestJson(BASE, GroupSummary, { method: 'POST', body: request });
}

export function getGroup(id: string, signal?: AbortSignal): Promise<GroupDetail> {
  return requestJson(group(id), GroupDetail, { signal });
}

export function updateGroup(id: string, changes: UpdateGroupRequest): Promise<GroupSummary> {
  return requestJson(group(id), GroupSummary, { method: 'PATCH', body: changes });
}

export function deleteGroup(id: string): Promise<void> {
  return requestJson(group(id), null, { method: 'DELETE' });
}

export function updateMember(groupId: string, userId: string, role: Role): Promise<Member> {
  return requestJson(`${group(groupId)}/members/${encodeURIComponent(userId)}`, Member, { method: 'PATCH', body: { role } });
}

/** Removes someone from the group; with one's own id, leaves it. */
export function removeMember(groupId: string, userId: string): Promise<void> {
  return requestJson(`${group(groupId)}/members/${encodeURIComponent(userId)}`, null, { method: 'DELETE' });
}

export async function listInvites(groupId: string, signal?: AbortSignal): Promise<InviteSummary[]> {
  return (await requestJson(`${group(groupId)}/invites`, ListInvitesResponse, { signal })).invites;
}

export function createInvite(groupId: string, request: CreateInviteRequest): Promise<CreatedInvite> {
  return requestJson(`${group(groupId)}/invites`, CreatedInvite, { method: 'POST', body: request });
}

export function revokeInvite(groupId: string, inviteId: string): Promise<void> {
  return requestJson(`${group(groupId)}/invites/${encodeURIComponent(inviteId)}`, null, { method: 'DELETE' });
}

export function previewInvite(token: string, signal?: AbortSignal): Promise<InvitePreview> {
  return requestJson(`/api/invites/${encodeURIComponent(token)}`, InvitePreview, { signal });
}

export function acceptInvite(token: string): Promise<AcceptInviteResponse> {
  return requestJson(`/api/invites/${encodeURIComponent(token)}/accept`, AcceptInviteResponse, { method: 'POST' });
}
