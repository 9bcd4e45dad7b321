/**
 * A tiny history-API router: the app has a handful of pages (`/`, `/d/<id>`, `/g/<id>`, sign-in,
 * account…), matched in main.tsx, which doesn't justify a routing library. `navigate()` pushes a path; `usePath()` re-renders on changes;
 * `<Link>` is an ordinary anchor that navigates without reloading (and still opens in a new tab
 * with Ctrl/Cmd-click or middle-click).
 */
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const NAVIGATE_EVENT = 'concord:navigate';

export interface NavigateOptions {
  replace?: boolean;
  /** Passed in history.state, e.g. to focus the title of a just-created document. */
  state?: Record<string, unknown>;
}

export function navigate(path: string, options: NavigateOptions = {}): void {
  if (options.replace) history.replaceState(options.state ?? null, '', path);
  else history.pushState(options.state ?? null, '', path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
  window.scrollTo(0, 0);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}

/** The query string (`?from=…&to=…`), re-rendering when only it changes. */
export function useSearch(): string {
  return useSyncExternalStore(subscribe, () => location.search);
}

/** history.state of the current entry (read once when a page mounts). */
export function readHistoryState(): Record<string, unknown> | null {
  const state: unknown = history.state;
  return state && typeof state === 'object' ? (state as Record<string, unknown>) : null;
}

export function documentPath(id: string): string {
  return `/d/${encodeURIComponent(id)}`;
}

export type GroupTab = 'drafts' | 'archived' | 'members' | 'settings';

export function groupPath(id: string, tab: GroupTab = 'drafts'): string {
  const base = `/g/${encodeURIComponent(id)}`;
  return tab === 'drafts' ? base : `${base}/${tab}`;
}

/** The current address inside the app (path and query), e.g. to come back to after signing in. */
export function currentAppPath(): string {
  return location.pathname + location.search;
}

/**
 * Where to go after signing in: only a path on this site. `//evil.example` and `/\\evil.example`
 * are protocol-relative URLs to other sites, so the path must start with exactly one slash.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (/[\\\u0000-\u001f]/.test(next)) return '/';
  try {
    const url = new URL(next, location.origin);
    if (url.origin !== location.origin) return '/';
    // Back to the sign-in page would be a loop.
    if (url.pathname === '/signin' || url.pathname === '/signup') return '/';
    return url.pathname + url.search + url.hash;
  } catch {
    return '/';
  }
}

/** The value of `name` in the current query string. */
export function queryParam(name: string): string | null {
  return new URLSearchParams(location.search).get(name);
}

/** /signin?next=<path>, or plain /signin when the path is the home page. */
export function signInPath(next: string = currentAppPath()): string {
  return next === '/' ? '/signin' : `/signin?next=${encodeURIComponent(next)}`;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string };

export function Link({ href, onClick, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented) return;
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (rest.target && rest.target !== '_self') return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handleClick} {...rest} />;
}
