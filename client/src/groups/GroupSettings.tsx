/**
 * The Settings tab: name and description (those who manage the group), leaving it (anyone), and
 * deleting it with all its drafts (co-chairs, after typing its name).
 */
import { useState, type FormEvent } from 'react';

import { can, UpdateGroupRequest } from '../../../shared/api/index';
import { deleteGroup, updateGroup, type GroupDetail } from '../api/groups';
import { navigate } from '../router';
import { announce } from '../ui/announce';
import { Dialog } from '../ui/Dialog';
import { FormStatus, TextField } from '../ui/FormField';
import { useFormSubmit } from '../ui/useFormSubmit';
import { LeaveGroupButton } from './LeaveGroupButton';

export function GroupSettings({ group, onSaved }: { group: GroupDetail; onSaved: () => void }) {
  const [deleting, setDeleting] = useState(false);
  return (
    <div className="settings-tab">
      {can(group.role, 'manage') ? (
        <GroupDetailsForm group={group} onSaved={onSaved} />
      ) : (
        <section className="panel" aria-labelledby="group-about-title">
          <h2 id="group-about-title" className="panel__title">
            About this group
          </h2>
          <p className="panel__intro">{group.description || 'No description.'}</p>
          <p className="panel__note">Co-chairs and the secretariat can change the name and description.</p>
        </section>
      )}

      <section className="panel" aria-labelledby="leave-title">
        <h2 id="leave-title" className="panel__title">
          Leave this group
        </h2>
        <p className="panel__intro">You’ll stop seeing its drafts. To come back you’ll need a new invite link.</p>
        <LeaveGroupButton group={group} />
      </section>

      {group.role === 'co-chair' && (
        <section className="panel panel--danger" aria-labelledby="delete-title">
          <h2 id="delete-title" className="panel__title">
            Delete this group
          </h2>
          <p className="panel__intro">Deletes the group and all of its drafts, for everyone. This can’t be undone.</p>
          <button type="button" className="button button--danger" onClick={() => setDeleting(true)}>
            Delete group…
          </button>
          <DeleteGroupDialog group={group} open={deleting} onClose={() => setDeleting(false)} />
        </section>
      )}
    </div>
  );
}

function GroupDetailsForm({ group, onSaved }: { group: GroupDetail; onSaved: () => void }) {
  const [name, setName] = useState(group.name);
  const [description, setDescription] = useState(group.description);
  const form = useFormSubmit({ fields: ['name', 'description'] });
  const changed = name.trim() !== group.name || description.trim() !== group.description;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void form.submit(UpdateGroupRequest, { name, description }, async (request) => {
      await updateGroup(group.id, request);
      announce('Group details saved');
      onSaved();
      return 'Saved.';
    });
  };

  return (
    <section className="panel" aria-labelledby="group-details-title">
      <h2 id="group-details-title" className="panel__title">
        Name and description
      </h2>
      <form className="form form--narrow" onSubmit={submit} noValidate>
        <TextField label="Name" error={form.error('name')} maxLength={120} value={name} onChange={setName} />
        <TextField label="Description" error={form.error('description')} rows={3} maxLength={500} value={description} onChange={setDescription} />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={form.busy || !changed}>
            {form.busy ? 'Saving…' : 'Save'}
          </button>
          <FormStatus done={form.done} error={form.general} />
        </div>
      </form>
    </section>
  );
}

function DeleteGroupDialog({ group, open, onClose }: { group: GroupDetail; open: boolean; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const deletion = useFormSubmit({ stayBusy: true });
  const matches = typed.trim() === group.name.trim();

  const close = () => {
    if (deletion.busy) return;
    setTyped('');
    deletion.clearMessages();
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!matches) return;
    void deletion.run(async () => {
      await deleteGroup(group.id);
      announce(`${group.name} deleted`);
      navigate('/', { replace: true });
    });
  };

  return (
    <Dialog
      open={open}
      title={`Delete ${group.name}?`}
      description={<>All of its drafts are deleted too, for everyone, and its members lose access. This can’t be undone.</>}
      onClose={close}
    >
      <form className="form" onSubmit={submit}>
        <TextField label={`Type the group’s name, “${group.name}”, to confirm`} error={deletion.general} value={typed} autoComplete="off" onChange={setTyped} />
        <div className="dialog__actions">
          <button type="button" className="button" onClick={close} disabled={deletion.busy}>
            Cancel
          </button>
          <button type="submit" className="button button--danger" disabled={deletion.busy || !matches}>
            {deletion.busy ? 'Deleting…' : 'Delete group and its drafts'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
