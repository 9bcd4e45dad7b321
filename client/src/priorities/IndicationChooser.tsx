/**
 * Marking proposals in an open round: the source's numbered paragraphs with a checkbox each,
 * "2 of 3 chosen", a search, and Save (which replaces the person's whole indication). More than
 * the round allows is refused here as well as by the server; the server's refusals are shown.
 */
import { useId, useMemo, useState } from 'react';

import { listSourceParagraphs, type SourceParagraph } from '../api/citations';
import { ApiError } from '../api/http';
import { indicate, type RoundView } from '../api/priorities';
import { messageOf } from '../ui/form-errors';
import { useFetched } from '../ui/useFetched';

interface IndicationChooserProps {
  sourceId: string;
  round: RoundView;
  onSaved: (round: RoundView) => void;
  /** The round closed meanwhile: ask for the rounds again. */
  onStale: () => void;
}

/**
 * Paragraphs that carry the paper's own number ("V.4", "13(a)"), not a derived one ("V.4 ¶2",
 * see server/src/sources/numbering.ts): those are what a round is about. Headings are sections.
 */
const isNumberedProposal = (paragraph: SourceParagraph) => paragraph.kind === 'paragraph' && !paragraph.label.includes('¶');

export function IndicationChooser({ sourceId, round, onSaved, onStale }: IndicationChooserProps) {
  const paragraphs = useFetched((signal) => listSourceParagraphs(sourceId, signal), sourceId);
  const [chosen, setChosen] = useState<string[]>(round.mine);
  const [query, setQuery] = useState('');
  const [everyParagraph, setEveryParagraph] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [status, setStatus] = useState<{ kind: 'saved' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { search: useId(), count: useId() };
  const full = chosen.length >= round.maxChoices;
  const unsaved = chosen.length !== round.mine.length || chosen.some((pid) => !round.mine.includes(pid));

  const shown = useMemo(() => {
    const needle = query.trim().toLowerCase();
    return (paragraphs.data?.paragraphs ?? []).filter(
      (paragraph) =>
        (everyParagraph ? paragraph.kind === 'paragraph' : isNumberedProposal(paragraph)) &&
        (!needle || `${paragraph.label} ${paragraph.text}`.toLowerCase().includes(needle)),
    );
  }, [paragraphs.data, query, everyParagraph]);

  const toggle = (pid: string, checked: boolean) => {
    setStatus(null);
    if (!checked) {
      setRefusal(null);
      setChosen((current) => current.filter((candidate) => candidate !== pid));
      return;
    }
    if (full) {
      setRefusal(`You can choose at most ${round.maxChoices} in this round. Unmark one to choose another.`);
      return;
    }
    setChosen((current) => [...current, pid]);
  };

  const save = async () => {
    setBusy(true);
    setStatus(null);
    try {
      const saved = await indicate(sourceId, round.id, chosen);
      onSaved(saved);
      setStatus({ kind: 'saved', text: saved.mine.length === 0 ? 'Saved: you indicated no proposal.' : `Saved: your ${saved.mine.length} ${saved.mine.length === 1 ? 'choice' : 'choices'} count in this round.` });
    } catch (error) {
      setStatus({ kind: 'error', text: messageOf(error) });
      if (error instanceof ApiError && (error.code === 'round_closed' || error.status === 404)) onStale();
    } finally {
      setBusy(false);
    }
  };

  if (paragraphs.data === null) {
    return paragraphs.error ? (
      <p className="form-error" role="alert">
        Couldn’t load the proposals. {messageOf(paragraphs.error)}
      </p>
    ) : (
      <p className="panel__note" role="status">
        Loading the proposals…
      </p>
    );
  }

  return (
    <div className="indications">
      <div className="indications__bar">
        <p id={ids.count} className="indications__count" role="status" data-testid="chosen-count">
          <strong>
            {chosen.length} of {round.maxChoices}
          </strong>{' '}
          chosen
          {unsaved && <span className="indications__unsaved"> · not saved yet</span>}
        </p>
        <button type="button" className="button button--primary" disabled={busy || !unsaved} onClick={save}>
          {busy ? 'Saving…' : 'Save my choices'}
        </button>
      </div>
      {refusal && (
        <p className="form-error" role="alert">
          {refusal}
        </p>
      )}
      {status && (
        <p className={status.kind === 'error' ? 'form-error' : 'form-ok'} role={status.kind === 'error' ? 'alert' : 'status'}>
          {status.text}
        </p>
      )}
      <div className="indications__filters">
        <label htmlFor={ids.search} className="visually-hidden">
          Find a proposal
        </label>
        <input
          id={ids.search}
          className="input"
          type="search"
          placeholder="Find a proposal by number or words"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
        <label className="checkbox-line">
          <input type="checkbox" checked={everyParagraph} onChange={(event) => setEveryParagraph(event.target.checked)} />
          Show paragraphs without a number
        </label>
      </div>
      {shown.length === 0 ? (
        <p className="panel__note">{query.trim() ? `No proposal matches “${query.trim()}”.` : 'This paper has no numbered proposals. Show paragraphs without a number to choose among them.'}</p>
      ) : (
        <ul className="indications__list" aria-label="Proposals">
          {shown.map((paragraph) => {
            const checked = chosen.includes(paragraph.pid);
            return (
              <li key={paragraph.pid} className={checked ? 'proposal-choice proposal-choice--chosen' : full ? 'proposal-choice proposal-choice--full' : 'proposal-choice'}>
                <label>
                  <input type="checkbox" checked={checked} onChange={(event) => toggle(paragraph.pid, event.target.checked)} />
                  <span className="proposal-choice__label">{paragraph.label}</span>
                  <span className="proposal-choice__text">{paragraph.text}</span>
                </label>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
