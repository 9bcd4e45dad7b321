/** Writing or editing the text of a footnote. */
import { useState, type FormEvent } from 'react';

import { FOOTNOTE_MAX_LENGTH } from '../../../shared/schema/index';
import { Dialog } from '../ui/Dialog';
import { FormField } from '../ui/FormField';

export interface FootnoteDialogState {
  /** null: a new footnote at the selection; a number: the footnote at that position. */
  pos: number | null;
  number: number | null;
  note: string;
}

interface FootnoteDialogProps {
  state: FootnoteDialogState | null;
  onSave: (note: string) => void;
  onDelete: () => void;
  onClose: () => void;
  /** Back to the text once the dialog is gone. */
  onAfterClose: () => void;
}

export function FootnoteDialog({ state, onSave, onDelete, onClose, onAfterClose }: FootnoteDialogProps) {
  const title = state?.pos == null ? 'Insert footnote' : `Footnote ${state.number ?? ''}`.trim();
  return (
    <Dialog open={state !== null} title={title} onClose={onClose} onAfterClose={onAfterClose}>
      {state && <FootnoteForm key={`${state.pos}`} state={state} onSave={onSave} onDelete={onDelete} onClose={onClose} />}
    </Dialog>
  );
}

function FootnoteForm({ state, onSave, onDelete, onClose }: { state: FootnoteDialogState } & Omit<FootnoteDialogProps, 'state' | 'onAfterClose'>) {
  const [note, setNote] = useState(state.note);
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!note.trim()) {
      setError('Write the text of the note.');
      return;
    }
    onSave(note);
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <FormField label="Note text" error={error}>
        {(control) => (
          <textarea
            {...control}
            className="input textarea"
            rows={4}
            value={note}
            maxLength={FOOTNOTE_MAX_LENGTH}
            data-autofocus
            onChange={(event) => {
              setNote(event.target.value);
              setError(null);
            }}
            onKeyDown={(event) => {
              // Ctrl/Cmd+Enter saves, as in most comment boxes.
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit(event);
            }}
          />
        )}
      </FormField>
      <div className="dialog__actions">
        {state.pos !== null && (
          <button type="button" className="button button--quiet button--danger-text dialog__actions-start" onClick={onDelete}>
            Delete footnote
          </button>
        )}
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button button--primary">
          {state.pos === null ? 'Insert footnote' : 'Save'}
        </button>
      </div>
    </form>
  );
}
