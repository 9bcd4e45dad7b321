/**
 * Priority rounds on a source paper, from its header: the rounds (open and closed), a co-chair's
 * "Open a round…" and "Close round", marking proposals in an open round, and a closed round's
 * tally. One dialog whose content follows what the person is doing.
 */
import { useEffect, useRef, useState } from 'react';

import { can, type Role } from '../../../shared/api/index';
import { closeRound, listRounds, type RoundView } from '../api/priorities';
import { Dialog } from '../ui/Dialog';
import { formatDateTime } from '../ui/dates';
import { messageOf } from '../ui/form-errors';
import { Icon } from '../ui/Icon';
import { useFetched } from '../ui/useFetched';
import { IndicationChooser } from './IndicationChooser';
import { RoundForm } from './RoundForm';
import { TallyView } from './TallyView';
import './priorities.css';

export interface PrioritiesProps {
  sourceId: string;
  /** The source's short name ("Options Paper"). */
  citeAs: string;
  role: Role;
  groupId: string;
}

type View = { kind: 'rounds' } | { kind: 'new' } | { kind: 'indicate'; roundId: string } | { kind: 'tally'; roundId: string };

export function Priorities({ sourceId, citeAs, role, groupId }: PrioritiesProps) {
  const [open, setOpen] = useState(false);
  const [view, setView] = useState<View>({ kind: 'rounds' });
  const rounds = useFetched((signal) => listRounds(sourceId, signal), sourceId);
  const openRounds = rounds.data?.filter((round) => round.status === 'open').length ?? 0;
  const round = view.kind === 'indicate' || view.kind === 'tally' ? rounds.data?.find((candidate) => candidate.id === view.roundId) : undefined;

  const bodyRef = useRef<HTMLDivElement>(null);
  // The control that led here is gone with the view it was in: start where the new view begins.
  useEffect(() => {
    const body = bodyRef.current;
    if (!body) return;
    const target = body.querySelector<HTMLElement>('[data-autofocus]') ?? body.querySelector<HTMLElement>('button, input, select');
    target?.focus();
  }, [view]);

  const replace = (changed: RoundView) => rounds.update((current) => current.map((candidate) => (candidate.id === changed.id ? changed : candidate)));
  const show = () => {
    setView({ kind: 'rounds' });
    setOpen(true);
    void rounds.refresh();
  };

  const title =
    view.kind === 'new' ? 'Open a priority round' : view.kind === 'indicate' && round ? round.title : view.kind === 'tally' && round ? `Tally: ${round.title}` : 'Priority rounds';

  return (
    <>
      <button
        type="button"
        className="header-toggle"
        aria-haspopup="dialog"
        aria-label={openRounds > 0 ? `Priorities, ${openRounds} open ${openRounds === 1 ? 'round' : 'rounds'}` : 'Priorities'}
        data-tooltip="Priority rounds on this paper"
        onClick={show}
      >
        <Icon name="checklist" size={20} />
        <span className="header-toggle__label">Priorities</span>
        {openRounds > 0 && (
          <span className="count-badge" aria-hidden="true">
            {openRounds}
          </span>
        )}
      </button>
      <Dialog open={open} title={title} className="priorities-dialog" onClose={() => setOpen(false)}>
        <div ref={bodyRef}>
        {view.kind !== 'rounds' && (
          <button type="button" className="link-button priorities-dialog__back" onClick={() => setView({ kind: 'rounds' })}>
            ← All rounds
          </button>
        )}
        {view.kind === 'rounds' && (
          <RoundList
            rounds={rounds.data}
            error={rounds.error ? messageOf(rounds.error) : null}
            citeAs={citeAs}
            canManage={can(role, 'resolve')}
            sourceId={sourceId}
            onNew={() => setView({ kind: 'new' })}
            onIndicate={(roundId) => setView({ kind: 'indicate', roundId })}
            onTally={(roundId) => setView({ kind: 'tally', roundId })}
            onChanged={replace}
          />
        )}
        {view.kind === 'new' && (
          <RoundForm
            sourceId={sourceId}
            citeAs={citeAs}
            onCancel={() => setView({ kind: 'rounds' })}
            onOpened={(created) => {
              rounds.update((current) => [created, ...current]);
              setView({ kind: 'rounds' });
            }}
          />
        )}
        {view.kind === 'indicate' && round && (
          <>
            <RoundFacts round={round} />
            <IndicationChooser sourceId={sourceId} round={round} onSaved={replace} onStale={() => void rounds.refresh()} />
          </>
        )}
        {view.kind === 'tally' && <TallyView sourceId={sourceId} roundId={view.roundId} groupId={groupId} />}
        </div>
      </Dialog>
    </>
  );
}

