import { useLayoutEffect, type RefObject } from 'react';

/**
 * The panel stays in view below the editor's sticky bars (header, toolbar or view-only notice),
 * whose height depends on the window width (the toolbar wraps): measured, not guessed.
 */
export function useStickyOffset(panelRef: RefObject<HTMLElement | null>) {
  useLayoutEffect(() => {
    const screen = panelRef.current?.closest<HTMLElement>('.editor-screen');
    if (!screen) return;
    const bars = () => Array.from(screen.querySelectorAll<HTMLElement>(':scope > .editor-header, :scope > .toolbar-bar, :scope > .view-only-notice'));
    const measure = () => {
      const height = bars()
        .filter((bar) => getComputedStyle(bar).position === 'sticky')
        .reduce((sum, bar) => sum + bar.getBoundingClientRect().height, 0);
      screen.style.setProperty('--editor-chrome', `${Math.round(height)}px`);
    };
    measure();
    const observer = new ResizeObserver(measure);
    for (const bar of bars()) observer.observe(bar);
    return () => observer.disconnect();
  }, [panelRef]);
}
