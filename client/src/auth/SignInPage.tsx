/**
 * /signin: email and password, then back to where the person was going (`?next=`, only paths on
 * this site). With no account yet, leads to creating the administrator account instead.
 */
import { useState, type FormEvent } from 'react';

import { SignInRequest } from '../../../shared/api/index';
import { signIn } from '../api/auth';
import { ApiError } from '../api/http';
import { Link, navigate, queryParam, safeNextPath } from '../router';
import { fieldErrorsOf, messageOf, validate, type FieldErrors } from '../ui/form-errors';
import { FormField } from '../ui/FormField';
import { AuthLayout } from './AuthLayout';
import { PasswordInput } from './PasswordInput';
import { setSignedInUser, useSession } from './session';

export function SignInPage() {
  const session = useSession();
  const [next] = useState(() => safeNextPath(queryParam('next')));
  const signUpHref = next === '/' ? '/signup' : `/signup?next=${encodeURIComponent(next)}`;

  if (session.status === 'ready' && session.setupRequired) {
    return (
      <AuthLayout title="Welcome to Concord" intro={<p>No one has an account here yet. The first account you create is the administrator’s: it can create working groups and invite everyone else.</p>}>
        <Link href={signUpHref} className="button button--primary button--block">
          Create the administrator account
        </Link>
      </AuthLayout>
    );
  }

  const openSignup = session.status === 'ready' && session.openSignup;
  return (
    <AuthLayout
      title="Sign in to Concord"
      footer={
        openSignup ? (
          <p>
            New here? <Link href={signUpHref}>Create an account</Link>
          </p>
        ) : (
          <p>New here? You need an invite link from a co-chair of your working group.</p>
        )
      }
    >
      <SignInForm next={next} />
    </AuthLayout>
  );
}

function SignInForm({ next }: { next: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setGeneral(null);
    const checked = validate(SignInRequest, { email, password });
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const user = await signIn(checked.value);
      setSignedInUser(user);
      navigate(next, { replace: true, state: { fromSignIn: true } });
    } catch (caught) {
      setBusy(false);
      const fields = fieldErrorsOf(caught);
      setErrors(fields);
      if (Object.keys(fields).length > 0) return;
      if (caught instanceof ApiError && caught.code === 'invalid_credentials') setGeneral('That email and password don’t match an account. Check both and try again.');
      else if (caught instanceof ApiError && caught.code === 'account_disabled') setGeneral('This account has been disabled. Ask an administrator of Concord if you think this is a mistake.');
      else setGeneral(messageOf(caught));
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-describedby={general ? 'signin-error' : undefined}>
      {general && (
        <p id="signin-error" className="banner banner--error form-banner" role="alert">
          {general}
        </p>
      )}
      <FormField label="Email" error={errors.email || null}>
        {(control) => (
          <input
            {...control}
            className="input"
            type="email"
            autoComplete="username"
            autoFocus
            value={email}
            onChange={(event) => {
              setEmail(event.target.value);
              setErrors((current) => ({ ...current, email: '' }));
            }}
          />
        )}
      </FormField>
      <FormField label="Password" error={errors.password || null}>
        {(control) => (
          <PasswordInput
            control={control}
            value={password}
            autoComplete="current-password"
            onChange={(value) => {
              setPassword(value);
              setErrors((current) => ({ ...current, password: '' }));
            }}
          />
        )}
      </FormField>
      <button type="submit" className="button button--primary button--block" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
