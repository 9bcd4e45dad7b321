/** "New draft" when the person can write in several groups: which group it belongs to. */
import { useState, type FormEvent } from 'react';

import type { GroupSummary } from '../api/groups';
import { Dialog } from '../ui/Dialog';
import { messageOf } from '../ui/form-errors';
import { FormField } from '../ui/FormField';
import { createDraftAndOpen } from './create-draft';

export function NewDraftDialog({ open, groups, onClose }: { open: boolean; groups: GroupSummary[]; onClose: () => void }) {
  return (
    <Dialog open={open} title="New draft" description="Everyone in the group you choose can open it." onClose={onClose}>
      {open && <NewDraftForm groups={groups} onClose={onClose} />}
    </Dialog>
  );
}

function NewDraftForm({ groups, onClose }: { groups: GroupSummary[]; onClose: () => void }) {
  const [groupId, setGroupId] = useState(groups[0]?.id ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await createDraftAndOpen(groupId);
    } catch (caught) {
      setBusy(false);
      setError(`Couldn’t create the draft. ${messageOf(caught)}`);
    }
  };

  return (
    <form className="form" onSubmit={submit}>
      <FormField label="Working group" error={error}>
        {(control) => (
          <select {...control} className="input" value={groupId} data-autofocus onChange={(event) => setGroupId(event.target.value)}>
            {groups.map((group) => (
              <option key={group.id} value={group.id}>
                {group.name}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={busy || !groupId}>
          {busy ? 'Creating…' : 'Create draft'}
        </button>
      </div>
    </form>
  );
}
