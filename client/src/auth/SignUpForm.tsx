/** Name, email and password for a new account; used by /signup and by the invite page. */
import { useState, type FormEvent } from 'react';

import { NAME_MAX_LENGTH, PASSWORD_MIN_LENGTH, SignUpRequest } from '../../../shared/api/index';
import { signUp, type CurrentUser } from '../api/auth';
import { Link } from '../router';
import { TextField } from '../ui/FormField';
import { useFormSubmit } from '../ui/useFormSubmit';
import { PasswordField } from './PasswordField';
import { setSignedInUser } from './session';
import { usePasswordStrength } from './usePasswordStrength';

interface SignUpFormProps {
  /** The invite token: the new account joins that group at once. */
  invite?: string;
  submitLabel: string;
  /** Where "sign in instead" leads when the email already has an account. */
  signInHref: string;
  onSignedUp: (user: CurrentUser) => void;
}

export function SignUpForm({ invite, submitLabel, signInHref, onSignedUp }: SignUpFormProps) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const strength = usePasswordStrength(password, [email, name]);
  const inviteGone = 'This invite link can no longer be used: it was already used, has expired or was revoked. Ask a co-chair for a new one.';
  const form = useFormSubmit({
    fields: ['name', 'email', 'password'],
    codes: {
      email_taken: { email: 'An account with this email already exists.' },
      invite_invalid: inviteGone,
      invite_used: inviteGone,
      signup_closed: 'Accounts on this Concord are created with an invite link. Ask a co-chair of your working group for one.',
    },
    stayBusy: true,
  });
  // Until the email is changed or the form sent again.
  const emailTaken = form.code === 'email_taken' && form.error('email') !== null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void form.submit(strength.check(SignUpRequest, 'password', password), invite ? { name, email, password, invite } : { name, email, password }, async (request) => {
      const user = await signUp(request);
      setSignedInUser(user);
      onSignedUp(user);
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      {form.general && (
        <p className="banner banner--error form-banner" role="alert">
          {form.general}
        </p>
      )}
      <TextField
        label="Your name"
        error={form.error('name')}
        hint="As others in your working group will see it, e.g. “Anriette Esterhuysen”."
        autoComplete="name"
        maxLength={NAME_MAX_LENGTH}
        value={name}
        onChange={form.change('name', setName)}
      />
      <TextField label="Email" error={form.error('email')} type="email" autoComplete="email" value={email} onChange={form.change('email', setEmail)} />
      {emailTaken && (
        <p className="form-note">
          <Link href={signInHref}>Sign in with that email instead</Link>
        </p>
      )}
      <PasswordField
        label="Password"
        error={form.error('password')}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters, hard to guess. A few words you’ll remember make a good one.`}
        value={password}
        autoComplete="new-password"
        strength={strength.verdict}
        onChange={form.change('password', setPassword)}
      />
      <button type="submit" className="button button--primary button--block" disabled={form.busy}>
        {form.busy ? 'Creating your account…' : submitLabel}
      </button>
    </form>
  );
}
