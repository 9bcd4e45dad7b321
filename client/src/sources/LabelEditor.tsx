/**
 * A co-chair correcting a paragraph's label: a small field over the label in the margin. Enter
 * saves (the new label reaches everyone through the document), Esc or leaving the field cancels; the server's reason
 * is shown if it refuses.
 */
import { useId, useState, type FormEvent } from 'react';

import { PARAGRAPH_LABEL_MAX_LENGTH } from '../../../shared/api/index';
import { ApiError } from '../api/http';
import { updateParagraphLabel } from '../api/sources';
import { announce } from '../ui/announce';
import type { LabelEdit } from './useSourceView';

function labelErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return 'The label couldn’t be saved.';
  if (error.isNetworkError) return 'The server can’t be reached. Try again when you are back online.';
  if (error.fieldError('label')) return `The label isn’t right: ${error.fieldError('label')}.`;
  if (error.status === 403) return 'Only co-chairs can correct labels.';
  if (error.status === 404) return 'This paragraph is no longer in the paper.';
  return 'The label couldn’t be saved. Please try again.';
}

export function LabelEditor({ sourceId, edit, onClose }: { sourceId: string; edit: LabelEdit; onClose: (focusLabel: boolean) => void }) {
  const [value, setValue] = useState(edit.label);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const label = value.trim();
    if (busy) return;
    if (!label) {
      setError('A label can’t be empty.');
      return;
    }
    if (label === edit.label) {
      onClose(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await updateParagraphLabel(sourceId, edit.pid, label);
      announce(`Label changed to ${label}.`);
      onClose(true);
    } catch (caught) {
      setBusy(false);
      setError(labelErrorMessage(caught));
    }
  };

  return (
    <form
      className="label-editor"
      style={{ top: edit.top, left: edit.left }}
      aria-label={`Correct the label ${edit.label}`}
      onSubmit={(event) => void submit(event)}
      // Clicking or tabbing away leaves the label as it was, like Esc.
      onBlur={(event) => {
        if (!busy && !event.currentTarget.contains(event.relatedTarget as Node | null)) onClose(false);
      }}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        event.stopPropagation();
        onClose(true);
      }}
    >
      <input
        className="input input--compact label-editor__input"
        aria-label="Label"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        value={value}
        maxLength={PARAGRAPH_LABEL_MAX_LENGTH}
        autoFocus
        readOnly={busy}
        onChange={(event) => setValue(event.target.value)}
        onFocus={(event) => event.target.select()}
      />
      <div className="label-editor__actions">
        {/* Not disabled while saving (that would take the focus away and close the field): submit ignores a second press. */}
        <button type="button" className="button button--quiet button--compact" onClick={() => onClose(true)}>
          Cancel
        </button>
        <button type="submit" className="button button--primary button--compact" aria-disabled={busy || undefined}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
      {error && (
        <p id={errorId} className="form-error label-editor__error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
