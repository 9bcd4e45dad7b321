/**
 * /signin: email and password, then back to where the person was going (`?next=`, only paths on
 * this site). With no account yet, leads to creating the administrator account instead.
 */
import { useState, type FormEvent } from 'react';

import { SignInRequest } from '../../../shared/api/index';
import { signIn } from '../api/auth';
import { Link, navigate, queryParam, safeNextPath } from '../router';
import { TextField } from '../ui/FormField';
import { useFormSubmit } from '../ui/useFormSubmit';
import { AuthLayout } from './AuthLayout';
import { PasswordField } from './PasswordField';
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
      <p className="auth-card__text auth-card__text--small">Forgot your password? Ask an administrator of this Concord for a reset link.</p>
    </AuthLayout>
  );
}

function SignInForm({ next }: { next: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useFormSubmit({
    fields: ['email', 'password'],
    codes: {
      invalid_credentials: 'That email and password don’t match an account. Check both and try again.',
      account_disabled: 'This account has been disabled. Ask an administrator of Concord if you think this is a mistake.',
    },
    stayBusy: true,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void form.submit(SignInRequest, { email, password }, async (request) => {
      setSignedInUser(await signIn(request));
      navigate(next, { replace: true, state: { fromSignIn: true } });
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-describedby={form.general ? 'signin-error' : undefined}>
      {form.general && (
        <p id="signin-error" className="banner banner--error form-banner" role="alert">
          {form.general}
        </p>
      )}
      <TextField
        label="Email"
        error={form.error('email')}
        type="email"
        autoComplete="username"
        autoFocus
        value={email}
        onChange={form.change('email', setEmail)}
      />
      <PasswordField label="Password" error={form.error('password')} value={password} autoComplete="current-password" onChange={form.change('password', setPassword)} />
      <button type="submit" className="button button--primary button--block" disabled={form.busy}>
        {form.busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
