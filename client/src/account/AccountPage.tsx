/** /account: your name, your password, personal access tokens, and signing out. */
import { useEffect, useState, type FormEvent } from 'react';

import { ChangePasswordRequest, NAME_MAX_LENGTH, PASSWORD_MIN_LENGTH, UpdateProfileRequest } from '../../../shared/api/index';
import { changePassword, updateProfile } from '../api/auth';
import { ApiError } from '../api/http';
import { PasswordInput } from '../auth/PasswordInput';
import { setSignedInUser, useCurrentUser } from '../auth/session';
import { signOutHere } from '../auth/sign-out';
import { AppHeader } from '../ui/AppHeader';
import { Avatar } from '../ui/Avatar';
import { fieldErrorsOf, messageOf, validate, type FieldErrors } from '../ui/form-errors';
import { FormField } from '../ui/FormField';
import { TokensSection } from './TokensSection';

export function AccountPage() {
  useEffect(() => {
    document.title = 'Your account — Concord';
  }, []);
  return (
    <div className="app-page">
      <AppHeader />
      <main className="narrow-main" aria-labelledby="account-title">
        <h1 id="account-title">Your account</h1>
        <ProfileSection />
        <PasswordSection />
        <TokensSection />
        <SignOutSection />
      </main>
    </div>
  );
}

type Status = { ok: boolean; message: string } | null;

function StatusLine({ status }: { status: Status }) {
  if (!status) return null;
  return (
    <span className={status.ok ? 'form-ok' : 'form-error'} role={status.ok ? 'status' : 'alert'}>
      {status.message}
    </span>
  );
}

function ProfileSection() {
  const user = useCurrentUser();
  const [name, setName] = useState(user.name);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setStatus(null);
    const checked = validate(UpdateProfileRequest, { name });
    if (!checked.ok) {
      setError(checked.errors.name ?? 'Enter a name.');
      return;
    }
    setBusy(true);
    try {
      const updated = await updateProfile(checked.value.name);
      setSignedInUser(updated);
      setName(updated.name);
      setError(null);
      setStatus({ ok: true, message: 'Saved. Others see the new name the next time you open a draft.' });
    } catch (caught) {
      const fields = fieldErrorsOf(caught);
      if (fields.name) setError(fields.name);
      else setStatus({ ok: false, message: messageOf(caught) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="profile-title">
      <h2 id="profile-title" className="panel__title">
        Profile
      </h2>
      <div className="profile-who">
        <Avatar person={{ name: name.trim() || user.name, color: user.color }} size="medium" />
        <div>
          <div className="profile-who__email">{user.email}</div>
          <div className="panel__note">Your colour marks your cursor and your initials in drafts.</div>
        </div>
      </div>
      <form className="form form--narrow" onSubmit={submit} noValidate>
        <FormField label="Name" error={error} hint="Shown to others next to your cursor and in member lists.">
          {(control) => (
            <input
              {...control}
              className="input"
              type="text"
              autoComplete="name"
              maxLength={NAME_MAX_LENGTH}
              value={name}
              onChange={(event) => {
                setName(event.target.value);
                setError(null);
                setStatus(null);
              }}
            />
          )}
        </FormField>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy || name.trim() === user.name}>
            {busy ? 'Saving…' : 'Save name'}
          </button>
          <StatusLine status={status} />
        </div>
      </form>
    </section>
  );
}

function PasswordSection() {
  const { email } = useCurrentUser();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setStatus(null);
    const checked = validate(ChangePasswordRequest, { currentPassword, newPassword });
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setBusy(true);
    try {
      await changePassword(checked.value);
      setErrors({});
      setCurrentPassword('');
      setNewPassword('');
      setStatus({ ok: true, message: 'Password changed. You were signed out everywhere else.' });
    } catch (caught) {
      const fields = fieldErrorsOf(caught);
      if (caught instanceof ApiError && caught.code === 'invalid_credentials') fields.currentPassword = 'That isn’t your current password.';
      setErrors(fields);
      if (Object.keys(fields).length === 0) setStatus({ ok: false, message: messageOf(caught) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="password-title">
      <h2 id="password-title" className="panel__title">
        Password
      </h2>
      <form className="form form--narrow" onSubmit={submit} noValidate>
        {/* Lets password managers file the change under the right account. */}
        <input type="email" autoComplete="username" value={email} readOnly hidden />
        <FormField label="Current password" error={errors.currentPassword || null}>
          {(control) => <PasswordInput control={control} value={currentPassword} autoComplete="current-password" onChange={setCurrentPassword} />}
        </FormField>
        <FormField label="New password" error={errors.newPassword || null} hint={`At least ${PASSWORD_MIN_LENGTH} characters. Changing it signs you out on your other devices.`}>
          {(control) => <PasswordInput control={control} value={newPassword} autoComplete="new-password" onChange={setNewPassword} />}
        </FormField>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Changing…' : 'Change password'}
          </button>
          <StatusLine status={status} />
        </div>
      </form>
    </section>
  );
}

function SignOutSection() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const doSignOut = async () => {
    setBusy(true);
    setError(null);
    try {
      await signOutHere();
    } catch (caught) {
      setBusy(false);
      setError(messageOf(caught));
    }
  };

  return (
    <section className="panel" aria-labelledby="signout-title">
      <h2 id="signout-title" className="panel__title">
        Sign out
      </h2>
      <p className="panel__intro">Signs you out in this browser and removes the copies of drafts it kept for working offline.</p>
      <div className="form__actions">
        <button type="button" className="button" onClick={() => void doSignOut()} disabled={busy}>
          {busy ? 'Signing out…' : 'Sign out'}
        </button>
        {error && (
          <span className="form-error" role="alert">
            {error}
          </span>
        )}
      </div>
    </section>
  );
}
