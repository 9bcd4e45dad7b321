/**
 * Accounts, groups, invites and tokens for tests, made through the real HTTP API (what a person
 * or a script would do), never by writing to the database.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CreatedInvite, CurrentUser, GroupSummary, Role } from '../../shared/api/index';

/** Credentials for a request: a session cookie (`concord_session=…`) and/or a bearer token. */
export interface Auth {
  cookie?: string;
  token?: string;
}

export interface TestAccount {
  user: CurrentUser;
  password: string;
  /** `concord_session=<secret>`, as a browser would send it. */
  cookie: string;
  /** A personal access token of the account. */
  token: string;
  /** Token auth (what scripts use); `{ cookie }` is the browser's. */
  auth: Auth;
}

export const TEST_PASSWORD = 'correct horse battery staple';

export function authHeaders(auth: Auth | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (auth?.cookie) headers.cookie = auth.cookie;
  if (auth?.token) headers.authorization = `Bearer ${auth.token}`;
  return headers;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** One API request; never throws on an error status (tests assert on it). */
export async function api<T = any>(baseUrl: string, auth: Auth | undefined, method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...authHeaders(auth), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

/** Like api(), but fails the test unless the status is the expected one. */
export async function apiOk<T = any>(baseUrl: string, auth: Auth | undefined, method: string, path: string, body?: unknown, expected = 200): Promise<T> {
  const response = await api<T>(baseUrl, auth, method, path, body);
  if (response.status !== expected) {
    throw new Error(`${method} ${path} answered ${response.status} (expected ${expected}): ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

export function sessionCookieOf(headers: Headers): string {
  const setCookie = headers.getSetCookie().find((value) => value.startsWith('concord_session='));
  if (!setCookie) throw new Error('no session cookie set');
  return setCookie.split(';')[0];
}

let accountCounter = 0;

/** Signs up (with an invite, if given) and creates a personal access token. */
export async function signUp(
  baseUrl: string,
  options: { email?: string; name?: string; password?: string; invite?: string } = {},
): Promise<TestAccount> {
  accountCounter++;
  const password = options.password ?? TEST_PASSWORD;
  const response = await api<{ user: CurrentUser }>(baseUrl, undefined, 'POST', '/api/auth/signup', {
    email: options.email ?? `person${accountCounter}-${Date.now()}@example.org`,
    name: options.name ?? `Person ${accountCounter}`,
    password,
    ...(options.invite ? { invite: options.invite } : {}),
  });
  if (response.status !== 201) throw new Error(`sign-up failed: ${response.status} ${JSON.stringify(response.body)}`);
  const cookie = sessionCookieOf(response.headers);
  const token = await createAccessToken(baseUrl, { cookie });
  return { user: response.body.user, password, cookie, token, auth: { token } };
}

export async function createAccessToken(baseUrl: string, auth: Auth, name = 'test script'): Promise<string> {
  const created = await apiOk<{ token: string }>(baseUrl, auth, 'POST', '/api/tokens', { name, expiresInDays: null }, 201);
  return created.token;
}

export async function createGroup(baseUrl: string, auth: Auth, name = 'Working Group on Strategy'): Promise<GroupSummary> {
  return apiOk<GroupSummary>(baseUrl, auth, 'POST', '/api/groups', { name }, 201);
}

export async function createInvite(baseUrl: string, auth: Auth, groupId: string, role: Role, expiresInDays = 7): Promise<CreatedInvite> {
  return apiOk<CreatedInvite>(baseUrl, auth, 'POST', `/api/groups/${groupId}/invites`, { role, expiresInDays }, 201);
}

export async function acceptInvite(baseUrl: string, auth: Auth, token: string): Promise<ApiResponse> {
  return api(baseUrl, auth, 'POST', `/api/invites/${token}/accept`);
}

/** Someone invited into `groupId` with `role` by `inviter`, signed up through the invite. */
export async function addMember(baseUrl: string, inviter: Auth, groupId: string, role: Role, name?: string): Promise<TestAccount> {
  const invite = await createInvite(baseUrl, inviter, groupId, role);
  return signUp(baseUrl, { name, invite: invite.token });
}

/** The usual fixture: the installation's first account (administrator), co-chair of one group. */
export interface Owner extends TestAccount {
  groupId: string;
}

/**
 * The owner of a test installation. Kept in the data folder, so a server restarted on the same
 * data (in-process or as a child process) has the same owner.
 */
export async function ensureOwner(baseUrl: string, dataDir: string): Promise<Owner> {
  const file = join(dataDir, 'test-owner.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Owner;
  const account = await signUp(baseUrl, { email: 'owner@example.org', name: 'Owner' });
  const group = await createGroup(baseUrl, account.auth);
  const owner: Owner = { ...account, groupId: group.id };
  writeFileSync(file, JSON.stringify(owner));
  return owner;
}
