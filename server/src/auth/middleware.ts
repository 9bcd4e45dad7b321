import type { RequestHandler, Response } from 'express';
import { ApiError } from '../http/index';
import type { AuthResult, Authenticator, Principal } from './authenticator';

/** Resolves every API request's credentials once; routes then ask for the principal. */
export function authenticateRequests(authenticator: Authenticator): RequestHandler {
  return async (request, response, next) => {
    const auth = await authenticator.authenticate(request.headers);
    if (auth.status === 'signed-in' && auth.renewedCookie) response.append('Set-Cookie', auth.renewedCookie);
    response.locals.auth = auth;
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

/** Like principalOf, but only for browser sessions: a token must not mint tokens or change passwords. */
export function sessionPrincipalOf(response: Response): Principal {
  const principal = principalOf(response);
  if (principal.credential.kind !== 'session') {
    throw new ApiError(403, 'session_required', 'this needs a signed-in browser session, not an access token');
  }
  return principal;
}
