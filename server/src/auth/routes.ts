import { Router, type Request, type Response } from 'express';
import {
  ChangePasswordRequest,
  loadPasswordJudge,
  CompletePasswordResetRequest,
  SignInRequest,
  SignUpRequest,
  UpdateProfileRequest,
  type PasswordResetPreview,
  type SessionResponse,
} from '../../../shared/api/index';
import { newId } from '../../../shared/protocol/index';
import { ApiError, parseInput } from '../http/index';
import type { Store } from '../store/index';
import type { AccessEvents } from './access-events';
import type { AuthResult, Authenticator } from './authenticator';
import { toCurrentUser } from './current-user';
import { principalOf, sessionPrincipalOf } from './middleware';
import { requireStrongPassword } from './password-strength';
import { hashPassword, unusablePasswordHash, verifyPassword } from './passwords';
import { accountAddressKey, type SignInLimits } from './rate-limiter';
import { hashSecret } from './secrets';

export interface AuthRoutesOptions {
  store: Store;
  authenticator: Authenticator;
  events: AccessEvents;
  /** Anyone may sign up; otherwise only the first account and people with an invite link. */
  openSignup: boolean;
  limits: SignInLimits;
}
/** Name of the group that takes in documents created before accounts existed. */
const ADOPTED_DOCUMENTS_GROUP = 'Earlier drafts';

