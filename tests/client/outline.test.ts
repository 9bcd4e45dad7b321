/**
 * The document outline (client/src/outline/outline.ts): headings in order with their text, the
 * shared heading numbers when the document numbers them, and the section a caret is in.
 */
import { expect, it } from 'vitest';

import { outlineOf, sectionAt } from '../../client/src/outline/outline';
import { getDocumentSchema, numberHeadings } from '../../shared/schema/index';

const heading = (level: number, text: string) => ({ type: 'heading', attrs: { level }, content: [{ type: 'text', text }] });
const paragraph = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });

const doc = getDocumentSchema().nodeFromJSON({
  type: 'doc',
  content: [
    paragraph('Preamble.'),
    heading(1, 'Introduction'),
    paragraph('Text.'),
    heading(2, 'Scope'),
    { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Per ' }, { type: 'citation', attrs: { sourceId: 's', pid: 'p', citeAs: 'Options Paper', label: 'V.4' } }, { type: 'footnote', attrs: { note: 'n' } }] },
    { type: 'blockquote', content: [paragraph('Not a heading.')] },
    heading(1, 'Recommendations'),
    { type: 'heading', attrs: { level: 2 } },
  ],
});

it('lists the headings in order, with their level and text (citations as their words)', () => {
  expect(outlineOf(doc, false).map(({ level, text, number }) => [level, text, number])).toEqual([
    [1, 'Introduction', null],
    [2, 'Scope', null],
    [3, 'Per Options Paper V.4', null],
    [1, 'Recommendations', null],
    [2, '', null],
  ]);
});

it('numbers them as the editor and the exports do when the document numbers headings', () => {
  const entries = outlineOf(doc, true);
  expect(entries.map((entry) => entry.number)).toEqual(['1.', '1.1', '1.1.1', '2.', '2.1']);
  expect(entries.map((entry) => entry.number)).toEqual(numberHeadings(doc).map((entry) => entry.label));
  expect(entries.map((entry) => doc.nodeAt(entry.pos)?.type.name)).toEqual(['heading', 'heading', 'heading', 'heading', 'heading']);
});

it('knows the section a position is in', () => {
  const entries = outlineOf(doc, false);
  expect(sectionAt(entries, 1)).toBe(-1);
  expect(sectionAt(entries, entries[0].pos + 1)).toBe(0);
  expect(sectionAt(entries, entries[1].pos - 1)).toBe(0);
  expect(sectionAt(entries, entries[3].pos + 2)).toBe(3);
  expect(sectionAt(entries, doc.content.size)).toBe(4);
  expect(sectionAt([], 5)).toBe(-1);
});
