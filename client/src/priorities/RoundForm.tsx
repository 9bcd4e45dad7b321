/** A co-chair opens a priority round: its title, how many proposals each person may indicate, an optional closing time, who takes part, open or secret. */
import { useState, type FormEvent } from 'react';

import { MAX_CHOICES_LIMIT, ROUND_TITLE_MAX_LENGTH } from '../../../shared/api/index';
import { ApiError } from '../api/http';
import { createRound, type RoundView } from '../api/priorities';
import { FormField, TextField } from '../ui/FormField';
import { messageOf } from '../ui/form-errors';

interface RoundFormProps {
  sourceId: string;
  citeAs: string;
  onOpened: (round: RoundView) => void;
  onCancel: () => void;
}

type Errors = Partial<Record<'title' | 'maxChoices' | 'closesAt' | 'form', string>>;

export function RoundForm({ sourceId, citeAs, onOpened, onCancel }: RoundFormProps) {
  const [title, setTitle] = useState(`Priorities among the proposals of the ${citeAs}`);
  const [maxChoices, setMaxChoices] = useState('12');
  const [closesAt, setClosesAt] = useState('');
  const [includeObservers, setIncludeObservers] = useState(false);
  const [secret, setSecret] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Errors = {};
    const max = Number(maxChoices);
    if (!title.trim()) found.title = 'Give the round a title.';
    if (!Number.isInteger(max) || max < 1 || max > MAX_CHOICES_LIMIT) found.maxChoices = `Enter a whole number from 1 to ${MAX_CHOICES_LIMIT}.`;
    // A datetime-local value is in the person's time zone; the API takes an instant.
    const closing = closesAt ? new Date(closesAt) : null;
    if (closing && (Number.isNaN(closing.getTime()) || closing.getTime() <= Date.now())) found.closesAt = 'Choose a time in the future, or leave it empty.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const round = await createRound(sourceId, { title: title.trim(), maxChoices: max, closesAt: closing?.toISOString(), includeObservers, secret });
      onOpened(round);
    } catch (error) {
      const field = (path: string) => (error instanceof ApiError ? (error.fieldError(path) ?? undefined) : undefined);
      const byField = { title: field('title'), maxChoices: field('maxChoices'), closesAt: field('closesAt') };
      // A refusal about one field is said there; anything else under the form.
      setErrors(Object.values(byField).some(Boolean) ? byField : { form: messageOf(error) });
      setBusy(false);
    }
  };

  return (
    <form className="form round-form" onSubmit={submit} noValidate aria-label="Open a priority round">
      <TextField label="Title" error={errors.title ?? null} value={title} maxLength={ROUND_TITLE_MAX_LENGTH} onChange={setTitle} data-autofocus />
      <div className="round-form__row">
        <FormField label="Proposals each person may indicate" error={errors.maxChoices ?? null}>
          {(control) => (
            <input
              {...control}
              className="input round-form__number"
              type="number"
              inputMode="numeric"
              min={1}
              max={MAX_CHOICES_LIMIT}
              value={maxChoices}
              onChange={(event) => setMaxChoices(event.target.value)}
            />
          )}
        </FormField>
        <FormField label="Closes (optional)" error={errors.closesAt ?? null} hint="Without a time, it stays open until a co-chair closes it.">
          {(control) => <input {...control} className="input" type="datetime-local" value={closesAt} onChange={(event) => setClosesAt(event.target.value)} />}
        </FormField>
      </div>
      <fieldset className="round-form__options">
        <legend>Who takes part, and what the tally shows</legend>
        <label className="checkbox-line">
          <input type="checkbox" checked={includeObservers} onChange={(event) => setIncludeObservers(event.target.checked)} />
          Observers may indicate too (co-chairs, members and the secretariat always may)
        </label>
        <label className="checkbox-line">
          <input type="checkbox" checked={secret} onChange={(event) => setSecret(event.target.checked)} />
          Secret: the tally shows how many indicated each proposal, not who
        </label>
      </fieldset>
      {errors.form && (
        <p className="form-error" role="alert">
          {errors.form}
        </p>
      )}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Opening…' : 'Open round'}
        </button>
      </div>
    </form>
  );
}
