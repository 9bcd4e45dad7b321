import { Router } from 'express';
import { CreateAccessTokenRequest, type AccessTokenSummary, type CreatedAccessToken } from '../../../shared/api/index';
import { newId } from '../../../shared/protocol/index';
import { ApiError, parseInput } from '../http/index';
import type { AccessTokenRecord, AccountStore } from '../store/index';
import type { AccessEvents } from './access-events';
import { ACCESS_TOKEN_PREFIX } from './authenticator';
import { sessionPrincipalOf } from './middleware';
import { hashSecret, newSecret } from './secrets';

const DAY_MS = 24 * 60 * 60 * 1000;

const summarize = (token: AccessTokenRecord): AccessTokenSummary => ({
  id: token.id,
  name: token.name,
  prefix: token.prefix,
  createdAt: token.createdAt.toISOString(),
  lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  expiresAt: token.expiresAt?.toISOString() ?? null,
  scopes: token.scopes,
});

/** /api/tokens: personal access tokens, managed from a browser session only. */
export function tokenRoutes({ store, events }: { store: AccountStore; events: AccessEvents }): Router {
  const router = Router();

  router.get('/', async (_request, response) => {
    const { user } = sessionPrincipalOf(response);
    response.json({ tokens: (await store.listAccessTokens(user.id)).map(summarize) });
  });

  router.post('/', async (request, response) => {
    const { user } = sessionPrincipalOf(response);
    const body = parseInput(CreateAccessTokenRequest, request.body ?? {});
    if (body.scopes.includes('admin') && !user.isAdmin) {
      throw new ApiError(403, 'forbidden', 'only administrators can give a token the admin scope', [
        { path: 'scopes', message: 'only administrators can give a token the admin scope' },
      ]);
    }
    const secret = newSecret(ACCESS_TOKEN_PREFIX);
    const record = await store.createAccessToken({
      id: newId(),
      userId: user.id,
      name: body.name,
      tokenHash: hashSecret(secret),
      prefix: secret.slice(0, ACCESS_TOKEN_PREFIX.length + 6),
      expiresAt: body.expiresInDays === null ? null : new Date(Date.now() + body.expiresInDays * DAY_MS),
      scopes: body.scopes,
    });
    const created: CreatedAccessToken = { ...summarize(record), token: secret };
    response.status(201).json(created);
  });

  router.delete('/:id', async (request, response) => {
    const { user } = sessionPrincipalOf(response);
    const id = String(request.params.id);
    if (!(await store.deleteAccessToken(user.id, id))) throw new ApiError(404, 'not_found', 'no such token');
    // Scripts connected with it are cut off now, not at their next request.
    events.emit({ kind: 'credentials', userId: user.id, credentialId: id });
    response.status(204).end();
  });

  return router;
}
