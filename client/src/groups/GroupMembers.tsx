/**
 * The Members tab: everyone in the group with their role. Those who manage the group change
 * roles and remove people (only roles they may hand out themselves: the secretariat can't make
 * or change co-chairs) and create invite links; everyone may leave.
 */
import { useState } from 'react';

import { canAssignRole, ROLE_LABELS, ROLES, type Role } from '../../../shared/api/index';
import { removeMember, updateMember, type GroupDetail, type Member } from '../api/groups';
import { ApiError } from '../api/http';
import { useCurrentUser } from '../auth/session';
import { announce } from '../ui/announce';
import { Avatar } from '../ui/Avatar';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { messageOf } from '../ui/form-errors';
import { InviteSection } from './InviteSection';
import { LeaveGroupButton } from './LeaveGroupButton';
import { RoleBadge } from './RoleBadge';
import { ROLE_ABILITIES } from './role-text';

interface GroupMembersProps {
  group: GroupDetail;
  onChanged: (update: (group: GroupDetail) => GroupDetail) => void;
  onReload: () => void;
}

export function GroupMembers({ group, onChanged, onReload }: GroupMembersProps) {
  const me = useCurrentUser();
  const [toRemove, setToRemove] = useState<Member | null>(null);
  const members = [...group.members].sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || a.name.localeCompare(b.name));

  const remove = async (member: Member) => {
    try {
      await removeMember(group.id, member.userId);
    } catch (caught) {
      throw new Error(explain(caught));
    }
    onChanged((current) => ({ ...current, members: current.members.filter((item) => item.userId !== member.userId), memberCount: current.memberCount - 1 }));
    announce(`${member.name} was removed from ${group.name}`);
  };

  return (
    <div className="members-tab">
      <section aria-labelledby="members-title" className="panel">
        <h2 id="members-title" className="panel__title">
          Members
        </h2>
        <ul className="member-list" aria-label={`Members of ${group.name}`}>
          {members.map((member) => (
            <MemberRow
              key={member.userId}
              group={group}
              member={member}
              isSelf={member.userId === me.id}
              onRoleChanged={(updated) => {
                onChanged((current) => ({ ...current, members: current.members.map((item) => (item.userId === updated.userId ? updated : item)) }));
                announce(`${updated.name} is now ${ROLE_LABELS[updated.role]}`);
              }}
              onRemove={() => setToRemove(member)}
            />
          ))}
        </ul>
        <details className="role-help">
          <summary>What can each role do?</summary>
          <dl>
            {ROLES.map((role) => (
              <div key={role}>
                <dt>{ROLE_LABELS[role]}</dt>
                <dd>can {ROLE_ABILITIES[role]}.</dd>
              </div>
            ))}
          </dl>
        </details>
      </section>

      {canAssignRole(group.role, 'observer') && <InviteSection group={group} onCreated={onReload} />}

      <ConfirmDialog
        open={toRemove !== null}
        title={toRemove ? `Remove ${toRemove.name} from the group?` : 'Remove from the group?'}
        message={
          toRemove && (
            <>
              {toRemove.name} will no longer see {group.name}’s drafts; if they have one open, they’ll be disconnected from it now. They’ll
              need a new invite link to come back.
            </>
          )
        }
        confirmLabel="Remove"
        danger
        onConfirm={() => (toRemove ? remove(toRemove) : undefined)}
        onClose={() => setToRemove(null)}
      />
    </div>
  );
}

interface MemberRowProps {
  group: GroupDetail;
  member: Member;
  isSelf: boolean;
  onRoleChanged: (member: Member) => void;
  onRemove: () => void;
}

function MemberRow({ group, member, isSelf, onRoleChanged, onRemove }: MemberRowProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const manageable = !isSelf && canAssignRole(group.role, member.role);
  const assignable = ROLES.filter((role) => canAssignRole(group.role, role));
  const nameId = `member-${member.userId}`;

  const changeRole = async (role: Role) => {
    setBusy(true);
    setError(null);
    try {
      onRoleChanged(await updateMember(group.id, member.userId, role));
    } catch (caught) {
      setError(explain(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="member-row" aria-labelledby={nameId} data-testid="member-row">
      <Avatar person={member} size="medium" />
      <div className="member-row__who">
        <span id={nameId} className="member-row__name">
          {member.name}
          {isSelf && <span className="member-row__you"> (you)</span>}
        </span>
        <span className="member-row__email">{member.email}</span>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <div className="member-row__role">
        {manageable ? (
          <select
            className="input input--compact"
            aria-label={`Role of ${member.name}`}
            value={member.role}
            disabled={busy}
            onChange={(event) => void changeRole(event.target.value as Role)}
          >
            {assignable.map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </select>
        ) : (
          <RoleBadge role={member.role} />
        )}
      </div>
      <div className="member-row__actions">
        {isSelf ? (
          <LeaveGroupButton group={group} compact />
        ) : (
          manageable && (
            <button type="button" className="button button--compact button--quiet button--danger-text" onClick={onRemove} disabled={busy} aria-label={`Remove ${member.name} from the group`}>
              Remove
            </button>
          )
        )}
      </div>
    </li>
  );
}

function explain(error: unknown): string {
  if (error instanceof ApiError && error.code === 'last_co_chair') return 'A working group needs at least one co-chair. Make someone else co-chair first.';
  if (error instanceof ApiError && error.code === 'forbidden') return 'Your role doesn’t allow this change.';
  return messageOf(error);
}
