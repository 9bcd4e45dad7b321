import type { RequestHandler, Response } from 'express';
import type { TokenScope } from '../../../shared/api/index';
import { ApiError } from '../http/index';
import type { AuthResult, Authenticator, Principal } from './authenticator';

/** Requests that only read. */
const READING_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves every API request's credentials once; routes then ask for the principal. A token
 * without the write scope may only read: any other request is refused here, whatever the route.
 */
export function authenticateRequests(authenticator: Authenticator): RequestHandler {
  return async (request, response, next) => {
    const auth = await authenticator.authenticate(request.headers);
    if (auth.status === 'signed-in' && auth.renewedCookie) response.append('Set-Cookie', auth.renewedCookie);
    response.locals.auth = auth;
    if (auth.status === 'signed-in' && !READING_METHODS.has(request.method) && !auth.principal.scopes.has('write')) {
      throw new ApiError(403, 'insufficient_scope', 'this access token may only read: it has no write scope');
    }
    next();
  };
}

/** The signed-in person making this request; 401 otherwise. */
export function principalOf(response: Response): Principal {
  const auth = response.locals.auth as AuthResult | undefined;
  if (auth?.status === 'signed-in') return auth.principal;
  if (auth?.status === 'invalid') {
    response.set('WWW-Authenticate', 'Bearer error="invalid_token"');
    throw new ApiError(401, 'unauthenticated', auth.reason);
  }
  throw new ApiError(401, 'unauthenticated', 'sign in first');
}

/**
 * The signed-in person, if their credential has `scope` (a browser session has every scope); 403
 * `insufficient_scope` otherwise.
 */
export function scopedPrincipalOf(response: Response, scope: TokenScope): Principal {
  const principal = principalOf(response);
  if (!principal.scopes.has(scope)) {
    throw new ApiError(403, 'insufficient_scope', `this needs a signed-in browser session or an access token with the ${scope} scope`);
  }
  return principal;
}

/** Like principalOf, but only for browser sessions: a token must not mint tokens or change passwords. */
export function sessionPrincipalOf(response: Response): Principal {
  const principal = principalOf(response);
  if (principal.credential.kind !== 'session') {
    throw new ApiError(403, 'session_required', 'this needs a signed-in browser session, not an access token');
  }
  return principal;
}
