/** "New draft" when the person can write in several groups: which group it belongs to. */
import { useState, type FormEvent } from 'react';

import type { GroupSummary } from '../api/groups';
import { Dialog } from '../ui/Dialog';
import { FormField } from '../ui/FormField';
import { useFormSubmit } from '../ui/useFormSubmit';
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
  const form = useFormSubmit({ failure: 'Couldn’t create the draft.', stayBusy: true });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void form.run(() => createDraftAndOpen(groupId));
  };

  return (
    <form className="form" onSubmit={submit}>
      <FormField label="Working group" error={form.general}>
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
        <button type="button" className="button" onClick={onClose} disabled={form.busy}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={form.busy || !groupId}>
          {form.busy ? 'Creating…' : 'Create draft'}
        </button>
      </div>
    </form>
  );
}
