/** Steps for version-history browser tests: the history panel, its versions, and putting the caret next to some words. */
import type { Locator, Page } from 'playwright-core';

import { settleCaret } from './browser';

/** The version history side panel of the editor. */
export function historyPanel(page: Page): Locator {
  return page.getByRole('complementary', { name: 'Version history' });
}

/** The panel's entry of the version named (or described as) `name`. */
export function versionItem(page: Page, name: string): Locator {
  return historyPanel(page).locator('li.version', { hasText: name });
}

/**
 * Clicks just after the first occurrence of `text` in the document, as a person would to put the
 * caret there (the right edge of its last character), scrolling it into view first.
 */
export async function clickAfter(page: Page, text: string): Promise<void> {
  const point = await page.evaluate((needle) => {
    const root = document.querySelector('.document-text');
    if (!root) throw new Error('no editor');
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes: Text[] = [];
    let joined = '';
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if ((node.parentElement as HTMLElement | null)?.closest('.collab-caret')) continue;
      nodes.push(node as Text);
      joined += node.textContent ?? '';
    }
    const start = joined.indexOf(needle);
    if (start < 0) throw new Error(`"${needle}" is not in the document`);
    let offset = start + needle.length - 1;
    for (const node of nodes) {
      const length = node.textContent?.length ?? 0;
      if (offset < length) {
        const range = document.createRange();
        range.setStart(node, offset);
        range.setEnd(node, offset + 1);
        node.parentElement?.scrollIntoView({ block: 'center' });
        const rect = range.getBoundingClientRect();
        return { x: rect.right - 0.5, y: (rect.top + rect.bottom) / 2 };
      }
      offset -= length;
    }
    throw new Error('offset out of range');
  }, text);
  await page.mouse.click(point.x, point.y);
  await settleCaret(page);
}
