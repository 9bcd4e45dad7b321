/**
 * A labelled form field with an inline error: the one place that wires label, control, hint and
 * error message together for screen readers (aria-invalid, aria-describedby, role="alert"). Also
 * the common text field on top of it, and the status line next to a form's button.
 */
import { useId, type ReactNode } from 'react';

export interface FieldControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

export interface FormFieldProps {
  label: string;
  error: string | null;
  /** A short rule or example under the control (e.g. "At least 10 characters"). */
  hint?: ReactNode;
  /** Renders the control with the props that connect it to the label, the hint and the error. */
  children: (control: FieldControlProps) => ReactNode;
}

export function FormField({ label, error, hint, children }: FormFieldProps) {
  const id = useId();
  const errorId = useId();
  const hintId = useId();
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="form__field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint && (
        <p id={hintId} className="form-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export interface TextFieldProps {
  label: string;
  error: string | null;
  hint?: ReactNode;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email';
  /** Several lines (a textarea) this many rows high. */
  rows?: number;
  maxLength?: number;
  placeholder?: string;
  autoComplete?: string;
  autoFocus?: boolean;
  /** The field a dialog focuses when it opens. */
  'data-autofocus'?: boolean;
}

/** A text, email or multi-line field in a FormField. */
export function TextField(props: TextFieldProps) {
  const { label, error, hint, value, onChange, type = 'text', rows, maxLength, placeholder, autoComplete, autoFocus } = props;
  const common = { value, maxLength, placeholder, 'data-autofocus': props['data-autofocus'] };
  return (
    <FormField label={label} error={error} hint={hint}>
      {(control) =>
        rows === undefined ? (
          <input {...control} {...common} className="input" type={type} autoComplete={autoComplete} autoFocus={autoFocus} onChange={(event) => onChange(event.target.value)} />
        ) : (
          <textarea {...control} {...common} className="input textarea" rows={rows} onChange={(event) => onChange(event.target.value)} />
        )
      }
    </FormField>
  );
}

/** What became of the last submit, next to the form's button: done (a status) or failed (an alert). */
export function FormStatus({ done, error }: { done: string | null; error: string | null }) {
  if (!done && !error) return null;
  return (
    <span className={error ? 'form-error' : 'form-ok'} role={error ? 'alert' : 'status'}>
      {error ?? done}
    </span>
  );
}
