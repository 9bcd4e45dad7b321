/**
 * The document's outline: its headings in order, with the numbers the document shows when its
 * headings are numbered (the same numbering as the editor and the exports: shared/schema's
 * numberHeadings). Pure, so it is tested on its own (tests/client/outline.test.ts).
 */
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';

import { citationText, numberHeadings, type CitationAttributes } from '../../../shared/schema/index';

export interface OutlineEntry {
  /** Position of the heading node in the document. */
  pos: number;
  level: number;
  text: string;
  /** "1.", "1.1" … when headings are numbered; null otherwise. */
  number: string | null;
}

function leafText(node: ProseMirrorNode): string {
  return node.type.name === 'citation' ? citationText(node.attrs as CitationAttributes) : node.type.name === 'hardBreak' ? ' ' : '';
}

export function outlineOf(doc: ProseMirrorNode, numbered: boolean): OutlineEntry[] {
  return numberHeadings(doc).map(({ pos, level, label }) => {
    const heading = doc.nodeAt(pos)!;
    const text = heading.textBetween(0, heading.content.size, ' ', leafText).replace(/\s+/g, ' ').trim();
    return { pos, level, text, number: numbered ? label : null };
  });
}

/** The entry of the section the caret is in: the last heading at or before `pos` (-1 before the first). */
export function sectionAt(entries: OutlineEntry[], pos: number): number {
  let found = -1;
  for (let index = 0; index < entries.length && entries[index].pos <= pos; index += 1) found = index;
  return found;
}
