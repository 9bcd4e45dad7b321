/** A password field with a Show/Hide button, so people can check what they typed. */
import { useState, type ReactNode } from 'react';

import { FormField } from '../ui/FormField';

interface PasswordFieldProps {
  label: string;
  error: string | null;
  hint?: ReactNode;
  value: string;
  onChange: (value: string) => void;
  autoComplete: 'current-password' | 'new-password';
  autoFocus?: boolean;
}

export function PasswordField({ label, error, hint, value, onChange, autoComplete, autoFocus }: PasswordFieldProps) {
  const [shown, setShown] = useState(false);
  return (
    <FormField label={label} error={error} hint={hint}>
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
