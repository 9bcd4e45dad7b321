/**
 * Paragraph labels and pids of source papers (server/src/sources/numbering.ts): the paper's own
 * numbering is found, derived labels fill the gaps, pids are unique and survive a re-import.
 */
import { describe, expect, it } from 'vitest';
import { detectOwnNumber, labelBlocks, numberBlocks, similarity, type BlockInfo } from '../../server/src/sources/index';

const p = (text: string, extra: Partial<BlockInfo> = {}): BlockInfo => ({ kind: 'paragraph', text, inList: false, ...extra });
const labels = (blocks: BlockInfo[]) => labelBlocks(blocks).map((label) => label.label);

describe('detecting the paper\'s own numbers', () => {
  it.each([
    ['V. Forging Links between Discussion and Decision-Making Bodies', 'V'],
    ['Section V - Forging Links', 'V'],
    ['V.4. On communication between different fora', 'V.4'],
    ['VIII.1 Create an observatory', 'VIII.1'],
    ['13. The group agreed', '13'],
    ['2) The MAG should create', '2'],
    ['2.1 Scope', '2.1'],
    ['93(a) Create a body', '93(a)'],
    ['(a) Create a body', 'a'],
    ['a) Improvements to the IGF.', 'a'],
    ['iv. How the IGF should work', 'iv'],
    ['A1 - Improvements that could be made', 'A1'],
    ['B. Recommendations on how to operationalise', 'B'],
    ['ANNEX I: WORKING DOCUMENT', 'Annex I'],
    ['ANNEX. Proposals from Options Paper', 'Annex'],
    ['PROPOSAL 2', 'Proposal 2'],
    ['**13.** Bold leftovers from conversion', '13'],
    ['## IV. A markdown heading left in the text', 'IV'],
  ])('%s → %s', (text, token) => {
    expect(detectOwnNumber(text)?.token).toBe(token);
  });

  it.each([
    '28 February, 2022',
    '7 WG members indicated their priorities:',
    'IGF 2020 MAG Working Group on IGF Strengthening and Strategy',
    'I think this is fine.',
    'A permanent communication with those liaisons.',
    '(From Section V. Forging Links)',
    'PROPOSALS THAT RECEIVED 6 INDICATIONS',
    'MCMXC. Not a roman section we accept',
  ])('no number in "%s"', (text) => {
    expect(detectOwnNumber(text)).toBeNull();
  });
});

describe('labels', () => {
  it('numbers a paper without numbers 1, 2, 3 …', () => {
    expect(labels([p('Introduction', { kind: 'heading' }), p('The forum should focus.'), p('It needs money.', { inList: true })])).toEqual(['1', '2', '3']);
  });

  it('qualifies sub-items and list items by the last number, and derives labels for the rest', () => {
    expect(
      labels([
        p('Preamble without a number.'),
        p('93. The IGF Plus should:'),
        p('(a) Create a body;'),
        p('(b) Link the forum.'),
        p('A remark on 93.'),
        p('V.4. On communication between different fora.'),
        p('Suggested path forward:'),
        p('1) Create a track.', { inList: true }),
        p('A step without a number.', { inList: true }),
        p('2) Identify liaisons.', { inList: true }),
        p('A cell saying IV.1', { inTable: true }),
        p('IV.1', { inTable: true }),
      ]),
    ).toEqual(['¶1', '93', '93(a)', '93(b)', '93 ¶1', 'V.4', 'V.4 ¶1', 'V.4(1)', 'V.4 ¶2', 'V.4(2)', 'V.4 ¶3', 'V.4 ¶4']);
  });

  it('takes ordered-list numbers as the paper\'s own when nothing came before or the list continues', () => {
    expect(labels([p('First', { inList: true, listNumber: 1, listStart: 1 }), p('Second', { inList: true, listNumber: 2, listStart: 1 })])).toEqual(['1', '2']);
    expect(
      labels([p('I. Introduction', { kind: 'heading' }), p('Step', { inList: true, listNumber: 1, listStart: 1 }), p('Continued', { inList: true, listNumber: 93, listStart: 93 })]),
    ).toEqual(['I', 'I(1)', '93']);
  });
});

describe('pids', () => {
  const paper = [p('V.4. On communication.'), p('Options Paper: Section V.'), p('V.1. On an incubator.'), p('Options Paper: Section V.'), p('V.4. On communication (annex copy).')];

  it('are the label when it is unique, else a hash of the text, and always unique', () => {
    const { pids, labels: paperLabels } = numberBlocks(paper);
    expect(paperLabels.map((l) => l.label)).toEqual(['V.4', 'V.4 ¶1', 'V.1', 'V.1 ¶1', 'V.4']);
    expect(pids[1]).toBe('V.4p1');
    expect(pids[2]).toBe('V.1');
    expect(pids[0]).toMatch(/^h[0-9a-z]+$/);
    expect(pids[4]).toMatch(/^h[0-9a-z]+$/);
    expect(new Set(pids).size).toBe(pids.length);
    // Deterministic: the same paper gets the same pids.
    expect(numberBlocks(paper).pids).toEqual(pids);
  });

  it('are kept on a re-import: same label first, then same text, then similar text; new ones never reuse an old pid', () => {
    const first = numberBlocks(paper);
    const previous = paper.map((block, i) => ({ pid: first.pids[i], label: first.labels[i].label, text: block.text }));
    const revised = [
      p('V.4. On communication between fora, revised.'),
      p('A new paragraph.'),
      p('Options Paper: Section V.'),
      p('V.1. On a policy incubator.'),
      p('Options Paper: Section V - revised wording.'),
    ];
    const second = numberBlocks(revised, previous);
    expect(second.pids[0]).toBe(first.pids[0]); // label V.4 (the best-matching of the two)
    expect(second.pids[2]).toBe(first.pids[1]); // same text
    expect(second.pids[3]).toBe(first.pids[2]); // label V.1
    expect(second.pids[4]).toBe(first.pids[3]); // similar text
    expect(first.pids).not.toContain(second.pids[1]);
    expect(second).toMatchObject({ kept: 4, added: 1, removed: 1 });
    // The derived label that moved did not take another paragraph's pid.
    expect(second.labels[1].label).toBe('V.4 ¶1');
    expect(second.pids[1]).not.toBe('V.4p1');
  });

  it('measures similarity of texts', () => {
    expect(similarity('the forum should focus on outcomes', 'the forum should focus on outcomes')).toBe(1);
    expect(similarity('the forum should focus on outcomes', 'the forum should really focus on outcomes')).toBeGreaterThan(0.6);
    expect(similarity('the forum should focus on outcomes', 'funding and fair distribution of resources')).toBe(0);
  });
});
