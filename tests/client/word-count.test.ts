/**
 * Word count (client/src/word-count/count.ts): the numbers Google Docs and Word give for the same
 * text, in the scripts of the UN's languages, for the document and for a selection.
 */
import { expect, it } from 'vitest';

import { countDocument, countText, countWords } from '../../client/src/word-count/count';
import { getDocumentSchema } from '../../shared/schema/index';

it('counts words between spaces; hyphens, numbering and apostrophes stay inside a word; punctuation alone is none', () => {
  expect(countWords('')).toBe(0);
  expect(countWords('   ')).toBe(0);
  expect(countWords('The Working Group welcomes the Options Paper.')).toBe(7);
  expect(countWords('A well-known, multi-stakeholder IGF — isn’t it?')).toBe(6);
  expect(countWords('See V.4 and 13(a), 2022–2025.')).toBe(5);
  expect(countWords('one\ntwo\tthree\u00a0four')).toBe(4);
  expect(countWords('— … * ·')).toBe(0);
});

it('counts words in Arabic, Russian and French by spaces, and each Chinese character as a word', () => {
  expect(countWords('منتدى إدارة الإنترنت')).toBe(3);
  expect(countWords('Форум по управлению Интернетом')).toBe(4);
  expect(countWords('l’économie numérique, c’est-à-dire')).toBe(3);
  expect(countWords('互联网治理论坛')).toBe(7);
  expect(countWords('IGF互联网 2025年')).toBe(6);
});

it('counts characters as a reader sees them, with and without spaces', () => {
  expect(countText('The IGF met.')).toEqual({ words: 3, characters: 12, charactersWithoutSpaces: 10 });
  // An accent written as a combining mark and an emoji with a skin tone are one character each.
  expect(countText('cafe\u0301 👋🏽')).toEqual({ words: 1, characters: 6, charactersWithoutSpaces: 5 });
  expect(countText('a\nb').characters).toBe(2);
});

it('counts the document and a selection: paragraphs with text, citations as their words, footnote markers as nothing', () => {
  const doc = getDocumentSchema().nodeFromJSON({
    type: 'doc',
    content: [
      { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Introduction' }] },
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'The Group ' },
          { type: 'text', marks: [{ type: 'bold' }], text: 'agreed' },
          { type: 'footnote', attrs: { note: 'At its third meeting.' } },
          { type: 'text', text: ', see ' },
          { type: 'citation', attrs: { sourceId: 's', pid: 'p', citeAs: 'Options Paper', label: 'V.4' } },
          { type: 'text', text: '.' },
        ],
      },
      { type: 'paragraph' },
      { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'First item' }] }] }] },
    ],
  });
  // Introduction | The Group agreed, see Options Paper V.4. | First item
  expect(countDocument(doc)).toEqual({ words: 1 + 7 + 2, characters: 12 + 40 + 10, charactersWithoutSpaces: 12 + 34 + 9, paragraphs: 3 });
  // "Group agreed" selected inside the paragraph.
  const start = doc.child(0).nodeSize + 1 + 'The '.length;
  expect(countDocument(doc, start, start + 'Group agreed'.length)).toEqual({ words: 2, characters: 12, charactersWithoutSpaces: 11, paragraphs: 1 });
  // From the middle of the heading into the list.
  expect(countDocument(doc, 1 + 'Intro'.length, doc.content.size).paragraphs).toBe(3);
  expect(countDocument(doc, 1 + 'Intro'.length, doc.content.size).words).toBe(1 + 7 + 2);
});
