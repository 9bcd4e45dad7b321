/** "Leave group", after confirmation; a group's last co-chair is told what to do instead. */
import { useState } from 'react';

import { removeMember, type GroupDetail } from '../api/groups';
import { ApiError } from '../api/http';
import { useCurrentUser } from '../auth/session';
import { navigate } from '../router';
import { announce } from '../ui/announce';
import { ConfirmDialog } from '../ui/ConfirmDialog';

export function LeaveGroupButton({ group, compact }: { group: GroupDetail; compact?: boolean }) {
  const me = useCurrentUser();
  const [open, setOpen] = useState(false);

  const leave = async () => {
    try {
      await removeMember(group.id, me.id);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'last_co_chair') {
        throw new Error('You’re the only co-chair. Make someone else co-chair first (Members tab), or delete the group.');
      }
      throw caught;
    }
    announce(`You left ${group.name}`);
    navigate('/', { replace: true });
  };

  return (
    <>
      <button type="button" className={`button button--danger-text${compact ? ' button--compact' : ''}`} onClick={() => setOpen(true)}>
        Leave group
      </button>
      <ConfirmDialog
        open={open}
        title={`Leave ${group.name}?`}
        message="You’ll no longer see its drafts, and anyone editing with you will see you go. To come back you’ll need a new invite link."
        confirmLabel="Leave group"
        danger
        onConfirm={leave}
        onClose={() => setOpen(false)}
      />
    </>
  );
}
