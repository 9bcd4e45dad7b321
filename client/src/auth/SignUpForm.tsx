/** Name, email and password for a new account; used by /signup and by the invite page. */
import { useState, type FormEvent } from 'react';

import { NAME_MAX_LENGTH, PASSWORD_MIN_LENGTH, SignUpRequest } from '../../../shared/api/index';
import { signUp, type CurrentUser } from '../api/auth';
import { ApiError } from '../api/http';
import { Link } from '../router';
import { fieldErrorsOf, messageOf, validate, type FieldErrors } from '../ui/form-errors';
import { FormField } from '../ui/FormField';
import { PasswordInput } from './PasswordInput';
import { setSignedInUser } from './session';

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
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [emailTaken, setEmailTaken] = useState(false);
  const [busy, setBusy] = useState(false);

  const clear = (field: string) => setErrors((current) => ({ ...current, [field]: '' }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setGeneral(null);
    setEmailTaken(false);
    const checked = validate(SignUpRequest, invite ? { name, email, password, invite } : { name, email, password });
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const user = await signUp(checked.value);
      setSignedInUser(user);
      onSignedUp(user);
    } catch (caught) {
      setBusy(false);
      const fields = fieldErrorsOf(caught);
      if (caught instanceof ApiError && caught.code === 'email_taken') {
        setEmailTaken(true);
        fields.email ??= 'An account with this email already exists.';
      }
      setErrors(fields);
      if (Object.keys(fields).length > 0) return;
      if (caught instanceof ApiError && caught.code === 'invite_invalid') setGeneral('This invite link can no longer be used: it was already used, has expired or was revoked. Ask a co-chair for a new one.');
      else if (caught instanceof ApiError && caught.code === 'signup_closed') setGeneral('Accounts on this Concord are created with an invite link. Ask a co-chair of your working group for one.');
      else setGeneral(messageOf(caught));
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      {general && (
        <p className="banner banner--error form-banner" role="alert">
          {general}
        </p>
      )}
      <FormField label="Your name" error={errors.name || null} hint="As others in your working group will see it, e.g. “Anriette Esterhuysen”.">
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
              clear('name');
            }}
          />
        )}
      </FormField>
      <FormField label="Email" error={errors.email || null}>
        {(control) => (
          <input
            {...control}
            className="input"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(event) => {
              setEmail(event.target.value);
              clear('email');
              setEmailTaken(false);
            }}
          />
        )}
      </FormField>
      {emailTaken && (
        <p className="form-note">
          <Link href={signInHref}>Sign in with that email instead</Link>
        </p>
      )}
      <FormField label="Password" error={errors.password || null} hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few words you’ll remember make a good one.`}>
        {(control) => (
          <PasswordInput
            control={control}
            value={password}
            autoComplete="new-password"
            onChange={(value) => {
              setPassword(value);
              clear('password');
            }}
          />
        )}
      </FormField>
      <button type="submit" className="button button--primary button--block" disabled={busy}>
        {busy ? 'Creating your account…' : submitLabel}
      </button>
    </form>
  );
}
