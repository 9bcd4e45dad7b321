import { useState } from 'react';

import { Avatar } from '../ui/Avatar';
import { Icon } from '../ui/Icon';
import { useLocalUser } from './local-user';
import { NameDialog } from './NameDialog';

/** Header button showing who you are; opens the dialog to change your display name. */
export function UserButton() {
  const user = useLocalUser();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="user-button"
        onClick={() => setOpen(true)}
        aria-label={user ? `You are ${user.name}. Change your name` : 'Set your name'}
        data-tooltip={user ? 'Change your name' : 'Set your name'}
      >
        {user ? <Avatar person={user} size="small" /> : <Icon name="person" size={18} />}
        <span className="user-button__name">{user ? user.name : 'Set your name'}</span>
      </button>
      <NameDialog open={open} currentName={user?.name} dismissible onClose={() => setOpen(false)} />
    </>
  );
}
