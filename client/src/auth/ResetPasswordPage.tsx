/**
 * /reset/<token>: a password reset link from an administrator. Says whose password it sets, takes
 * the new one and signs that person in (the server ends their other sessions, and replaces whatever
 * session this browser had, so the store and this device's offline data follow). A used or expired
 * link explains itself and leads to sign-in.
 */
import { useEffect, useState, type FormEvent } from 'react';

import { CompletePasswordResetRequest, PASSWORD_MIN_LENGTH } from '../../../shared/api/index';
import { completePasswordReset, previewPasswordReset, type PasswordResetPreview } from '../api/auth';
import { ApiError } from '../api/http';
import { Link, navigate } from '../router';
import { announce } from '../ui/announce';
import { formatDateTime } from '../ui/dates';
import { messageOf } from '../ui/form-errors';
import { LoadingPage } from '../ui/NotFoundPage';
import { useFormSubmit } from '../ui/useFormSubmit';
import { AuthLayout } from './AuthLayout';
import { PasswordField } from './PasswordField';
import { setSignedInUser, useSession } from './session';
import { usePasswordStrength } from './usePasswordStrength';

type Preview = { state: 'loading' } | { state: 'ready'; reset: PasswordResetPreview } | { state: 'invalid' } | { state: 'error'; message: string };

export function ResetPasswordPage({ token }: { token: string }) {
  const session = useSession();
  const [preview, setPreview] = useState<Preview>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setPreview({ state: 'loading' });
    previewPasswordReset(token, controller.signal)
      .then((reset) => setPreview({ state: 'ready', reset }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && (error.status === 410 || error.status === 404 || error.status === 400)) setPreview({ state: 'invalid' });
        else setPreview({ state: 'error', message: messageOf(error) });
      });
    return () => controller.abort();
  }, [token, attempt]);

  if (preview.state === 'loading' || session.status === 'loading') return <LoadingPage label="Opening the reset link…" />;
  const user = session.status === 'ready' ? session.user : null;

  if (preview.state === 'invalid') {
    return (
      <AuthLayout title="This reset link can’t be used any more" pageTitle="Reset link expired">
        <p className="auth-card__text">
          Password reset links work once, for 24 hours. This one was already used, has expired, or was replaced by a newer link. Ask an administrator of
          this Concord for a new one.
        </p>
        {user ? (
          <Link href="/" className="button button--block">
            Go to Concord
          </Link>
        ) : (
          <Link href="/signin" className="button button--primary button--block">
            Go to sign in
          </Link>
        )}
      </AuthLayout>
    );
  }

  if (preview.state === 'error') {
    return (
      <AuthLayout title="Couldn’t open the reset link">
        <p className="banner banner--error form-banner" role="alert">
          {preview.message}
        </p>
        <button type="button" className="button button--block" onClick={() => setAttempt((value) => value + 1)}>
          Try again
        </button>
      </AuthLayout>
    );
  }

  const { reset } = preview;
  const someoneElse = user && user.email !== reset.email ? user : null;
  return (
    <AuthLayout
      title="Reset your password"
      intro={
        <>
          <p data-testid="reset-for">
            Choose a new password for <strong>{reset.name}</strong> ({reset.email}).
          </p>
          <p>You’ll be signed in here, and signed out on your other devices. The link works once, until {formatDateTime(reset.expiresAt)}.</p>
        </>
      }
    >
      {someoneElse && (
        <p className="banner banner--info form-banner">
          {someoneElse.name} is signed in on this browser. Setting this password signs them out here and signs in {reset.name} instead.
        </p>
      )}
      <ResetPasswordForm token={token} email={reset.email} name={reset.name} onInvalid={() => setPreview({ state: 'invalid' })} />
    </AuthLayout>
  );
}

function ResetPasswordForm({ token, email, name, onInvalid }: { token: string; email: string; name: string; onInvalid: () => void }) {
  const [newPassword, setNewPassword] = useState('');
  const strength = usePasswordStrength(newPassword, [email, name]);
  const form = useFormSubmit({ fields: ['newPassword'], failure: 'Couldn’t set the password.', stayBusy: true });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void form.submit(strength.check(CompletePasswordResetRequest, 'newPassword', newPassword), { newPassword }, async (request) => {
      try {
        setSignedInUser(await completePasswordReset(token, request));
      } catch (caught) {
        // Used meanwhile (another tab), expired, or withdrawn by a newer link.
        if (caught instanceof ApiError && caught.status === 410) return onInvalid();
        throw caught;
      }
      announce('Password changed. You’re signed in.');
      navigate('/', { replace: true });
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      {form.general && (
        <p className="banner banner--error form-banner" role="alert">
          {form.general}
        </p>
      )}
      {/* Lets password managers file the new password under the right account. */}
      <input type="email" autoComplete="username" value={email} readOnly hidden />
      <PasswordField
        label="New password"
        error={form.error('newPassword')}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters, hard to guess. A few words you’ll remember make a good one.`}
        value={newPassword}
        autoComplete="new-password"
        autoFocus
        strength={strength.verdict}
        onChange={form.change('newPassword', setNewPassword)}
      />
      <button type="submit" className="button button--primary button--block" disabled={form.busy}>
        {form.busy ? 'Setting the password…' : 'Set password and sign in'}
      </button>
    </form>
  );
}
