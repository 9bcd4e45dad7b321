/**
 * Thread anchors: a range of the document's text held as two Yjs relative positions, so it moves
 * with the text through everyone's edits (offsets would not). Used by the editor (to anchor and
 * highlight), by the server (to order threads and report what the text reads now) and by tests.
 */
import type { Node as ProsemirrorNode } from '@tiptap/pm/model';
import { absolutePositionToRelativePosition } from '@tiptap/y-tiptap';
import { fromBase64, toBase64 } from 'lib0/buffer';
import * as Y from 'yjs';
import type { Anchor } from '../api/comments';

/** y-prosemirror's map from Yjs types to ProseMirror nodes (from the sync plugin, or initProseMirrorDoc). */
export type ProsemirrorMapping = Map<Y.AbstractType<unknown>, unknown>;

/** The anchor of the ProseMirror range [from, to) of `fragment`. */
export function encodeAnchor(fragment: Y.XmlFragment, mapping: ProsemirrorMapping, from: number, to: number): Anchor {
  const encode = (pos: number) =>
    toBase64(Y.encodeRelativePosition(absolutePositionToRelativePosition(pos, fragment, mapping as never)));
  return { start: encode(from), end: encode(to) };
}

/**
 * Where the anchor's text is now, as a ProseMirror range of `pmDoc` (the document `mapping` was
 * made for); null when none of its text is left (all deleted, even if empty paragraphs remain)
 * or its positions no longer resolve inside the fragment.
 */
export function resolveAnchor(
  doc: Y.Doc,
  fragment: Y.XmlFragment,
  mapping: ProsemirrorMapping,
  pmDoc: ProsemirrorNode,
  anchor: Anchor,
): { from: number; to: number } | null {
  let from: number | null;
  let to: number | null;
  try {
    from = toAbsolutePosition(doc, fragment, Y.decodeRelativePosition(fromBase64(anchor.start)), mapping);
    to = toAbsolutePosition(doc, fragment, Y.decodeRelativePosition(fromBase64(anchor.end)), mapping);
  } catch {
    // Malformed bytes stored by an old or broken client: treat as detached rather than failing the page.
    return null;
  }
  if (from === null || to === null || to <= from || to > pmDoc.content.size) return null;
  if (pmDoc.textBetween(from, to, '', '\ufffc') === '') return null;
  return { from, to };
}

/**
 * y-prosemirror's relativePositionToAbsolutePosition, without its guard against positions that
 * drag-and-drop of blocks can misresolve: that guard gives up on every position at the very start
 * of the document (so a comment on a paper's first words would read as "text removed"), and
 * Concord has no block drag-and-drop.
 */
function toAbsolutePosition(doc: Y.Doc, fragment: Y.XmlFragment, relPos: Y.RelativePosition, mapping: ProsemirrorMapping): number | null {
  const decoded = Y.createAbsolutePositionFromRelativePosition(relPos, doc);
  if (decoded === null || (decoded.type !== fragment && !Y.isParentOf(fragment, decoded.type._item))) return null;
  const sizeOf = (type: Y.AbstractType<unknown>): number | null => {
    if (type instanceof Y.XmlText) return type.length;
    const node = mapping.get(type) as { nodeSize: number } | undefined;
    return node ? node.nodeSize : null;
  };
  let type: Y.AbstractType<unknown> = decoded.type;
  let pos = 0;
  if (type instanceof Y.XmlText) {
    pos = decoded.index;
  } else if (type._item === null || !type._item.deleted) {
    let item = type._start;
    let i = 0;
    while (i < type._length && i < decoded.index && item !== null) {
      if (!item.deleted) {
        const size = sizeOf((item.content as Y.ContentType).type);
        if (size === null) return null;
        i++;
        pos += size;
      }
      item = item.right;
    }
    pos += 1; // out of the element's opening
  }
  while (type !== fragment && type._item !== null) {
    const parent = type._item.parent as Y.AbstractType<unknown>;
    if (parent._item === null || !parent._item.deleted) {
      pos += 1; // the parent's opening
      for (let item = parent._start; item !== null; item = item.right) {
        const child = (item.content as Y.ContentType).type;
        if (child === type) break;
        if (!item.deleted) {
          const size = sizeOf(child);
          if (size === null) return null;
          pos += size;
        }
      }
    }
    type = parent;
  }
  return pos - 1; // the fragment itself has no opening
}
