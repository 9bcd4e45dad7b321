/**
 * Find within the document (client/src/find/find-matches.ts): what Google Docs would highlight
 * for a search term, with and without match case and whole words, on the real document schema.
 */
import { expect, it } from 'vitest';

import { findInDocument, findInText, searchPattern } from '../../client/src/find/find-matches';
import { getDocumentSchema } from '../../shared/schema/index';

const plain = { matchCase: false, wholeWord: false };
const texts = (doc: ReturnType<typeof docOf>, ranges: Array<{ from: number; to: number }>) => ranges.map((range) => doc.textBetween(range.from, range.to, '|', '#'));

function docOf(json: unknown) {
  return getDocumentSchema().nodeFromJSON(json);
}

it('finds every occurrence, ignoring case unless asked', () => {
  const text = 'Forum, forum, FORUM and fora';
  expect(findInText(text, 'forum', plain)).toEqual([[0, 5], [7, 12], [14, 19]]);
  expect(findInText(text, 'forum', { matchCase: true, wholeWord: false })).toEqual([[7, 12]]);
  expect(findInText(text, 'Forum', { matchCase: true, wholeWord: false })).toEqual([[0, 5]]);
  expect(findInText(text, '', plain)).toEqual([]);
});

it('whole words only: not inside longer words, across letters of every script', () => {
  const text = 'IGF, the IGFs, pre-IGF and IGF_2 and «IGF».';
  expect(findInText(text, 'IGF', plain).map(([start, end]) => text.slice(start, end))).toHaveLength(5);
  const whole = findInText(text, 'igf', { matchCase: false, wholeWord: true }).map(([start]) => start);
  // "IGF," "pre-IGF" and «IGF» are whole words; "IGFs" and "IGF_2" are not.
  expect(whole).toEqual([0, text.indexOf('pre-IGF') + 4, text.indexOf('«IGF»') + 1]);
  expect(findInText('résumé resume', 'resume', { matchCase: false, wholeWord: true })).toEqual([[7, 13]]);
  expect(findInText('المنتدى منتدى', 'منتدى', { matchCase: false, wholeWord: true })).toEqual([[8, 13]]);
});

it('takes the search term literally (no regular expressions), and never overlaps matches', () => {
  expect(findInText('a.b axb (c) [d] $1 \\x', 'a.b', plain)).toEqual([[0, 3]]);
  expect(findInText('(c) [d] $1 \\x /', '(c)', plain)).toEqual([[0, 3]]);
  for (const term of ['[d]', '$1', '\\x', '/', '*', '+?', '^', '|', '{2}']) expect(searchPattern(term, plain)!.test(`x ${term} y`)).toBe(true);
  expect(findInText('aaaa', 'aa', plain)).toEqual([[0, 2], [2, 4]]);
});

it('finds across bold and links within a block, not across blocks, footnotes or citations, at document positions', () => {
  const doc = docOf({
    type: 'doc',
    content: [
      { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Capacity building' }] },
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'Capa' },
          { type: 'text', marks: [{ type: 'bold' }], text: 'city' },
          { type: 'text', text: ' build' },
          { type: 'footnote', attrs: { note: 'capacity building' } },
          { type: 'text', text: 'ing, see ' },
          { type: 'citation', attrs: { sourceId: 's', pid: 'p', citeAs: 'Capacity', label: 'V.4' } },
        ],
      },
      { type: 'paragraph', content: [{ type: 'text', text: 'Capacity' }] },
      { type: 'paragraph', content: [{ type: 'text', text: 'building' }] },
    ],
  });
  const ranges = findInDocument(doc, 'capacity', plain);
  expect(texts(doc, ranges)).toEqual(['Capacity', 'Capacity', 'Capacity']);
  // Footnote text and citation chips are not document text.
  expect(ranges).toHaveLength(3);
  expect(findInDocument(doc, 'capacity building', plain)).toHaveLength(1);
  expect(findInDocument(doc, 'build ing', plain)).toHaveLength(0);
  expect(findInDocument(doc, 'Capacity\nbuilding', plain)).toHaveLength(0);
  expect(ranges[0]).toEqual({ from: 1, to: 9 });
  expect(findInDocument(doc, 'capacity', { matchCase: true, wholeWord: false })).toEqual([]);
});

it('finds in list items and table cells', () => {
  const doc = docOf({
    type: 'doc',
    content: [
      { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'NRIs and the IGF' }] }] }] },
      {
        type: 'table',
        content: [{ type: 'tableRow', content: [{ type: 'tableCell', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'the NRIs' }] }] }] }],
      },
    ],
  });
  expect(texts(doc, findInDocument(doc, 'nris', plain))).toEqual(['NRIs', 'NRIs']);
});
