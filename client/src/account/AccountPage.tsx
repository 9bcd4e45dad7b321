/** /account: your name, your password, personal access tokens, and signing out. */
import { useEffect, useState, type FormEvent } from 'react';

import { ChangePasswordRequest, NAME_MAX_LENGTH, PASSWORD_MIN_LENGTH, UpdateProfileRequest } from '../../../shared/api/index';
import { changePassword, updateProfile } from '../api/auth';
import { PasswordField } from '../auth/PasswordField';
import { setSignedInUser, useCurrentUser } from '../auth/session';
import { signOutHere } from '../auth/sign-out';
import { usePasswordStrength } from '../auth/usePasswordStrength';
import { AppHeader } from '../ui/AppHeader';
import { Avatar } from '../ui/Avatar';
import { FormStatus, TextField } from '../ui/FormField';
import { useFormSubmit } from '../ui/useFormSubmit';
import { NotificationSettingsSection } from '../notifications/index';
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
        <NotificationSettingsSection />
        <TokensSection />
        <SignOutSection />
      </main>
    </div>
  );
}

function ProfileSection() {
  const user = useCurrentUser();
  const [name, setName] = useState(user.name);
  const form = useFormSubmit({ fields: ['name'] });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void form.submit(UpdateProfileRequest, { name }, async (request) => {
      const updated = await updateProfile(request.name);
      setSignedInUser(updated);
      setName(updated.name);
      return 'Saved. Others see the new name the next time you open a draft.';
    });
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
        <TextField
          label="Name"
          error={form.error('name')}
          hint="Shown to others next to your cursor and in member lists."
          autoComplete="name"
          maxLength={NAME_MAX_LENGTH}
          value={name}
          onChange={(value) => {
            setName(value);
            form.clearError('name');
            form.clearMessages();
          }}
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={form.busy || name.trim() === user.name}>
            {form.busy ? 'Saving…' : 'Save name'}
          </button>
          <FormStatus done={form.done} error={form.general} />
        </div>
      </form>
    </section>
  );
}

function PasswordSection() {
  const { email, name } = useCurrentUser();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const strength = usePasswordStrength(newPassword, [email, name]);
  const form = useFormSubmit({ fields: ['currentPassword', 'newPassword'], codes: { invalid_credentials: { currentPassword: 'That isn’t your current password.' } } });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void form.submit(strength.check(ChangePasswordRequest, 'newPassword', newPassword), { currentPassword, newPassword }, async (request) => {
      await changePassword(request);
      setCurrentPassword('');
      setNewPassword('');
      return 'Password changed. You were signed out everywhere else.';
    });
  };

  return (
    <section className="panel" aria-labelledby="password-title">
      <h2 id="password-title" className="panel__title">
        Password
      </h2>
      <form className="form form--narrow" onSubmit={submit} noValidate>
        {/* Lets password managers file the change under the right account. */}
        <input type="email" autoComplete="username" value={email} readOnly hidden />
        <PasswordField label="Current password" error={form.error('currentPassword')} value={currentPassword} autoComplete="current-password" onChange={setCurrentPassword} />
        <PasswordField
          label="New password"
          error={form.error('newPassword')}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters, hard to guess. Changing it signs you out on your other devices.`}
          value={newPassword}
          autoComplete="new-password"
          strength={strength.verdict}
          onChange={form.change('newPassword', setNewPassword)}
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={form.busy}>
            {form.busy ? 'Changing…' : 'Change password'}
          </button>
          <FormStatus done={form.done} error={form.general} />
        </div>
      </form>
    </section>
  );
}

function SignOutSection() {
  const signingOut = useFormSubmit({ stayBusy: true });

  return (
    <section className="panel" aria-labelledby="signout-title">
      <h2 id="signout-title" className="panel__title">
        Sign out
      </h2>
      <p className="panel__intro">Signs you out in this browser and removes the copies of drafts it kept for working offline.</p>
      <div className="form__actions">
        <button type="button" className="button" onClick={() => void signingOut.run(signOutHere)} disabled={signingOut.busy}>
          {signingOut.busy ? 'Signing out…' : 'Sign out'}
        </button>
        {signingOut.general && (
          <span className="form-error" role="alert">
            {signingOut.general}
          </span>
        )}
      </div>
    </section>
  );
}
