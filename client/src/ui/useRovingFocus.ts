import { useLayoutEffect, useRef, type KeyboardEvent, type RefObject } from 'react';

const ITEM_SELECTOR = 'button:not([disabled]), select:not([disabled]), input:not([disabled])';

/**
 * Roving tabindex for a role="toolbar" container (WAI-ARIA toolbar pattern): the toolbar is one
 * Tab stop, and Left/Right/Home/End move between its controls. The last focused control is
 * remembered so Tab brings you back to it.
 */
export function useRovingFocus(containerRef: RefObject<HTMLElement | null>) {
  const current = useRef<HTMLElement | null>(null);
  // Until the person moves inside the toolbar, the first enabled control is its entry point.
  const chosen = useRef(false);

  // After every render (controls appear, disappear and get enabled, e.g. Undo or the table
  // tools), exactly one enabled control is tabbable.
  useLayoutEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const items = Array.from(container.querySelectorAll<HTMLElement>(ITEM_SELECTOR));
    if (!chosen.current || !current.current || !items.includes(current.current)) current.current = items[0] ?? null;
    for (const item of items) item.tabIndex = item === current.current ? 0 : -1;
  });

  const onFocus = (event: { target: EventTarget }) => {
    const container = containerRef.current;
    if (!container || !(event.target instanceof HTMLElement) || !event.target.matches(ITEM_SELECTOR)) return;
    current.current = event.target;
    chosen.current = true;
    for (const item of container.querySelectorAll<HTMLElement>(ITEM_SELECTOR)) item.tabIndex = item === event.target ? 0 : -1;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const container = containerRef.current;
    if (!container) return;
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) {
      if (event.key !== 'Home' && event.key !== 'End' && event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
      if (event.target instanceof HTMLInputElement) return;
    }
    const items = Array.from(container.querySelectorAll<HTMLElement>(ITEM_SELECTOR)).filter((item) => item.offsetParent !== null);
    const index = items.indexOf(document.activeElement as HTMLElement);
    let next = -1;
    if (event.key === 'ArrowRight') next = (index + 1) % items.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + items.length) % items.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = items.length - 1;
    if (next < 0 || !items[next]) return;
    event.preventDefault();
    items[next].focus();
  };

  return { onFocus, onKeyDown };
}
