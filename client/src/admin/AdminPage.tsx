/**
 * /admin (administrators): every account, with enabling/disabling it and granting/revoking
 * administration, each after confirmation. The server keeps at least one administrator. There is
 * no email service: for a forgotten password the administrator creates a reset link here (shown
 * once) and passes it on themselves.
 */
import { useEffect, useState } from 'react';

import { createPasswordReset, listUsers, updateUser, type AdminUser, type CreatedPasswordReset } from '../api/admin';
import { ApiError } from '../api/http';
import { loadSession, useCurrentUser } from '../auth/session';
import { announce } from '../ui/announce';
import { AppHeader } from '../ui/AppHeader';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { CopyField } from '../ui/CopyLinkButton';
import { formatDate, formatDateTime } from '../ui/dates';
import { Dialog } from '../ui/Dialog';
import { messageOf } from '../ui/form-errors';
import { MessagePage } from '../ui/NotFoundPage';
import { useFetched } from '../ui/useFetched';
import './admin.css';

type Change = { user: AdminUser; change: 'grant-admin' | 'revoke-admin' | 'disable' | 'enable' };

const CHANGES = {
  'grant-admin': {
    title: (user: AdminUser) => `Make ${user.name} an administrator?`,
    message: 'Administrators see every account here, and can disable accounts and grant or revoke administration.',
    label: 'Make administrator',
    body: { isAdmin: true },
    danger: false,
  },
  'revoke-admin': {
    title: (user: AdminUser) => `Remove ${user.name}’s administration rights?`,
    message: 'They keep their account and their working groups.',
    label: 'Remove administrator',
    body: { isAdmin: false },
    danger: true,
  },
  disable: {
    title: (user: AdminUser) => `Disable ${user.name}’s account?`,
    message: 'They are signed out everywhere at once, their access tokens stop working and they can’t sign in until the account is enabled again. Their groups and drafts are kept.',
    label: 'Disable account',
    body: { disabled: true },
    danger: true,
  },
  enable: {
    title: (user: AdminUser) => `Enable ${user.name}’s account?`,
    message: 'They can sign in again, with the same groups and roles as before.',
    label: 'Enable account',
    body: { disabled: false },
    danger: false,
  },
} as const;

export function AdminPage() {
  const me = useCurrentUser();
  useEffect(() => {
    document.title = 'Administration — Concord';
  }, []);
  if (!me.isAdmin) {
    return <MessagePage icon="shield" title="Administrators only" message="This page is for the administrators of this Concord." />;
  }
  return <AdminUsers />;
}

