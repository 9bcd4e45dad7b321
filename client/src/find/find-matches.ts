/**
 * Where a search term occurs in a document, as Google Docs finds it: within one paragraph (or
 * heading, list item, table cell) at a time, across bold/italic/link boundaries, never across a
 * footnote marker, citation chip or line break; optionally matching case and whole words only.
 * Pure (no DOM, no editor), so it is tested on its own (tests/client/find-matches.test.ts).
 */
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';

export interface FindOptions {
  matchCase: boolean;
  wholeWord: boolean;
}

export interface TextRange {
  from: number;
  to: number;
}

/** Stands for an inline node that is not text (footnote, citation, line break): no match spans it. */
export const OBJECT_CHARACTER = '\uFFFC';

const WORD_CHARACTER = '[\\p{L}\\p{M}\\p{N}_]';

/** The regular expression for `query`, or null when there is nothing to look for. */
export function searchPattern(query: string, options: FindOptions): RegExp | null {
  if (query === '') return null;
  const escaped = query.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  const source = options.wholeWord ? `(?<!${WORD_CHARACTER})${escaped}(?!${WORD_CHARACTER})` : escaped;
  return new RegExp(source, options.matchCase ? 'gu' : 'giu');
}

/** The [start, end) offsets of each occurrence of `query` in `text`, without overlaps. */
export function findInText(text: string, query: string, options: FindOptions): Array<[number, number]> {
  const pattern = searchPattern(query, options);
  return pattern ? occurrences(text, pattern) : [];
}

function occurrences(text: string, pattern: RegExp): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  for (const match of text.matchAll(pattern)) {
    if (match[0].length > 0) found.push([match.index, match.index + match[0].length]);
  }
  return found;
}

/**
 * Each text block's text, with inline nodes other than text as OBJECT_CHARACTER, so that the
 * offset i of the string is document position `start + i`.
 */
export function textBlocks(doc: ProseMirrorNode): Array<{ start: number; text: string }> {
  const blocks: Array<{ start: number; text: string }> = [];
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    let text = '';
    node.forEach((child) => {
      text += child.isText ? (child.text ?? '') : OBJECT_CHARACTER.repeat(child.nodeSize);
    });
    blocks.push({ start: pos + 1, text });
    return false;
  });
  return blocks;
}

/** Every occurrence of `query` in the document, in reading order, as document ranges. */
export function findInDocument(doc: ProseMirrorNode, query: string, options: FindOptions): TextRange[] {
  const pattern = searchPattern(query, options);
  if (!pattern) return [];
  const ranges: TextRange[] = [];
  for (const block of textBlocks(doc)) {
    for (const [start, end] of occurrences(block.text, pattern)) ranges.push({ from: block.start + start, to: block.start + end });
  }
  return ranges;
}
