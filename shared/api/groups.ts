import { z } from 'zod';
import { Email } from './auth';
import { Role } from './roles';

export const GroupId = z.string().regex(/^[A-Za-z0-9_-]{16}$/, 'not a group id');

export const GroupName = z
  .string()
  .trim()
  .min(1, 'name must not be empty')
  .max(120, 'name must be at most 120 characters');

export const GroupDescription = z.string().trim().max(500, 'description must be at most 500 characters');

/** A working group as one of its members sees it. */
export const GroupSummary = z.object({
  id: GroupId,
  name: z.string(),
  description: z.string(),
  /** The signed-in person's role in it. */
  role: Role,
  memberCount: z.number().int(),
  createdAt: z.string(),
});
export type GroupSummary = z.infer<typeof GroupSummary>;

/** GET /api/groups → the groups the signed-in person belongs to. */
export const ListGroupsResponse = z.object({ groups: z.array(GroupSummary) });
export type ListGroupsResponse = z.infer<typeof ListGroupsResponse>;

/** POST /api/groups → 201 GroupSummary; the creator becomes its co-chair. */
export const CreateGroupRequest = z.object({ name: GroupName, description: GroupDescription.optional() }).strict();
export type CreateGroupRequest = z.infer<typeof CreateGroupRequest>;

/** PATCH /api/groups/:id (manage) → 200 GroupSummary */
export const UpdateGroupRequest = z
  .object({ name: GroupName.optional(), description: GroupDescription.optional() })
  .strict()
  .refine((body) => body.name !== undefined || body.description !== undefined, {
    message: 'nothing to change: give name and/or description',
  });
export type UpdateGroupRequest = z.infer<typeof UpdateGroupRequest>;

export const Member = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  color: z.string(),
  role: Role,
  joinedAt: z.string(),
});
export type Member = z.infer<typeof Member>;

/** GET /api/groups/:id (any member) → the group and its members. */
export const GroupDetail = GroupSummary.extend({ members: z.array(Member) });
export type GroupDetail = z.infer<typeof GroupDetail>;

/** PATCH /api/groups/:id/members/:userId (manage) → 200 Member. Open connections get the new rights within a second. */
export const UpdateMemberRequest = z.object({ role: Role }).strict();
export type UpdateMemberRequest = z.infer<typeof UpdateMemberRequest>;

/** DELETE /api/groups/:id/members/:userId (manage, or oneself to leave) → 204; their open connections close. */

export const INVITE_DEFAULT_DAYS = 7;
export const INVITE_MAX_DAYS = 30;

export const InviteSummary = z.object({
  id: z.string(),
  role: Role,
  /** Who it is meant for, as the inviter noted it (e.g. an email address); not checked. */
  note: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  createdBy: z.string(),
});
export type InviteSummary = z.infer<typeof InviteSummary>;

/** GET /api/groups/:id/invites (manage) → pending (unused, unexpired, unrevoked) invites. */
export const ListInvitesResponse = z.object({ invites: z.array(InviteSummary) });
export type ListInvitesResponse = z.infer<typeof ListInvitesResponse>;

/** POST /api/groups/:id/invites (manage; only roles one may assign) → 201 CreatedInvite. */
export const CreateInviteRequest = z
  .object({
    role: Role,
    expiresInDays: z
      .number()
      .int('expiresInDays must be a whole number')
      .min(1, 'expiresInDays must be at least 1')
      .max(INVITE_MAX_DAYS, `expiresInDays must be at most ${INVITE_MAX_DAYS}`)
      .default(INVITE_DEFAULT_DAYS),
    note: z.string().trim().max(200, 'note must be at most 200 characters').default(''),
    /** E-mail the link to this address (only when the server sends e-mail: 409 `email_unavailable` otherwise). */
    email: Email.optional(),
  })
  .strict();
export type CreateInviteRequest = z.input<typeof CreateInviteRequest>;

export const CreatedInvite = InviteSummary.extend({
  /** The secret; the link is `<origin><path>`. Shown once. */
  token: z.string(),
  path: z.string(),
  /** With `email`: whether the mail server took the message (the link works either way). */
  emailed: z.boolean().optional(),
});
export type CreatedInvite = z.infer<typeof CreatedInvite>;

/** DELETE /api/groups/:id/invites/:inviteId (manage) → 204 */

/** GET /api/invites/:token (no sign-in needed) → what accepting would do; 404 unknown, 410 used/expired/revoked. */
export const InvitePreview = z.object({
  groupId: GroupId,
  groupName: z.string(),
  role: Role,
  invitedBy: z.string(),
  expiresAt: z.string(),
});
export type InvitePreview = z.infer<typeof InvitePreview>;

/** POST /api/invites/:token/accept (signed in) → 200; 409 already_member leaves the invite unused. */
export const AcceptInviteResponse = z.object({ groupId: GroupId, role: Role });
export type AcceptInviteResponse = z.infer<typeof AcceptInviteResponse>;
