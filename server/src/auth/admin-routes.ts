import { Router } from 'express';
import { UpdateUserRequest, UserId, type AdminUser, type CreatedPasswordReset } from '../../../shared/api/index';
import { ApiError, parseInput } from '../http/index';
import type { AccountStore, UserRecord } from '../store/index';
import type { AccessEvents } from './access-events';
import { principalOf, scopedPrincipalOf } from './middleware';
import { hashSecret, newSecret } from './secrets';

const RESET_PREFIX = 'pwr_';
const RESET_VALID_MS = 24 * 60 * 60 * 1000;

const toAdminUser = (user: UserRecord, groupCount: number): AdminUser => ({
  id: user.id,
  email: user.email,
  name: user.name,
  isAdmin: user.isAdmin,
  disabled: user.disabled,
  createdAt: user.createdAt.toISOString(),
  groupCount,
});

/** /api/admin: the administrator's view of accounts. Administrators manage accounts, not groups' content. */
export function adminRoutes({ store, events }: { store: AccountStore; events: AccessEvents }): Router {
  const router = Router();

  router.use((_request, response, next) => {
    if (!principalOf(response).user.isAdmin) throw new ApiError(403, 'forbidden', 'only administrators can do this');
    // An administrator's everyday token (a bot, a script) must not be able to take over accounts.
    scopedPrincipalOf(response, 'admin');
    next();
  });

  router.get('/users', async (_request, response) => {
    const users = await store.listUsers();
    response.json({ users: users.map((user) => toAdminUser(user, user.groupCount)) });
  });

  router.patch('/users/:id', async (request, response) => {
    const id = parseInput(UserId, request.params.id, 'id');
    const body = parseInput(UpdateUserRequest, request.body ?? {});
    const result = await store.updateUserStatus(id, body);
    if (result.status === 'not_found') throw new ApiError(404, 'not_found', 'no such user');
    if (result.status === 'last_admin') {
      throw new ApiError(409, 'last_admin', 'the installation needs at least one enabled administrator');
    }
    if (body.disabled) {
      await store.deleteUserSessions(id);
      events.emit({ kind: 'credentials', userId: id });
    }
    const groupCount = (await store.listUsers()).find((user) => user.id === id)?.groupCount ?? 0;
    response.json(toAdminUser(result.user, groupCount));
  });

  router.post('/users/:id/password-reset', async (request, response) => {
    const id = parseInput(UserId, request.params.id, 'id');
    const user = await store.getUser(id);
    if (!user) throw new ApiError(404, 'not_found', 'no such user');
    if (user.disabled) throw new ApiError(409, 'account_disabled', 'enable the account before resetting its password');
    const token = newSecret(RESET_PREFIX);
    const expiresAt = new Date(Date.now() + RESET_VALID_MS);
    await store.createPasswordReset({ tokenHash: hashSecret(token), userId: id, expiresAt });
    const created: CreatedPasswordReset = { path: `/reset/${token}`, expiresAt: expiresAt.toISOString() };
    response.status(201).json(created);
  });

  return router;
}