function AdminUsers() {
  const me = useCurrentUser();
  const users = useFetched((signal) => listUsers(signal), 'users');
  const [pending, setPending] = useState<Change | null>(null);
  const [resetFor, setResetFor] = useState<AdminUser | null>(null);
  const [created, setCreated] = useState<{ user: AdminUser; reset: CreatedPasswordReset } | null>(null);

  const apply = async ({ user, change }: Change) => {
    try {
      const updated = await updateUser(user.id, CHANGES[change].body);
      users.update((items) => items.map((item) => (item.id === updated.id ? updated : item)));
      // Giving up one's own rights changes what the app offers (the Administration menu item).
      if (updated.id === me.id) void loadSession();
      announce(`${updated.name}: ${CHANGES[change].label.toLowerCase()} — done`);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'last_admin') throw new Error('Concord needs at least one administrator. Make someone else an administrator first.');
      throw new Error(messageOf(caught));
    }
  };

  const createReset = async (user: AdminUser) => {
    try {
      setCreated({ user, reset: await createPasswordReset(user.id) });
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'account_disabled') {
        void users.refresh();
        throw new Error(`${user.name}’s account is disabled. Enable it first, then create the link.`);
      }
      throw new Error(messageOf(caught));
    }
  };

  return (
    <div className="app-page">
      <AppHeader />
      <main className="wide-main" aria-labelledby="admin-title">
        <h1 id="admin-title">Administration</h1>
        <p className="page-intro">Everyone with an account on this Concord. Working groups are managed by their own co-chairs.</p>
        {users.data === null ? (
          users.error ? (
            <div className="empty-state empty-state--error" role="alert">
              <h2>Couldn’t load the accounts</h2>
              <p>{messageOf(users.error)}</p>
              <button type="button" className="button" onClick={() => void users.refresh()}>
                Try again
              </button>
            </div>
          ) : (
            <p className="loading-line" role="status">
              Loading accounts…
            </p>
          )
        ) : (
          <div className="table-wrap">
            <table className="data-table">
              <caption className="visually-hidden">Accounts</caption>
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Created</th>
                  <th scope="col">Groups</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {users.data.map((user) => (
                  <tr key={user.id} data-testid="admin-user-row">
                    <th scope="row" className="admin-person">
                      <span className="admin-person__name">
                        {user.name}
                        {user.id === me.id && <span className="member-row__you"> (you)</span>}
                      </span>
                      <span className="admin-person__email">{user.email}</span>
                    </th>
                    <td className="data-table__date">{formatDate(user.createdAt)}</td>
                    <td>{user.groupCount}</td>
                    <td>
                      <span className="status-tags">
                        {user.isAdmin && <span className="tag tag--admin">Administrator</span>}
                        {user.disabled ? <span className="tag tag--disabled">Disabled</span> : <span className="tag">Active</span>}
                      </span>
                    </td>
                    <td className="data-table__actions">
                      <button
                        type="button"
                        className="button button--compact"
                        onClick={() => setPending({ user, change: user.isAdmin ? 'revoke-admin' : 'grant-admin' })}
                        aria-label={user.isAdmin ? `Remove admin: ${user.name}` : `Make admin: ${user.name}`}
                      >
                        {user.isAdmin ? 'Remove admin' : 'Make admin'}
                      </button>
                      {!user.disabled && (
                        <button
                          type="button"
                          className="button button--compact"
                          onClick={() => setResetFor(user)}
                          aria-label={`Create a password reset link for ${user.name}`}
                        >
                          Reset link
                        </button>
                      )}
                      {user.id !== me.id && (
                        <button
                          type="button"
                          className={`button button--compact${user.disabled ? '' : ' button--danger-text'}`}
                          onClick={() => setPending({ user, change: user.disabled ? 'enable' : 'disable' })}
                          aria-label={user.disabled ? `Enable the account of ${user.name}` : `Disable the account of ${user.name}`}
                        >
                          {user.disabled ? 'Enable' : 'Disable'}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </main>
      <ConfirmDialog
        open={pending !== null}
        title={pending ? CHANGES[pending.change].title(pending.user) : ''}
        message={pending ? CHANGES[pending.change].message : ''}
        confirmLabel={pending ? CHANGES[pending.change].label : ''}
        danger={pending ? CHANGES[pending.change].danger : false}
        onConfirm={() => (pending ? apply(pending) : undefined)}
        onClose={() => setPending(null)}
      />
      <ConfirmDialog
        open={resetFor !== null}
        title={resetFor ? `Create a password reset link for ${resetFor.name}?` : ''}
        message={
          resetFor
            ? `Whoever opens the link can choose a new password for ${resetFor.email} and is then signed in as ${resetFor.name}; their other sessions end. ` +
              'It works once, for 24 hours, and replaces any earlier link. Their current password keeps working until the link is used.'
            : ''
        }
        confirmLabel="Create link"
        onConfirm={() => (resetFor ? createReset(resetFor) : undefined)}
        onClose={() => setResetFor(null)}
      />
      {/* Opens once the confirmation has closed: one modal at a time. */}
      <ResetLinkDialog created={resetFor === null ? created : null} onClose={() => setCreated(null)} />
    </div>
  );
}

/** The new link, shown once: to copy and send to the person. */
function ResetLinkDialog({ created, onClose }: { created: { user: AdminUser; reset: CreatedPasswordReset } | null; onClose: () => void }) {
  const link = created ? `${location.origin}${created.reset.path}` : '';
  return (
    <Dialog open={created !== null} title={created ? `Password reset link for ${created.user.name}` : ''} onClose={onClose}>
      {created && (
        <div className="created-secret" data-testid="created-reset-link">
          <CopyField value={link} label="Password reset link" copyLabel="Copy link" copiedMessage="Reset link copied to the clipboard" />
          <p className="created-secret__note">
            <strong>Send it to them yourself; it works once, for 24 hours.</strong> It expires on {formatDateTime(created.reset.expiresAt)} and isn’t
            shown again.
          </p>
        </div>
      )}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
