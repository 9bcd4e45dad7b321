/** The person's working groups, in the home page's side column, with "New working group". */
import { useState } from 'react';

import { ROLE_LABELS } from '../../../shared/api/index';
import type { GroupSummary } from '../api/groups';
import { Link, groupPath, navigate } from '../router';
import { Icon } from '../ui/Icon';
import { NewGroupDialog } from './NewGroupDialog';

interface GroupNavProps {
  groups: GroupSummary[] | null;
  loading: boolean;
  /** The group whose page this is, if any. */
  currentId?: string;
}

export function GroupNav({ groups, loading, currentId }: GroupNavProps) {
  const [creating, setCreating] = useState(false);
  return (
    <nav className="group-nav" aria-labelledby="group-nav-title">
      <div className="group-nav__top">
        <h2 id="group-nav-title" className="group-nav__title">
          Working groups
        </h2>
      </div>
      {groups === null && loading ? (
        <p className="group-nav__note" role="status">
          Loading…
        </p>
      ) : groups && groups.length > 0 ? (
        <ul className="group-nav__list">
          {groups.map((group) => (
            <li key={group.id}>
              <Link href={groupPath(group.id)} className="group-nav__item" aria-current={group.id === currentId ? 'page' : undefined}>
                <span className="group-nav__name">{group.name}</span>
                <span className="group-nav__role">{ROLE_LABELS[group.role]}</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="group-nav__note">None yet.</p>
      )}
      <button type="button" className="button button--compact group-nav__new" onClick={() => setCreating(true)}>
        <Icon name="plus" size={18} /> New working group
      </button>
      <NewGroupDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(group) => {
          setCreating(false);
          navigate(groupPath(group.id));
        }}
      />
    </nav>
  );
}
