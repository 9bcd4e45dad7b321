/** A password field with a Show/Hide button, so people can check what they typed. */
import { useState } from 'react';

import type { FieldControlProps } from '../ui/FormField';

interface PasswordInputProps {
  control: FieldControlProps;
  value: string;
  onChange: (value: string) => void;
  autoComplete: 'current-password' | 'new-password';
  autoFocus?: boolean;
}

export function PasswordInput({ control, value, onChange, autoComplete, autoFocus }: PasswordInputProps) {
  const [shown, setShown] = useState(false);
  return (
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
  );
}
