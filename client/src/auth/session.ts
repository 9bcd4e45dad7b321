/**
 * Who is signed in: one small store for the whole app, read with `useSession()`.
 *
 * The session itself is an HttpOnly cookie the app can't read; `GET /api/auth/session` says who
 * it belongs to. The last known account is also kept in localStorage, only so that the app still
 * opens (and the editor works from this device's copy) when the server can't be reached; it is
 * removed on sign-out and whenever the server says the session has ended.
 */
import { useSyncExternalStore } from 'react';

import { CurrentUser } from '../../../shared/api/index';
import { getSession } from '../api/auth';
import { ApiError, setUnauthenticatedHandler } from '../api/http';
import { claimDeviceData } from './device-data';

export type { CurrentUser } from '../api/auth';

export type SessionState =
  | { status: 'loading' }
  /** The server could not be reached and no account is remembered on this device. */
  | { status: 'unreachable'; error: ApiError }
  | {
      status: 'ready';
      user: CurrentUser | null;
      /** No account exists yet: the first sign-up creates the administrator. */
      setupRequired: boolean;
      /** Anyone may sign up; otherwise only with an invite link. */
      openSignup: boolean;
      /** The server couldn't be reached: `user` is the account remembered on this device. */
      offline: boolean;
    };

const CACHE_KEY = 'concord.account';

let state: SessionState = { status: 'loading' };
const listeners = new Set<() => void>();

function set(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener();
}

function readCachedUser(): CurrentUser | null {
  try {
    const parsed = CurrentUser.safeParse(JSON.parse(localStorage.getItem(CACHE_KEY) ?? 'null'));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function writeCachedUser(user: CurrentUser | null): void {
  try {
    if (user) localStorage.setItem(CACHE_KEY, JSON.stringify(user));
    else localStorage.removeItem(CACHE_KEY);
  } catch {
    // Storage unavailable (private mode): nothing remembered for offline use.
  }
}

let loading: Promise<void> | null = null;

/** Asks the server who is signed in. Called once at start-up, and again when coming back online. */
export function loadSession(): Promise<void> {
  loading ??= (async () => {
    try {
      const session = await getSession();
      if (session.user) claimDeviceData(session.user.id);
      writeCachedUser(session.user);
      set({ status: 'ready', user: session.user, setupRequired: session.setupRequired, openSignup: session.openSignup, offline: false });
    } catch (caught) {
      const error = caught instanceof ApiError ? caught : new ApiError(0, 'unknown', 'Something went wrong.');
      if (!error.isNetworkError) {
        // The server answered with an error: don't guess who this is.
        if (state.status !== 'ready') set({ status: 'unreachable', error });
        return;
      }
      const cached = readCachedUser();
      if (cached) set({ status: 'ready', user: cached, setupRequired: false, openSignup: false, offline: true });
      else if (state.status !== 'ready') set({ status: 'unreachable', error });
    } finally {
      loading = null;
    }
  })();
  return loading;
}

/** After signing in or up, or changing one's name. */
export function setSignedInUser(user: CurrentUser): void {
  claimDeviceData(user.id);
  writeCachedUser(user);
  const previous = state.status === 'ready' ? state : null;
  set({ status: 'ready', user, setupRequired: false, openSignup: previous?.openSignup ?? false, offline: false });
}

/** After signing out, or when the server says the session has ended. Pages that need an account then go to sign-in. */
export function setSignedOut(): void {
  writeCachedUser(null);
  const previous = state.status === 'ready' ? state : null;
  if (previous && previous.user === null) return;
  set({ status: 'ready', user: null, setupRequired: false, openSignup: previous?.openSignup ?? false, offline: false });
}

export function getSessionState(): SessionState {
  return state;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): SessionState {
  return useSyncExternalStore(subscribe, getSessionState);
}

/** The signed-in person; only for pages rendered inside the signed-in part of the app. */
export function useCurrentUser(): CurrentUser {
  const current = useSession();
  if (current.status !== 'ready' || !current.user) throw new Error('useCurrentUser outside a signed-in page');
  return current.user;
}

/** Wires the store to the rest of the app: API 401s, coming back online, other tabs signing out. */
export function startSession(): void {
  setUnauthenticatedHandler(() => {
    if (state.status === 'ready' && state.user) setSignedOut();
  });
  window.addEventListener('online', () => {
    if (state.status !== 'ready' || state.offline) void loadSession();
  });
  window.addEventListener('storage', (event) => {
    // Signed out (or in as someone else) in another tab.
    if (event.key !== CACHE_KEY || state.status !== 'ready' || state.offline) return;
    const cached = readCachedUser();
    if (!cached && state.user) setSignedOut();
    else if (cached && cached.id !== state.user?.id) void loadSession();
  });
  void loadSession();
}
