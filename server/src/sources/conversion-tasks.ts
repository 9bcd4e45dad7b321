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

/** The paragraphs of a source whose content is `state` (its updates), for matching a re-import against. */
export function previousParagraphs(state: Uint8Array[]): PreviousParagraph[] {
  const doc = docOf(state);
  try {
    return listParagraphs(proseMirrorOf(doc).pmDoc).map(({ pid, label, text }) => ({ pid, label, text }));
  } finally {
    doc.destroy();
  }
}

/**
 * The updates that turn the content of `state` into that of `incoming` (replaceContent: unchanged
 * items kept), made under a fresh Yjs client id, in transactions of at most `batch` top-level steps.
 */
export function replacementUpdates(state: Uint8Array[], incoming: Uint8Array[], batch: number): Uint8Array[] {
  const current = docOf(state);
  const wanted = docOf(incoming);
  const updates: Uint8Array[] = [];
  try {
    current.on('update', (update: Uint8Array) => updates.push(update));
    replaceContent(current, wanted, { batch });
    return updates;
  } finally {
    current.destroy();
    wanted.destroy();
  }
}
