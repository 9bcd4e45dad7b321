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
import { fieldErrorsOf, messageOf, validate, type FieldErrors } from '../ui/form-errors';
import { FormField } from '../ui/FormField';
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
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, setStatus] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const changed = name.trim() !== group.name || description.trim() !== group.description;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setStatus(null);
    const checked = validate(UpdateGroupRequest, { name, description });
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setBusy(true);
    try {
      await updateGroup(group.id, checked.value);
      setErrors({});
      setStatus({ ok: true, message: 'Saved.' });
      announce('Group details saved');
      onSaved();
    } catch (caught) {
      const fields = fieldErrorsOf(caught);
      setErrors(fields);
      if (Object.keys(fields).length === 0) setStatus({ ok: false, message: messageOf(caught) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="group-details-title">
      <h2 id="group-details-title" className="panel__title">
        Name and description
      </h2>
      <form className="form form--narrow" onSubmit={submit} noValidate>
        <FormField label="Name" error={errors.name || null}>
          {(control) => (
            <input {...control} className="input" type="text" maxLength={120} value={name} onChange={(event) => setName(event.target.value)} />
          )}
        </FormField>
        <FormField label="Description" error={errors.description || null}>
          {(control) => (
            <textarea {...control} className="input textarea" rows={3} maxLength={500} value={description} onChange={(event) => setDescription(event.target.value)} />
          )}
        </FormField>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy || !changed}>
            {busy ? 'Saving…' : 'Save'}
          </button>
          {status && (
            <span className={status.ok ? 'form-ok' : 'form-error'} role={status.ok ? 'status' : 'alert'}>
              {status.message}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}

function DeleteGroupDialog({ group, open, onClose }: { group: GroupDetail; open: boolean; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const matches = typed.trim() === group.name.trim();

  const close = () => {
    if (busy) return;
    setTyped('');
    setError(null);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!matches) return;
    setBusy(true);
    setError(null);
    try {
      await deleteGroup(group.id);
      announce(`${group.name} deleted`);
      navigate('/', { replace: true });
    } catch (caught) {
      setBusy(false);
      setError(messageOf(caught));
    }
  };

  return (
    <Dialog
      open={open}
      title={`Delete ${group.name}?`}
      description={<>All of its drafts are deleted too, for everyone, and its members lose access. This can’t be undone.</>}
      onClose={close}
    >
      <form className="form" onSubmit={submit}>
        <FormField label={`Type the group’s name, “${group.name}”, to confirm`} error={error}>
          {(control) => <input {...control} className="input" type="text" value={typed} autoComplete="off" onChange={(event) => setTyped(event.target.value)} />}
        </FormField>
        <div className="dialog__actions">
          <button type="button" className="button" onClick={close} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="button button--danger" disabled={busy || !matches}>
            {busy ? 'Deleting…' : 'Delete group and its drafts'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
