/**
 * A closed round's tally as document content: a line naming the round, then a table with a
 * header row (Indications | Proposal | Text) and one row per proposal, most indications first,
 * each proposal cited by a citation chip so the table leads back to the source.
 */
import type { JSONContent } from '@tiptap/core';

import type { Tally, TallyProposal } from '../api/priorities';
import { formatDate } from '../ui/dates';

const TALLY_COLUMNS = ['Indications', 'Proposal', 'Text'] as const;
/** Pixel widths of the narrow columns; the text takes the rest of the page. */
const COLUMN_WIDTHS = [128, 200, null] as const;

/** "V.4. On communication…" → "On communication…": the Proposal column already says "V.4". */
function proposalWords(proposal: Pick<TallyProposal, 'label' | 'text'>): string {
  const text = proposal.text.replace(/\s+/g, ' ').trim();
  if (!proposal.label || !text.startsWith(proposal.label)) return text;
  const rest = text.slice(proposal.label.length);
  // Only when the label is the paper's own number at the start, not the beginning of a longer one ("V.4" in "V.41").
  const match = /^[.):]?\s+/.exec(rest);
  return match ? rest.slice(match[0].length) : text;
}

const paragraph = (content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });
const text = (value: string): JSONContent[] => (value ? [{ type: 'text', text: value }] : []);
const cell = (type: 'tableHeader' | 'tableCell', column: number, content: JSONContent[]): JSONContent => {
  const width = COLUMN_WIDTHS[column];
  return { type, ...(width ? { attrs: { colwidth: [width] } } : {}), content: [paragraph(content)] };
};

export function tallyContent(tally: Tally): JSONContent[] {
  const header: JSONContent = { type: 'tableRow', content: TALLY_COLUMNS.map((column, index) => cell('tableHeader', index, text(column))) };
  const rows: JSONContent[] = tally.groups.flatMap((group) =>
    group.proposals.map((proposal) => ({
      type: 'tableRow',
      content: [
        cell('tableCell', 0, text(String(group.indications))),
        cell('tableCell', 1, [{ type: 'citation', attrs: { sourceId: tally.sourceId, pid: proposal.pid, citeAs: tally.citeAs, label: proposal.label } }]),
        cell('tableCell', 2, text(proposalWords(proposal))),
      ],
    })),
  );
  const people = `${tally.participants} ${tally.participants === 1 ? 'person' : 'people'}`;
  return [
    paragraph([
      { type: 'text', marks: [{ type: 'bold' }], text: tally.title },
      ...text(` — ${people} indicated priorities among the proposals of the ${tally.citeAs} (round closed ${formatDate(tally.closedAt)}).`),
    ]),
    { type: 'table', content: [header, ...rows] },
    // Somewhere to go on writing after the table.
    paragraph([]),
  ];
}
