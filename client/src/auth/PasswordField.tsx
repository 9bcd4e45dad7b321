/**
 * A password field with a Show/Hide button, so people can check what they typed. For a new
 * password, `strength` says live whether it is hard enough to guess, and if not, why.
 */
import { useState, type ReactNode } from 'react';

import type { PasswordVerdict } from '../../../shared/api/index';
import { FormField } from '../ui/FormField';

interface PasswordFieldProps {
  label: string;
  error: string | null;
  hint?: ReactNode;
  value: string;
  onChange: (value: string) => void;
  autoComplete: 'current-password' | 'new-password';
  autoFocus?: boolean;
  /** The verdict on a new password as typed (usePasswordStrength); undefined for a current password. */
  strength?: PasswordVerdict | null;
}

export function PasswordField({ label, error, hint, value, onChange, autoComplete, autoFocus, strength }: PasswordFieldProps) {
  const [shown, setShown] = useState(false);
  // Said once per verdict, politely; the error (after sending) says it again if it still holds.
  const strengthLine =
    strength === undefined ? null : (
      <span className="password-strength" role="status" data-testid="password-strength">
        {strength &&
          !error &&
          (strength.ok ? (
            <span className="password-strength__ok">Hard to guess: good.</span>
          ) : (
            <span className="password-strength__weak">Too easy to guess. {strength.reason}</span>
          ))}
      </span>
    );
  return (
    <FormField
      label={label}
      error={error}
      hint={
        hint || strengthLine ? (
          <>
            {hint}
            {strengthLine}
          </>
        ) : undefined
      }
    >
      {(control) => (
        <div className="password-input">
          <input
            {...control}
            className="input password-input__field"
            type={shown ? 'text' : 'password'}
            autoComplete={autoComplete}
            autoFocus={autoFocus}
            value={value}
            spellCheck={false}
            autoCapitalize="off"
            onChange={(event) => onChange(event.target.value)}
          />
          <button
            type="button"
            className="password-input__toggle"
            aria-pressed={shown}
            aria-label="Show password"
            onClick={() => setShown((value) => !value)}
          >
            {shown ? 'Hide' : 'Show'}
          </button>
        </div>
      )}
    </FormField>
  );
}
