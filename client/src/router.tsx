/**
 * A tiny history-API router: the app has two kinds of pages (`/` and `/d/<id>`), which doesn't
 * justify a routing library. `navigate()` pushes a path; `usePath()` re-renders on changes;
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

/** history.state of the current entry (read once when a page mounts). */
export function readHistoryState(): Record<string, unknown> | null {
  const state: unknown = history.state;
  return state && typeof state === 'object' ? (state as Record<string, unknown>) : null;
}

export function documentPath(id: string): string {
  return `/d/${encodeURIComponent(id)}`;
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
