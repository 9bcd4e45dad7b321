/** "New working group": a name and an optional description; the creator becomes its co-chair. */
import { useState, type FormEvent } from 'react';

import { CreateGroupRequest } from '../../../shared/api/index';
import { createGroup, type GroupSummary } from '../api/groups';
import { Dialog } from '../ui/Dialog';
import { TextField } from '../ui/FormField';
import { useFormSubmit } from '../ui/useFormSubmit';

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
  const form = useFormSubmit({ fields: ['name', 'description'], stayBusy: true });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void form.submit(CreateGroupRequest, { name, description }, async (request) => onCreated(await createGroup(request)));
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      {form.general && (
        <p className="form-error" role="alert">
          {form.general}
        </p>
      )}
      <TextField
        label="Name"
        error={form.error('name')}
        maxLength={120}
        value={name}
        placeholder="e.g. MAG Working Group on Strategy"
        data-autofocus
        onChange={form.change('name', setName)}
      />
      <TextField
        label="Description (optional)"
        error={form.error('description')}
        rows={3}
        maxLength={500}
        value={description}
        placeholder="What the group works on"
        onChange={setDescription}
      />
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose} disabled={form.busy}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={form.busy}>
          {form.busy ? 'Creating…' : 'Create group'}
        </button>
      </div>
    </form>
  );
}
