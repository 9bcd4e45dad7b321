/**
 * "Name current version" (co-chairs): a name such as "2nd Draft", optionally the meeting it is
 * for and a note. The server stores the text as it is at that moment.
 */
import { useState, type FormEvent } from 'react';

import { CreateVersionRequest, VERSION_NAME_MAX_LENGTH, VERSION_NOTE_MAX_LENGTH } from '../../../shared/api/index';
import { createVersion, type VersionSummary } from '../api/versions';
import { announce } from '../ui/announce';
import { Dialog } from '../ui/Dialog';
import { FormField, TextField } from '../ui/FormField';
import { useFormSubmit } from '../ui/useFormSubmit';

interface NameVersionDialogProps {
  open: boolean;
  documentId: string;
  onClose: () => void;
  onNamed: (version: VersionSummary) => void;
  onAfterClose?: () => void;
}

export function NameVersionDialog({ open, documentId, onClose, onNamed, onAfterClose }: NameVersionDialogProps) {
  return (
    <Dialog
      open={open}
      title="Name current version"
      description="Keeps the text as it is now under a name the whole group sees in the history, such as “2nd Draft”."
      onClose={onClose}
      onAfterClose={onAfterClose}
      className="name-version-dialog"
    >
      {open && <NameVersionForm documentId={documentId} onClose={onClose} onNamed={onNamed} />}
    </Dialog>
  );
}

function NameVersionForm({ documentId, onClose, onNamed }: { documentId: string; onClose: () => void; onNamed: (version: VersionSummary) => void }) {
  const [name, setName] = useState('');
  const [meetingDate, setMeetingDate] = useState('');
  const [note, setNote] = useState('');
  const form = useFormSubmit({
    fields: ['name', 'meetingDate', 'note'],
    failure: 'Couldn’t name the version.',
    codes: { forbidden: 'Only the group’s co-chairs can name versions.' },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void form.submit(CreateVersionRequest, { name, note, meetingDate: meetingDate || null }, async (request) => {
      const version = await createVersion(documentId, request);
      announce(`Version “${version.name}” named.`);
      onNamed(version);
      onClose();
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <TextField
        label="Name"
        error={form.error('name')}
        hint="For example “2nd Draft” or “Version of 29 September 2020”."
        value={name}
        onChange={form.change('name', setName)}
        maxLength={VERSION_NAME_MAX_LENGTH}
        autoComplete="off"
        data-autofocus
      />
      <FormField label="Meeting date (optional)" error={form.error('meetingDate')} hint="The meeting this version is for.">
        {(control) => (
          <input
            {...control}
            className="input input--date"
            type="date"
            value={meetingDate}
            onChange={(event) => form.change('meetingDate', setMeetingDate)(event.target.value)}
          />
        )}
      </FormField>
      <TextField
        label="Note (optional)"
        error={form.error('note')}
        hint="What changed, or what the group should look at."
        value={note}
        onChange={form.change('note', setNote)}
        rows={3}
        maxLength={VERSION_NOTE_MAX_LENGTH}
      />
      {form.general && (
        <p className="form-error" role="alert">
          {form.general}
        </p>
      )}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose} disabled={form.busy}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={form.busy}>
          {form.busy ? 'Naming…' : 'Name version'}
        </button>
      </div>
    </form>
  );
}