/** "4 seconds", "15 minutes". */
function duration(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

const INVITE_USED = () => new ApiError(410, 'invite_used', 'this invite link has already been used; ask for a new one');
const INVITE_INVALID = () => new ApiError(410, 'invite_invalid', 'this invite link has been used, has expired or was withdrawn');

/** /api/auth: sign up, sign in, sign out, the current session, profile and password. */
export function authRoutes({ store, authenticator, events, openSignup, limits }: AuthRoutesOptions): Router {
  const router = Router();
  const { failuresByAccountAddress, failuresByAddress, signUpsByAddress } = limits;
  const addressOf = (request: Request) => request.ip ?? 'unknown';
  // Loaded now, so the first sign-up doesn't wait for the dictionaries.
  void loadPasswordJudge();

  /** 429 with Retry-After if any of `waits` (seconds, with what is being limited) is not over. */
  const refuseIfLimited = (response: Response, waits: Record<string, number>) => {
    const [what, wait] = Object.entries(waits).reduce((longest, entry) => (entry[1] > longest[1] ? entry : longest));
    if (wait > 0) {
      response.set('Retry-After', String(wait));
      throw new ApiError(429, 'rate_limited', `too many ${what}; try again in ${duration(wait)}`);
    }
  };

  /**
   * Runs `attempt` (checking a password; null when wrong) as one try of this account from this
   * address: refused while the account and address must wait, counted before it runs (so tries
   * sent at once all count), its wait counted from when it failed, and forgiven (the account's
   * backoff cleared) when it succeeds.
   */
  const passwordTry = async <T>(request: Request, response: Response, email: string, attempt: () => Promise<T | null>): Promise<T | null> => {
    const address = addressOf(request);
    const key = accountAddressKey(email, address);
    refuseIfLimited(response, {
      'failed attempts for this account from your address': failuresByAccountAddress.retryAfterSeconds(key),
      'failed sign-ins from your address': failuresByAddress.retryAfterSeconds(address),
    });
    const at = failuresByAccountAddress.record(key);
    const atAddress = failuresByAddress.record(address);
    let result: T | null;
    try {
      result = await attempt();
    } catch (error) {
      // Not judged (the store is down): not held against anyone.
      failuresByAccountAddress.forgive(key, at);
      failuresByAddress.forgive(address, atAddress);
      throw error;
    }
    if (result !== null) {
      failuresByAccountAddress.reset(key);
      failuresByAddress.forgive(address, atAddress);
    } else {
      failuresByAccountAddress.settle(key, at);
      failuresByAddress.settle(address, atAddress);
    }
    return result;
  };

  router.get('/session', async (_request, response) => {
    const auth = response.locals.auth as AuthResult;
    const body: SessionResponse = {
      user: auth.status === 'signed-in' ? toCurrentUser(auth.principal.user) : null,
      setupRequired: (await store.countUsers()) === 0,
      openSignup,
    };
    response.json(body);
  });

  router.post('/signup', async (request, response) => {
    const body = parseInput(SignUpRequest, request.body ?? {});
    const inviteHash = body.invite === undefined ? null : hashSecret(body.invite);
    if (!inviteHash) {
      // Invites are unguessable and single-use, so sign-ups with one are not limited (a whole
      // meeting behind one address may join at once); open sign-ups are.
      const address = addressOf(request);
      refuseIfLimited(response, { 'sign-ups from your address': signUpsByAddress.retryAfterSeconds(address) });
      signUpsByAddress.record(address);
    } else {
      // Answered early, before the work of hashing; createUser decides for good.
      const invite = await store.getInviteByHash(inviteHash);
      if (invite?.usedAt) throw INVITE_USED();
      if (!invite || invite.revokedAt || invite.expiresAt.getTime() <= Date.now()) throw INVITE_INVALID();
    }
    await requireStrongPassword(body.password, [body.email, body.name], 'password');
    const result = await store.createUser({
      id: newId(),
      email: body.email,
      name: body.name,
      passwordHash: await hashPassword(body.password),
      onlyIfFirst: !openSignup && !inviteHash,
      // Used up in the same transaction that creates the account: one invite, one account.
      invite: inviteHash ? { tokenHash: inviteHash, now: new Date() } : undefined,
    });
    if (result.status === 'invite_used') throw INVITE_USED();
    if (result.status === 'invite_invalid') throw INVITE_INVALID();
    if (result.status === 'not_first') {
      throw new ApiError(403, 'signup_closed', 'sign-up needs an invite link from a co-chair or the secretariat of a working group');
    }
    if (result.status === 'email_taken') {
      throw new ApiError(409, 'email_taken', 'an account with this email already exists; sign in instead', [
        { path: 'email', message: 'an account with this email already exists' },
      ]);
    }
    const { user } = result;
    if (user.isAdmin) {
      // Documents written before accounts existed would otherwise be reachable by nobody.
      const group = await store.createGroup({ id: newId(), name: ADOPTED_DOCUMENTS_GROUP, description: '', creatorId: user.id });
      if ((await store.adoptUngroupedDocuments(group.id)) === 0) await store.deleteGroup(group.id);
    }
    response.set('Set-Cookie', await authenticator.startSession(user.id));
    response.status(201).json({ user: toCurrentUser(user) });
  });

  router.post('/signin', async (request, response) => {
    const body = parseInput(SignInRequest, request.body ?? {});
    const user = await passwordTry(request, response, body.email, async () => {
      const found = await store.getUserByEmail(body.email);
      // Unknown emails cost a hash too, so response time doesn't tell which accounts exist.
      const valid = await verifyPassword(body.password, found?.passwordHash ?? (await unusablePasswordHash()));
      return valid && found ? found : null;
    });
    if (!user) throw new ApiError(401, 'invalid_credentials', 'wrong email or password');
    if (user.disabled) throw new ApiError(403, 'account_disabled', 'this account has been disabled by an administrator');
    response.set('Set-Cookie', await authenticator.startSession(user.id));
    response.json({ user: toCurrentUser(user) });
  });

  router.post('/signout', async (_request, response) => {
    const auth = response.locals.auth as AuthResult;
    if (auth.status === 'signed-in' && auth.principal.credential.kind === 'session') {
      await authenticator.endSession(auth.principal);
      events.emit({ kind: 'credentials', userId: auth.principal.user.id, credentialId: auth.principal.credential.id });
    }
    response.set('Set-Cookie', authenticator.clearedCookie());
    response.status(204).end();
  });

  router.get('/me', async (_request, response) => {
    response.json({ user: toCurrentUser(principalOf(response).user) });
  });

  router.patch('/me', async (request, response) => {
    const { user } = principalOf(response);
    const body = parseInput(UpdateProfileRequest, request.body ?? {});
    const updated = (await store.updateProfile(user.id, { name: body.name }))!;
    events.emit({ kind: 'profile', userId: user.id, name: updated.name });
    response.json({ user: toCurrentUser(updated) });
  });

  router.post('/password', async (request, response) => {
    const principal = sessionPrincipalOf(response);
    const body = parseInput(ChangePasswordRequest, request.body ?? {});
    const verified = await passwordTry(request, response, principal.user.email, async () =>
      (await verifyPassword(body.currentPassword, principal.user.passwordHash)) ? principal.user : null,
    );
    if (!verified) {
      throw new ApiError(401, 'invalid_credentials', 'the current password is wrong', [
        { path: 'currentPassword', message: 'wrong password' },
      ]);
    }
    await requireStrongPassword(body.newPassword, [principal.user.email, principal.user.name], 'newPassword');
    await store.updateProfile(principal.user.id, { passwordHash: await hashPassword(body.newPassword) });
    // Whoever else had a session (perhaps the reason for the change) is signed out, sockets too.
    for (const idHash of await store.deleteUserSessions(principal.user.id, principal.credential.id)) {
      events.emit({ kind: 'credentials', userId: principal.user.id, credentialId: idHash });
    }
    response.status(204).end();
  });

  const resetInvalid = () => new ApiError(410, 'reset_invalid', 'this password reset link has been used or has expired; ask an administrator for a new one');

  router.get('/reset/:token', async (request, response) => {
    const reset = await store.getPasswordReset(hashSecret(String(request.params.token)), new Date());
    if (!reset || reset.user.disabled) throw resetInvalid();
    const preview: PasswordResetPreview = { name: reset.user.name, email: reset.user.email, expiresAt: reset.expiresAt.toISOString() };
    response.json(preview);
  });

  router.post('/reset/:token', async (request, response) => {
    const body = parseInput(CompletePasswordResetRequest, request.body ?? {});
    const tokenHash = hashSecret(String(request.params.token));
    // A disabled account keeps its link unused (and its password unchanged).
    const pending = await store.getPasswordReset(tokenHash, new Date());
    if (!pending || pending.user.disabled) throw resetInvalid();
    await requireStrongPassword(body.newPassword, [pending.user.email, pending.user.name], 'newPassword');
    const user = await store.completePasswordReset(tokenHash, await hashPassword(body.newPassword), new Date());
    if (!user) throw resetInvalid();
    // Whoever held the old password is signed out everywhere; the person continues signed in here.
    for (const idHash of await store.deleteUserSessions(user.id)) events.emit({ kind: 'credentials', userId: user.id, credentialId: idHash });
    // Someone else signed in on this browser hands it over: their session here ends rather than lingering.
    const current = response.locals.auth as AuthResult;
    if (current.status === 'signed-in' && current.principal.user.id !== user.id && current.principal.credential.kind === 'session') {
      await authenticator.endSession(current.principal);
      events.emit({ kind: 'credentials', userId: current.principal.user.id, credentialId: current.principal.credential.id });
    }
    failuresByAccountAddress.reset(accountAddressKey(user.email, addressOf(request)));
    response.set('Set-Cookie', await authenticator.startSession(user.id));
    response.json({ user: toCurrentUser(user) });
  });

  return router;
}
