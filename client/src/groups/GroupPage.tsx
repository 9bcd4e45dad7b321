/**
 * /g/<id>: one working group. Tabs: its drafts (active and archived), its members (and, for
 * those who manage it, invite links), and its settings.
 */
import { useEffect } from 'react';

import { getGroup, type GroupDetail } from '../api/groups';
import { Link, groupPath, type GroupTab } from '../router';
import { AppHeader } from '../ui/AppHeader';
import { messageOf } from '../ui/form-errors';
import { MessagePage } from '../ui/NotFoundPage';
import { useFetched } from '../ui/useFetched';
import { GroupDrafts } from './GroupDrafts';
import { GroupMembers } from './GroupMembers';
import { GroupNav } from './GroupNav';
import { GroupSettings } from './GroupSettings';
import { RoleBadge } from './RoleBadge';
import { useGroups } from './useGroups';

const TABS: { tab: GroupTab; label: string }[] = [
  { tab: 'drafts', label: 'Drafts' },
  { tab: 'archived', label: 'Archived' },
  { tab: 'members', label: 'Members' },
  { tab: 'settings', label: 'Settings' },
];

export function GroupPage({ groupId, tab }: { groupId: string; tab: GroupTab }) {
  const groups = useGroups();
  const detail = useFetched((signal) => getGroup(groupId, signal), groupId);
  const group = detail.data;

  useEffect(() => {
    if (group) document.title = `${group.name} — Concord`;
  }, [group]);

  if (!group && detail.error && (detail.error.status === 404 || detail.error.status === 403 || detail.error.status === 400)) {
    return (
      <MessagePage
        icon="people"
        title="Working group not found"
        message="You’re not a member of this working group, or it no longer exists. Ask one of its co-chairs for an invite link."
      />
    );
  }

  const refreshAll = () => {
    void detail.refresh();
    void groups.refresh();
  };

  return (
    <div className="app-page">
      <AppHeader />
      <div className="home-layout">
        <aside className="home-sidebar">
          <GroupNav groups={groups.data} loading={groups.loading} currentId={groupId} />
        </aside>
        <main className="home-main" aria-labelledby="group-title" aria-busy={!group}>
          {!group ? (
            detail.error ? (
              <div className="empty-state empty-state--error" role="alert">
                <h2>Couldn’t load this working group</h2>
                <p>{messageOf(detail.error)}</p>
                <button type="button" className="button" onClick={() => void detail.refresh()}>
                  Try again
                </button>
              </div>
            ) : (
              <p className="loading-line" role="status">
                Loading the working group…
              </p>
            )
          ) : (
            <>
              <GroupHeading group={group} />
              <nav className="view-switch" aria-label="Working group">
                {TABS.map((item) => (
                  <Link key={item.tab} href={groupPath(group.id, item.tab)} className="view-switch__item" aria-current={item.tab === tab ? 'page' : undefined}>
                    {item.label}
                    {item.tab === 'members' && <span className="view-switch__count">{group.members.length}</span>}
                  </Link>
                ))}
              </nav>
              {(tab === 'drafts' || tab === 'archived') && <GroupDrafts key={tab} group={group} archived={tab === 'archived'} />}
              {tab === 'members' && <GroupMembers group={group} onChanged={(update) => detail.update(update)} onReload={refreshAll} />}
              {tab === 'settings' && <GroupSettings group={group} onSaved={refreshAll} />}
            </>
          )}
        </main>
      </div>
    </div>
  );
}

function GroupHeading({ group }: { group: GroupDetail }) {
  return (
    <div className="group-heading">
      <h1 id="group-title">{group.name}</h1>
      {group.description && <p className="group-heading__description">{group.description}</p>}
      <p className="group-heading__meta">
        <span>
          Your role: <RoleBadge role={group.role} />
        </span>
        <span>
          {group.members.length} {group.members.length === 1 ? 'member' : 'members'}
        </span>
      </p>
    </div>
  );
}
