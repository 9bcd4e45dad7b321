/** A link between the editor and its history views that keeps the editor's scroll position (see routes.ts). */
import type { AnchorHTMLAttributes, MouseEvent } from 'react';

import { navigateKeepingScroll } from './routes';

type HistoryLinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string };

export function HistoryLink({ href, onClick, ...rest }: HistoryLinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented) return;
    // New tab or window: let the browser do it.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigateKeepingScroll(href);
  };
  return <a href={href} onClick={handleClick} {...rest} />;
}
