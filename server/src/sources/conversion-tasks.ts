/**
 * What the conversion process (export/convert-worker.mjs, plain JavaScript) needs of this folder,
 * loaded there with tsx's tsImport: numbering a paper's paragraphs, and the change a re-import
 * makes to a source. All of it runs there, off the server's main thread.
 *
 * Documents cross between the worker and these functions as Yjs updates (bytes), never as Y.Doc
 * objects: modules loaded through tsImport get their own instance of yjs, and Yjs types of one
 * instance are not those of another.
 */
import * as Y from 'yjs';
import type { PreviousParagraph } from './numbering';
import { listParagraphs, proseMirrorOf } from './paragraphs';
import { replaceContent } from './replace-content';

export { hasText, numberContent } from './paragraphs';

const docOf = (updates: Uint8Array[]): Y.Doc => {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const update of updates) Y.applyUpdate(doc, update);
  });
  return doc;
};

/** A source's current content, opened once for a re-import (see loadSource). */
export interface OpenedSource {
  /** Its paragraphs, for matching the new ones against. */
  paragraphs: PreviousParagraph[];
  /**
   * The updates that turn its content into that of `incoming` (replaceContent: unchanged items
   * kept), made under a fresh Yjs client id, in transactions of at most `batch` top-level steps.
   */
  replaceWith(incoming: Uint8Array[], batch: number): Uint8Array[];
  destroy(): void;
}

/** Opens a source whose content is `state` (its stored updates). */
export function loadSource(state: Uint8Array[]): OpenedSource {
  const current = docOf(state);
  return {
    paragraphs: listParagraphs(proseMirrorOf(current).pmDoc).map(({ pid, label, text }) => ({ pid, label, text })),
    replaceWith(incoming, batch) {
      const wanted = docOf(incoming);
      const updates: Uint8Array[] = [];
      const collect = (update: Uint8Array) => updates.push(update);
      current.on('update', collect);
      try {
        replaceContent(current, wanted, { batch });
        return updates;
      } finally {
        current.off('update', collect);
        wanted.destroy();
      }
    },
    destroy: () => current.destroy(),
  };
}
