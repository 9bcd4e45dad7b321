/** Typed calls to /api/auth: the session, sign-up, sign-in, sign-out, profile, password and password reset links. */
import '../zod-config';
import {
  PasswordResetPreview,
  SessionResponse,
  UserResponse,
  type ChangePasswordRequest,
  type CompletePasswordResetRequest,
  type CurrentUser,
  type SignInRequest,
  type SignUpRequest,
} from '../../../shared/api/index';
import { requestJson } from './http';

export type { CurrentUser, PasswordResetPreview, SessionResponse } from '../../../shared/api/index';

const BASE = '/api/auth';

export function getSession(signal?: AbortSignal): Promise<SessionResponse> {
  return requestJson(`${BASE}/session`, SessionResponse, { signal });
}

export async function signUp(request: SignUpRequest): Promise<CurrentUser> {
  return (await requestJson(`${BASE}/signup`, UserResponse, { method: 'POST', body: request })).user;
}

export async function signIn(request: SignInRequest): Promise<CurrentUser> {
  return (await requestJson(`${BASE}/signin`, UserResponse, { method: 'POST', body: request })).user;
}

export function signOut(): Promise<void> {
  return requestJson(`${BASE}/signout`, null, { method: 'POST' });
}

export async function updateProfile(name: string): Promise<CurrentUser> {
  return (await requestJson(`${BASE}/me`, UserResponse, { method: 'PATCH', body: { name } })).user;
}

export function changePassword(request: ChangePasswordRequest): Promise<void> {
  return requestJson(`${BASE}/password`, null, { method: 'POST', body: request });
}

/** Whose password a reset link resets (no sign-in needed); 410 reset_invalid once used or expired. */
export function previewPasswordReset(token: string, signal?: AbortSignal): Promise<PasswordResetPreview> {
  return requestJson(`${BASE}/reset/${encodeURIComponent(token)}`, PasswordResetPreview, { signal });
}

/** Sets the new password and signs the person in here (their other sessions end). */
export async function completePasswordReset(token: string, request: CompletePasswordResetRequest): Promise<CurrentUser> {
  return (await requestJson(`${BASE}/reset/${encodeURIComponent(token)}`, UserResponse, { method: 'POST', body: request })).user;
}
