/** Typed calls to /api/auth: the session, sign-up, sign-in, sign-out, profile and password. */
import '../zod-config';
import {
  SessionResponse,
  UserResponse,
  type ChangePasswordRequest,
  type CurrentUser,
  type SignInRequest,
  type SignUpRequest,
} from '../../../shared/api/index';
import { requestJson } from './http';

export type { CurrentUser, SessionResponse } from '../../../shared/api/index';

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
