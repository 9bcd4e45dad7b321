/** "New working group": a name and an optional description; the creator becomes its co-chair. */
import { useState, type FormEvent } from 'react';

import { CreateGroupRequest } from '../../../shared/api/index';
import { createGroup, type GroupSummary } from '../api/groups';
import { Dialog } from '../ui/Dialog';
import { fieldErrorsOf, messageOf, validate, type FieldErrors } from '../ui/form-errors';
import { FormField } from '../ui/FormField';

export function NewGroupDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (group: GroupSummary) => void }) {
  return (
    <Dialog open={open} title="New working group" description="You’ll be its co-chair, and can then invite the others." onClose={onClose}>
      {open && <NewGroupForm onClose={onClose} onCreated={onCreated} />}
    </Dialog>
  );
}

function NewGroupForm({ onClose, onCreated }: { onClose: () => void; onCreated: (group: GroupSummary) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setGeneral(null);
    const checked = validate(CreateGroupRequest, { name, description });
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setBusy(true);
    try {
      const group = await createGroup(checked.value);
      onCreated(group);
    } catch (caught) {
      setBusy(false);
      const fields = fieldErrorsOf(caught);
      setErrors(fields);
      if (Object.keys(fields).length === 0) setGeneral(messageOf(caught));
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      {general && (
        <p className="form-error" role="alert">
          {general}
        </p>
      )}
      <FormField label="Name" error={errors.name || null}>
        {(control) => (
          <input
            {...control}
            className="input"
            type="text"
            maxLength={120}
            value={name}
            placeholder="e.g. MAG Working Group on Strategy"
            data-autofocus
            onChange={(event) => {
              setName(event.target.value);
              setErrors((current) => ({ ...current, name: '' }));
            }}
          />
        )}
      </FormField>
      <FormField label="Description (optional)" error={errors.description || null}>
        {(control) => (
          <textarea
            {...control}
            className="input textarea"
            rows={3}
            maxLength={500}
            value={description}
            placeholder="What the group works on"
            onChange={(event) => setDescription(event.target.value)}
          />
        )}
      </FormField>
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create group'}
        </button>
      </div>
    </form>
  );
}
