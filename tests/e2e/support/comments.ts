/** Steps for comment-thread browser tests: selecting text as a person would, and finding threads in the panel. */
import type { Locator, Page } from 'playwright-core';

import { settleCaret } from './browser';

/**
 * Selects the first occurrence of `text` in the document by dragging the mouse over it, as a
 * person would (works in the read-only editor of observers too). Returns what the browser selected.
 */
export async function selectText(page: Page, text: string): Promise<string> {
  const box = await page.evaluate((needle) => {
    const root = document.querySelector('.document-text');
    if (!root) throw new Error('no editor');
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    // The text may be split over several nodes (highlights, marks): search the joined text.
    const nodes: Text[] = [];
    let joined = '';
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if ((node.parentElement as HTMLElement | null)?.closest('.collab-caret')) continue;
      nodes.push(node as Text);
      joined += node.textContent ?? '';
    }
    const start = joined.indexOf(needle);
    if (start < 0) throw new Error(`"${needle}" is not in the document`);
    const locate = (offset: number) => {
      let seen = 0;
      for (const node of nodes) {
        const length = node.textContent?.length ?? 0;
        if (offset < seen + length) return { node, offset: offset - seen };
        seen += length;
      }
      throw new Error('offset out of range');
    };
    const rectOf = (offset: number) => {
      const { node, offset: inNode } = locate(offset);
      const range = document.createRange();
      range.setStart(node, inNode);
      range.setEnd(node, inNode + 1);
      const rect = range.getBoundingClientRect();
      return { left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom };
    };
    return { first: rectOf(start), last: rectOf(start + needle.length - 1) };
  }, text);
  await page.mouse.move(box.first.left + 1, (box.first.top + box.first.bottom) / 2);
  await page.mouse.down();
  await page.mouse.move((box.first.right + box.last.right) / 2, (box.last.top + box.last.bottom) / 2, { steps: 4 });
  await page.mouse.move(box.last.right - 1, (box.last.top + box.last.bottom) / 2, { steps: 2 });
  await page.mouse.up();
  await settleCaret(page);
  return page.evaluate(() => window.getSelection()?.toString() ?? '');
}

/** The comments side panel. */
export function commentsPanel(page: Page): Locator {
  return page.getByRole('complementary', { name: /^Comments/ });
}

/** The panel's card of the thread that quotes `quote`. */
export function threadCard(page: Page, quote: string): Locator {
  return commentsPanel(page)
    .locator('article.thread')
    .filter({ has: page.locator('.thread__quote, .thread__summary-quote', { hasText: quote }) });
}

/** The highlighted text of open threads in the document. */
export function highlights(page: Page): Locator {
  return page.locator('.document-text .comment-highlight');
}
