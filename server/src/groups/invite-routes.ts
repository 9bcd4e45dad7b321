import { Router } from 'express';
import type { AcceptInviteResponse, InvitePreview } from '../../../shared/api/index';
import { hashSecret, principalOf } from '../auth/index';

import { ApiError } from '../http/index';
import type { InviteRecord, Store } from '../store/index';

function isPending(invite: InviteRecord, now: number): boolean {
  return !invite.usedAt && !invite.revokedAt && invite.expiresAt.getTime() > now;
}

const invalid = () => new ApiError(410, 'invite_invalid', 'this invite link has been used, has expired or was withdrawn');

/** /api/invites/:token: what an invite link offers (no sign-in needed), and accepting it. */
export function inviteRoutes({ store }: { store: Store }): Router {
  const router = Router();

  router.get('/:token', async (request, response) => {
    const invite = await store.getInviteByHash(hashSecret(String(request.params.token)));
    if (!invite) throw new ApiError(404, 'not_found', 'no such invite link');
    if (!isPending(invite, Date.now())) throw invalid();
    const preview: InvitePreview = {
      groupId: invite.groupId,
      groupName: invite.groupName,
      role: invite.role,
      invitedBy: invite.createdByName,
      expiresAt: invite.expiresAt.toISOString(),
    };
    response.json(preview);
  });

  router.post('/:token/accept', async (request, response) => {
    const { user } = principalOf(response);
    const result = await store.redeemInvite(hashSecret(String(request.params.token)), user.id, new Date());
    if (result.status === 'invalid') throw invalid();
    if (result.status === 'already_member') {
      throw new ApiError(409, 'already_member', 'you are already a member of this working group; the invite is still unused');
    }
    const body: AcceptInviteResponse = { groupId: result.groupId, role: result.role };
    response.json(body);
  });

  return router;
}
