/**
 * Numbers that depend on document order, computed the same way in the editor and by exporters:
 * footnotes 1, 2, 3 … in reading order, and (when the document's numberedHeadings setting is
 * on) headings as 1., 1.1, 1.1.1 like the working group's papers.
 */
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';

/**
 * Key in the document's shared meta map (Y.Map 'meta'): whether headings are numbered.
 * A document-wide setting, so every collaborator and every export sees the same numbers.
 */
export const META_NUMBERED_HEADINGS = 'numberedHeadings';

export interface FootnoteEntry {
  /** Position of the footnote node in the document. */
  pos: number;
  /** 1-based, in reading order. */
  number: number;
  note: string;
}

export function listFootnotes(doc: ProseMirrorNode): FootnoteEntry[] {
  const entries: FootnoteEntry[] = [];
  doc.descendants((node, pos) => {
    if (node.type.name === 'footnote') {
      entries.push({ pos, number: entries.length + 1, note: String(node.attrs.note ?? '') });
      return false;
    }
    return true;
  });
  return entries;
}

export interface HeadingNumber {
  pos: number;
  level: number;
  /** "1.", "1.1", "1.1.1" */
  label: string;
}

/**
 * Hierarchical heading numbers. A level-2 heading before any level-1 heading counts as "0.1",
 * as Word does, so a misplaced heading is visible rather than silently renumbered.
 */
export function numberHeadings(doc: ProseMirrorNode): HeadingNumber[] {
  const counters = [0, 0, 0];
  const numbers: HeadingNumber[] = [];
  doc.descendants((node, pos) => {
    if (node.type.name !== 'heading') return !node.isTextblock;
    const level = Math.min(3, Math.max(1, Number(node.attrs.level) || 1));
    counters[level - 1] += 1;
    for (let deeper = level; deeper < counters.length; deeper += 1) counters[deeper] = 0;
    const parts = counters.slice(0, level).join('.');
    numbers.push({ pos, level, label: level === 1 ? `${parts}.` : parts });
    return false;
  });
  return numbers;
}
