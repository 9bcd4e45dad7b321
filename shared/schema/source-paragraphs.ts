import { Extension } from '@tiptap/core';

/**
 * Paragraph identity in source papers: every paragraph and heading of a source carries `pid`
 * (a stable id that citations and annotations keep) and `label` (what the margin shows and
 * citations cite: the paper's own number such as "V.4" or "93(a)", else a derived one). Both are
 * null in drafts, where y-prosemirror stores nothing for them, so drafts are unchanged.
 *
 * HTML form: `data-pid="…" data-label="…"` on the block.
 */
export const SourceParagraphAttributes = Extension.create({
  name: 'sourceParagraphAttributes',

  addGlobalAttributes() {
    const attribute = (name: 'pid' | 'label') => ({
      default: null,
      parseHTML: (element: HTMLElement) => element.getAttribute(`data-${name}`),
      renderHTML: (attributes: Record<string, unknown>) => {
        const value = attributes[name];
        return typeof value === 'string' && value !== '' ? { [`data-${name}`]: value } : {};
      },
    });
    return [{ types: ['paragraph', 'heading'], attributes: { pid: attribute('pid'), label: attribute('label') } }];
  },
});
