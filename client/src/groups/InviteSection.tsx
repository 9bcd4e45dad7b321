/**
 * Invite links, for those who manage the group: choose the role (only roles they may hand out),
 * how long the link works and who it is for; the link is shown once, to copy and send. Pending
 * links are listed and can be revoked.
 */
import { useEffect, useState, type FormEvent } from 'react';

import { canAssignRole, INVITE_DEFAULT_DAYS, ROLE_LABELS, ROLES, type Role } from '../../../shared/api/index';
import { createInvite, listInvites, revokeInvite, type CreatedInvite, type GroupDetail, type InviteSummary } from '../api/groups';
import { getNotificationSettings } from '../api/notifications';
import { announce } from '../ui/announce';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { CopyField } from '../ui/CopyLinkButton';
import { formatDate } from '../ui/dates';
import { FetchedList } from '../ui/FetchedList';
import { FormField, TextField } from '../ui/FormField';
import { RelativeTime } from '../ui/RelativeTime';
import { useFetched } from '../ui/useFetched';
import { useFormSubmit } from '../ui/useFormSubmit';
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
      <FetchedList fetched={invites} failed="Couldn’t load the pending links." empty="No pending invite links.">
        {(items) => (
          <ul className="invite-list" aria-label="Pending invite links">
            {items.map((invite) => (
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
      </FetchedList>

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
  const [email, setEmail] = useState('');
  const form = useFormSubmit({ fields: ['note', 'email'], failure: 'Couldn’t create the link.' });
  // Links can be e-mailed from here only when the server sends e-mail.
  const [canEmail, setCanEmail] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    getNotificationSettings(controller.signal).then(
      (settings) => setCanEmail(settings.emailAvailable),
      () => undefined, // then the link is to be copied, as always
    );
    return () => controller.abort();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void form.run(async () => {
      const to = email.trim();
      onCreated(await createInvite(group.id, { role, expiresInDays: days, note: note.trim() || to, ...(to ? { email: to } : {}) }));
      setNote('');
      setEmail('');
    });
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
      <TextField label="For (optional)" error={form.error('note')} maxLength={200} value={note} placeholder="Name or email" onChange={setNote} />
      {canEmail && (
        <TextField label="E-mail the link to (optional)" type="email" error={form.error('email')} value={email} placeholder="name@example.org" autoComplete="off" onChange={setEmail} />
      )}
      <div className="invite-form__submit">
        <button type="submit" className="button button--primary" disabled={form.busy}>
          {form.busy ? 'Creating…' : 'Create invite link'}
        </button>
      </div>
      {form.general && (
        <p className="form-error invite-form__error" role="alert">
          {form.general}
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
      {invite.emailed === true && <p className="created-secret__note">E-mailed. You can copy the link too.</p>}
      {invite.emailed === false && (
        <p className="form-error" role="alert">
          The mail server didn’t take the message: copy the link and send it yourself.
        </p>
      )}
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
