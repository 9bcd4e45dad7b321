/**
 * Thread anchors: a range of the document's text held as two Yjs relative positions, so it moves
 * with the text through everyone's edits (offsets would not). Used by the editor (to anchor and
 * highlight), by the server (to order threads and report what the text reads now) and by tests.
 */
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition } from '@tiptap/y-tiptap';
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
 * Where the anchor's text is now, as a ProseMirror range; null when all of it was deleted (the
 * range collapsed) or its positions no longer resolve inside the fragment.
 */
export function resolveAnchor(
  doc: Y.Doc,
  fragment: Y.XmlFragment,
  mapping: ProsemirrorMapping,
  anchor: Anchor,
): { from: number; to: number } | null {
  try {
    const resolve = (encoded: string) =>
      relativePositionToAbsolutePosition(doc, fragment, Y.decodeRelativePosition(fromBase64(encoded)), mapping as never);
    const from = resolve(anchor.start);
    const to = resolve(anchor.end);
    if (from === null || to === null || to <= from) return null;
    return { from, to };
  } catch {
    // Malformed bytes stored by an old or broken client: treat as detached rather than failing the page.
    return null;
  }
}
