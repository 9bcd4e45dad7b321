/**
 * Word count as Google Docs and Word give it: words (runs of letters or digits between spaces,
 * so "well-known", "V.4" and "13(a)" are one word each, a lone dash none, and every Chinese or
 * Japanese character a word of its own), characters with and without spaces (what a reader sees
 * as one character, accents and emoji included; line ends are not characters) and paragraphs
 * (blocks with text). Pure, so it is tested on its own (tests/client/word-count.test.ts).
 */
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';

import { citationText, type CitationAttributes } from '../../../shared/schema/index';

export interface TextCounts {
  words: number;
  characters: number;
  charactersWithoutSpaces: number;
}

export interface DocumentCounts extends TextCounts {
  paragraphs: number;
}

const IDEOGRAPH = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const SPACE = /^\s+$/u;

const graphemes = typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;

function characters(text: string): string[] {
  return graphemes ? Array.from(graphemes.segment(text), (part) => part.segment) : Array.from(text);
}

export function countWords(text: string): number {
  let words = 0;
  for (const token of text.split(/\s+/u)) {
    let inWord = false;
    for (const character of token) {
      if (IDEOGRAPH.test(character)) {
        words += 1;
        inWord = false;
      } else if (LETTER_OR_DIGIT.test(character) && !inWord) {
        words += 1;
        inWord = true;
      }
    }
  }
  return words;
}

export function countText(text: string): TextCounts {
  const all = characters(text).filter((character) => character !== '\n' && character !== '\r');
  return {
    words: countWords(text),
    characters: all.length,
    charactersWithoutSpaces: all.filter((character) => !SPACE.test(character)).length,
  };
}

/** What an inline node that is not text reads as: a citation its words, a line break a line end, a footnote marker nothing. */
function leafText(node: ProseMirrorNode): string {
  if (node.type.name === 'citation') return citationText(node.attrs as CitationAttributes);
  if (node.type.name === 'hardBreak') return '\n';
  return '';
}

/** Counts for the whole document, or for the part between `from` and `to`. */
export function countDocument(doc: ProseMirrorNode, from = 0, to = doc.content.size): DocumentCounts {
  const totals: DocumentCounts = { words: 0, characters: 0, charactersWithoutSpaces: 0, paragraphs: 0 };
  doc.nodesBetween(from, to, (node, pos) => {
    if (!node.isTextblock) return true;
    const start = Math.max(from, pos + 1) - (pos + 1);
    const end = Math.min(to, pos + 1 + node.content.size) - (pos + 1);
    if (end <= start) return false;
    const text = node.textBetween(start, end, '\n', leafText);
    const counts = countText(text);
    totals.words += counts.words;
    totals.characters += counts.characters;
    totals.charactersWithoutSpaces += counts.charactersWithoutSpaces;
    if (text.trim() !== '') totals.paragraphs += 1;
    return false;
  });
  return totals;
}
