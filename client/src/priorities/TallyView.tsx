/**
 * A closed round's tally, laid out as the group's own annex: how many people took part, how many
 * proposals received how many indications, then "Proposals that received 6 indications" with each
 * proposal's section and text (and who indicated it, unless the round was secret). From here the
 * tally goes into a draft as a table (TallyInsertion.tsx does the inserting, in the draft).
 */
import { useId, useState } from 'react';

import { can } from '../../../shared/api/index';
import { listDocuments } from '../api/documents';
import { getTally, type Tally } from '../api/priorities';
import { navigate } from '../router';
import { formatDateTime } from '../ui/dates';
import { messageOf } from '../ui/form-errors';
import { useFetched } from '../ui/useFetched';
import { insertTallyPath } from './TallyInsertion';

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

export function TallyView({ sourceId, roundId, groupId }: { sourceId: string; roundId: string; groupId: string }) {
  const tally = useFetched((signal) => getTally(sourceId, roundId, signal), `${sourceId}/${roundId}`);
  if (tally.data === null) {
    return tally.error ? (
      <p className="form-error" role="alert">
        Couldn’t load the tally. {messageOf(tally.error)}
      </p>
    ) : (
      <p className="panel__note" role="status">
        Loading the tally…
      </p>
    );
  }
  return <TallyBody tally={tally.data} groupId={groupId} />;
}

function TallyBody({ tally, groupId }: { tally: Tally; groupId: string }) {
  const proposals = tally.groups.reduce((sum, group) => sum + group.proposals.length, 0);
  return (
    <div className="tally" data-testid="tally">
      <p className="tally__intro">
        {plural(tally.participants, 'person', 'people')} indicated their priorities. The round closed on {formatDateTime(tally.closedAt)}.
      </p>
      {proposals === 0 ? (
        <p className="panel__note">Nobody indicated any proposal in this round.</p>
      ) : (
        <>
          <ul className="tally__summary">
            {tally.groups.map((group) => (
              <li key={group.indications}>
                {plural(group.proposals.length, 'proposal', 'proposals')} received {plural(group.indications, 'indication', 'indications')}
              </li>
            ))}
          </ul>
          <InsertIntoDraft tally={tally} groupId={groupId} />
          {tally.groups.map((group) => (
            <section key={group.indications} className="tally__group" aria-label={`Proposals that received ${plural(group.indications, 'indication', 'indications')}`}>
              <h3 className="tally__heading">Proposals that received {plural(group.indications, 'indication', 'indications')}</h3>
              {group.proposals.map((proposal) => (
                <article key={proposal.pid} className="tally__proposal">
                  {proposal.section && <p className="tally__section">(From {proposal.section})</p>}
                  <p className="tally__text">{proposal.text}</p>
                  {proposal.indicatedBy && <p className="tally__names">Indicated by {proposal.indicatedBy.join(', ')}</p>}
                </article>
              ))}
            </section>
          ))}
        </>
      )}
    </div>
  );
}

/** "Insert into a draft…": pick one of the group's drafts the person may edit, then open it with the table added. */
function InsertIntoDraft({ tally, groupId }: { tally: Tally; groupId: string }) {
  const [picking, setPicking] = useState(false);
  const drafts = useFetched(
    async (signal) =>
      picking ? (await listDocuments({ archived: false, groupId, signal })).filter((document) => document.kind === 'draft' && can(document.role, 'edit')) : [],
    `${groupId}/${picking}`,
  );
  const [draftId, setDraftId] = useState('');
  const selectId = useId();

  if (!picking) {
    return (
      <div className="tally__actions">
        <button type="button" className="button" onClick={() => setPicking(true)}>
          Insert into a draft…
        </button>
      </div>
    );
  }
  const chosen = draftId || drafts.data?.[0]?.id || '';
  return (
    <form
      className="tally__insert"
      aria-label="Insert the tally into a draft"
      onSubmit={(event) => {
        event.preventDefault();
        if (chosen) navigate(insertTallyPath(chosen, tally.sourceId, tally.roundId));
      }}
    >
      {drafts.data === null ? (
        drafts.error ? (
          <p className="form-error" role="alert">
            Couldn’t load the group’s drafts. {messageOf(drafts.error)}
          </p>
        ) : (
          <p className="panel__note" role="status">
            Loading drafts…
          </p>
        )
      ) : drafts.data.length === 0 ? (
        <p className="panel__note">There is no draft you can edit in this group. Create one from the group page first.</p>
      ) : (
        <>
          <label htmlFor={selectId}>Draft</label>
          <select id={selectId} className="input" value={chosen} onChange={(event) => setDraftId(event.target.value)} autoFocus>
            {drafts.data.map((draft) => (
              <option key={draft.id} value={draft.id}>
                {draft.title}
              </option>
            ))}
          </select>
          <button type="submit" className="button button--primary">
            Open the draft and insert the table
          </button>
        </>
      )}
      <button type="button" className="button button--quiet" onClick={() => setPicking(false)}>
        Cancel
      </button>
      <p className="tally__insert-hint">The table (Indications, Proposal, Text) goes at the end of the draft, each proposal cited from the {tally.citeAs}.</p>
    </form>
  );
}
