/**
 * Invite links, for those who manage the group: choose the role (only roles they may hand out),
 * how long the link works and who it is for; the link is shown once, to copy and send. Pending
 * links are listed and can be revoked.
 */
import { useState, type FormEvent } from 'react';

import { canAssignRole, INVITE_DEFAULT_DAYS, ROLE_LABELS, ROLES, type Role } from '../../../shared/api/index';
import { createInvite, listInvites, revokeInvite, type CreatedInvite, type GroupDetail, type InviteSummary } from '../api/groups';
import { announce } from '../ui/announce';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { CopyField } from '../ui/CopyLinkButton';
import { formatDate } from '../ui/dates';
import { fieldErrorsOf, messageOf } from '../ui/form-errors';
import { FormField } from '../ui/FormField';
import { RelativeTime } from '../ui/RelativeTime';
import { useFetched } from '../ui/useFetched';
import { RoleBadge } from './RoleBadge';

const EXPIRY_CHOICES = [1, 3, 7, 14, 30] as const;

export function InviteSection({ group, onCreated }: { group: GroupDetail; onCreated: () => void }) {
  const invites = useFetched((signal) => listInvites(group.id, signal), group.id);
  const [created, setCreated] = useState<CreatedInvite | null>(null);
  const [toRevoke, setToRevoke] = useState<InviteSummary | null>(null);

  const revoke = async (invite: InviteSummary) => {
    await revokeInvite(group.id, invite.id);
    invites.update((items) => items.filter((item) => item.id !== invite.id));
    if (created?.id === invite.id) setCreated(null);
    announce('Invite link revoked');
  };

  return (
    <section aria-labelledby="invite-title" className="panel">
      <h2 id="invite-title" className="panel__title">
        Invite people
      </h2>
      <p className="panel__intro">
        Create a link for each person and send it to them yourself (email, chat). Each link works once, for the role you choose.
      </p>

      {created ? (
        <CreatedInviteBox invite={created} groupName={group.name} onDone={() => setCreated(null)} />
      ) : (
        <InviteForm
          group={group}
          onCreated={(invite) => {
            setCreated(invite);
            invites.update((items) => [invite, ...items.filter((item) => item.id !== invite.id)]);
            announce(`Invite link created for a ${ROLE_LABELS[invite.role]}`);
            onCreated();
          }}
        />
      )}

      <h3 className="panel__subtitle">Pending invite links</h3>
      {invites.data === null ? (
        invites.error ? (
          <p className="form-error" role="alert">
            Couldn’t load the pending links. {messageOf(invites.error)}
          </p>
        ) : (
          <p className="panel__note" role="status">
            Loading…
          </p>
        )
      ) : invites.data.length === 0 ? (
        <p className="panel__note">No pending invite links.</p>
      ) : (
        <ul className="invite-list" aria-label="Pending invite links">
          {invites.data.map((invite) => (
            <li key={invite.id} className="invite-row" data-testid="invite-row">
              <RoleBadge role={invite.role} />
              <div className="invite-row__text">
                <span className="invite-row__note">{invite.note || 'No note'}</span>
                <span className="invite-row__meta">
                  by {invite.createdBy}, <RelativeTime iso={invite.createdAt} /> · expires {formatDate(invite.expiresAt)}
                </span>
              </div>
              <button
                type="button"
                className="button button--compact button--quiet button--danger-text"
                onClick={() => setToRevoke(invite)}
                aria-label={`Revoke invite link for ${invite.note || ROLE_LABELS[invite.role]}`}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}

      <ConfirmDialog
        open={toRevoke !== null}
        title="Revoke this invite link?"
        message="The link will stop working at once. Anyone who already joined with another link stays a member."
        confirmLabel="Revoke link"
        danger
        onConfirm={() => (toRevoke ? revoke(toRevoke) : undefined)}
        onClose={() => setToRevoke(null)}
      />
    </section>
  );
}

function InviteForm({ group, onCreated }: { group: GroupDetail; onCreated: (invite: CreatedInvite) => void }) {
  const assignable = ROLES.filter((role) => canAssignRole(group.role, role));
  const [role, setRole] = useState<Role>(assignable.includes('member') ? 'member' : (assignable[0] ?? 'observer'));
  const [days, setDays] = useState<number>(INVITE_DEFAULT_DAYS);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [noteError, setNoteError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNoteError(null);
    try {
      onCreated(await createInvite(group.id, { role, expiresInDays: days, note: note.trim() }));
      setNote('');
    } catch (caught) {
      const fields = fieldErrorsOf(caught);
      if (fields.note) setNoteError(fields.note);
      else setError(`Couldn’t create the link. ${messageOf(caught)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="invite-form" onSubmit={submit} noValidate>
      <FormField label="Role" error={null}>
        {(control) => (
          <select {...control} className="input" value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {assignable.map((item) => (
              <option key={item} value={item}>
                {ROLE_LABELS[item]}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField label="Link works for" error={null}>
        {(control) => (
          <select {...control} className="input" value={days} onChange={(event) => setDays(Number(event.target.value))}>
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {choice === 1 ? '1 day' : `${choice} days`}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField label="For (optional)" error={noteError}>
        {(control) => (
          <input
            {...control}
            className="input"
            type="text"
            maxLength={200}
            value={note}
            placeholder="Name or email"
            onChange={(event) => setNote(event.target.value)}
          />
        )}
      </FormField>
      <div className="invite-form__submit">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create invite link'}
        </button>
      </div>
      {error && (
        <p className="form-error invite-form__error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function CreatedInviteBox({ invite, groupName, onDone }: { invite: CreatedInvite; groupName: string; onDone: () => void }) {
  const link = `${location.origin}${invite.path}`;
  return (
    <div className="created-secret" role="status" data-testid="created-invite">
      <p className="created-secret__title">
        Invite link for {invite.note ? <strong>{invite.note}</strong> : 'one person'} as <strong>{ROLE_LABELS[invite.role]}</strong> in {groupName}
      </p>
      <CopyField value={link} label="Invite link" copyLabel="Copy link" copiedMessage="Invite link copied to the clipboard" />
      <p className="created-secret__note">
        It works once, until {formatDate(invite.expiresAt)}. Copy it now and send it to the person: for your security it isn’t shown again (you can
        revoke it below).
      </p>
      <button type="button" className="button button--compact" onClick={onDone}>
        Create another link
      </button>
    </div>
  );
}
