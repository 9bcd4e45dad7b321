/** Asks for the display name collaborators see next to your caret (once; changeable later). */
import { useState, type FormEvent } from 'react';

import { Dialog } from '../ui/Dialog';
import { FormField } from '../ui/FormField';
import { NAME_MAX_LENGTH, saveLocalUserName } from './local-user';

interface NameDialogProps {
  open: boolean;
  currentName?: string;
  /** False the first time: a name is needed to open a document. */
  dismissible: boolean;
  onClose: () => void;
}

export function NameDialog({ open, currentName, dismissible, onClose }: NameDialogProps) {
  return (
    <Dialog
      open={open}
      title={currentName ? 'Change your name' : 'What’s your name?'}
      description="Others in a document see it next to your cursor. It is kept in this browser."
      dismissible={dismissible}
      onClose={onClose}
    >
      {open && <NameForm currentName={currentName} dismissible={dismissible} onClose={onClose} />}
    </Dialog>
  );
}

function NameForm({ currentName, dismissible, onClose }: Omit<NameDialogProps, 'open'>) {
  const [name, setName] = useState(currentName ?? '');
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setError('Enter a name, for example “Anriette E.”');
      return;
    }
    saveLocalUserName(name);
    onClose();
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <FormField label="Display name" error={error}>
        {(control) => (
          <input
            {...control}
            className="input"
            type="text"
            autoComplete="name"
            maxLength={NAME_MAX_LENGTH}
            value={name}
            data-autofocus
            onChange={(event) => {
              setName(event.target.value);
              setError(null);
            }}
          />
        )}
      </FormField>
      <div className="dialog__actions">
        {dismissible && (
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        )}
        <button type="submit" className="button button--primary">
          {currentName ? 'Save' : 'Continue'}
        </button>
      </div>
    </form>
  );
}