/** "Indicate up to 3 · closes … · members and observers · secret · 2 people have indicated". */
function RoundFacts({ round }: { round: RoundView }) {
  const facts = [
    `Indicate up to ${round.maxChoices}`,
    round.status === 'open'
      ? round.closesAt
        ? `closes ${formatDateTime(round.closesAt)}`
        : 'open until a co-chair closes it'
      : `closed ${round.closedAt ? formatDateTime(round.closedAt) : ''}`.trim(),
    round.includeObservers ? 'members and observers take part' : 'members take part',
    round.secret ? 'secret' : 'names shown in the tally',
    `${round.participants} ${round.participants === 1 ? 'person has' : 'people have'} indicated`,
  ];
  return <p className="round__facts">{facts.join(' · ')}</p>;
}

interface RoundListProps {
  rounds: RoundView[] | null;
  error: string | null;
  citeAs: string;
  canManage: boolean;
  sourceId: string;
  onNew: () => void;
  onIndicate: (roundId: string) => void;
  onTally: (roundId: string) => void;
  onChanged: (round: RoundView) => void;
}

function RoundList({ rounds, error, citeAs, canManage, sourceId, onNew, onIndicate, onTally, onChanged }: RoundListProps) {
  return (
    <div className="rounds">
      <p className="dialog__description">
        In a round, members indicate which proposals of the {citeAs} should be priorities. Once it closes, the tally lists the proposals by number of
        indications.
      </p>
      {canManage && (
        <div className="rounds__new">
          <button type="button" className="button button--primary" onClick={onNew} data-autofocus>
            <Icon name="plus" size={18} />
            Open a round…
          </button>
        </div>
      )}
      {rounds === null ? (
        error ? (
          <p className="form-error" role="alert">
            Couldn’t load the rounds. {error}
          </p>
        ) : (
          <p className="panel__note" role="status">
            Loading…
          </p>
        )
      ) : rounds.length === 0 ? (
        <p className="rounds__empty">{canManage ? 'No round yet. Open one to ask the group for its priorities.' : 'No round yet. A co-chair opens one when the group sets its priorities.'}</p>
      ) : (
        <ul className="rounds__list" aria-label="Rounds">
          {rounds.map((round) => (
            <RoundItem key={round.id} round={round} canManage={canManage} sourceId={sourceId} onIndicate={onIndicate} onTally={onTally} onChanged={onChanged} />
          ))}
        </ul>
      )}
    </div>
  );
}

function RoundItem({
  round,
  canManage,
  sourceId,
  onIndicate,
  onTally,
  onChanged,
}: { round: RoundView; canManage: boolean; sourceId: string } & Pick<RoundListProps, 'onIndicate' | 'onTally' | 'onChanged'>) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = round.status === 'open';

  const close = async () => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await closeRound(sourceId, round.id));
      setConfirming(false);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="round" aria-label={round.title}>
      <div className="round__head">
        <h3 className="round__title">{round.title}</h3>
        <span className={open ? 'round__status round__status--open' : 'round__status'}>{open ? 'Open' : 'Closed'}</span>
      </div>
      <RoundFacts round={round} />
      {open && round.eligible && (
        <p className="round__mine">
          {round.mine.length === 0 ? 'You haven’t indicated any proposal yet.' : `You chose ${round.mine.length} of ${round.maxChoices}.`}
        </p>
      )}
      {open && !round.eligible && <p className="round__mine">Observers don’t take part in this round.</p>}
      <div className="round__actions">
        {open && round.eligible && (
          <button type="button" className="button button--primary button--compact" onClick={() => onIndicate(round.id)}>
            {round.mine.length === 0 ? 'Choose proposals' : 'Change my choices'}
          </button>
        )}
        {!open && (
          <button type="button" className="button button--primary button--compact" onClick={() => onTally(round.id)}>
            Show the tally
          </button>
        )}
        {open && canManage && !confirming && (
          <button type="button" className="button button--compact" onClick={() => setConfirming(true)}>
            Close round…
          </button>
        )}
        {open && canManage && confirming && (
          <span className="round__confirm" role="group" aria-label="Close the round">
            <span>Close it now? Nobody can change their choices afterwards.</span>
            <button type="button" className="button button--danger button--compact" disabled={busy} onClick={close} autoFocus>
              {busy ? 'Closing…' : 'Close now'}
            </button>
            <button type="button" className="button button--compact" onClick={() => setConfirming(false)}>
              Keep open
            </button>
          </span>
        )}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
