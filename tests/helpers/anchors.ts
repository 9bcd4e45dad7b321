import { initProseMirrorDoc } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import type { Anchor } from '../../shared/api/index';
import { encodeAnchor, type ProsemirrorMapping } from '../../shared/comments/index';
import { getDocumentSchema } from '../../shared/schema/index';

/**
 * A thread's anchor over the first occurrence of `text` in a client's copy of the document (in
 * the first paragraph that starts with `paragraphStart`, if given), as the editor would make it,
 * with its quote. Paragraphs of plain text only: offsets are counted in their text.
 */
export function anchorOver(doc: Y.Doc, text: string, paragraphStart = ''): { anchor: Anchor; quote: string } {
  const fragment = doc.getXmlFragment('default');
  const { doc: pmDoc, mapping } = initProseMirrorDoc(fragment, getDocumentSchema());
  let from = -1;
  pmDoc.descendants((node, pos) => {
    if (from >= 0 || !node.isTextblock) return from < 0;
    const at = node.textContent.startsWith(paragraphStart) ? node.textContent.indexOf(text) : -1;
    if (at >= 0) from = pos + 1 + at;
    return false;
  });
  if (from < 0) throw new Error(`"${text}" not in the document`);
  return { anchor: encodeAnchor(fragment, mapping as ProsemirrorMapping, from, from + text.length), quote: text };
}
