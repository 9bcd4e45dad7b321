/**
 * What every form that calls the API keeps: busy while the call runs, the errors to show under
 * its fields, a general message when the failure isn't about one of them, and a sentence once it
 * is done. Client-side checks use the same shared zod schema as the server.
 */
import { useState } from 'react';
import type { z } from 'zod';

import { ApiError } from '../api/http';
import { fieldErrorsOf, messageOf, validate, type FieldErrors } from './form-errors';

export interface FormSubmitOptions {
  /** The fields the form shows errors under. The server's errors about others become the general message. */
  fields?: readonly string[];
  /** What to say for an API error code: a sentence for the whole form, or sentences for fields (over the server's). */
  codes?: Readonly<Record<string, string | FieldErrors>>;
  /** Goes before the general message for other failures, e.g. "Couldn’t create the token." */
  failure?: string;
  /** Stays busy after success: the form is about to go away (navigating, a dialog closing). */
  stayBusy?: boolean;
}

export interface FormSubmit {
  busy: boolean;
  /** Why the last submit failed, when it isn't about one of the fields. */
  general: string | null;
  /** The sentence the last successful action returned. */
  done: string | null;
  /** The API error code the last submit failed with. */
  code: string | null;
  /** The error to show under `field`, if any. */
  error: (field: string) => string | null;
  clearError: (field: string) => void;
  /** A change handler for `field`: sets its value with `set` and clears its error. */
  change: (field: string, set: (value: string) => void) => (value: string) => void;
  /** Forgets `general` and `done`. */
  clearMessages: () => void;
  /** Runs `action` (it may return a sentence for `done`) and shows what went wrong if it fails. */
  run: (action: () => Promise<string | void>) => Promise<void>;
  /** Checks `value` with `schema` first: on problems, shows them under the fields and doesn't run `action`. */
  submit: <T>(schema: z.ZodType<T>, value: unknown, action: (value: T) => Promise<string | void>) => Promise<void>;
}

export function useFormSubmit({ fields = [], codes = {}, failure, stayBusy = false }: FormSubmitOptions = {}): FormSubmit {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [code, setCode] = useState<string | null>(null);

  const clearError = (field: string) => setErrors((current) => ({ ...current, [field]: '' }));

  const clearMessages = () => {
    setGeneral(null);
    setDone(null);
  };

  const fail = (caught: unknown) => {
    const errorCode = caught instanceof ApiError ? caught.code : null;
    const meant = errorCode !== null && Object.hasOwn(codes, errorCode) ? codes[errorCode] : undefined;
    const all = fieldErrorsOf(caught);
    if (typeof meant === 'object') Object.assign(all, meant);
    const shown: FieldErrors = {};
    for (const field of fields) if (all[field]) shown[field] = all[field];
    setCode(errorCode);
    setErrors(shown);
    if (Object.keys(shown).length > 0) return;
    if (typeof meant === 'string') setGeneral(meant);
    else setGeneral(failure ? `${failure} ${messageOf(caught)}` : messageOf(caught));
  };

  const run = async (action: () => Promise<string | void>) => {
    clearMessages();
    setCode(null);
    setErrors({});
    setBusy(true);
    try {
      const message = await action();
      if (message) setDone(message);
      if (!stayBusy) setBusy(false);
    } catch (caught) {
      setBusy(false);
      fail(caught);
    }
  };

  const submit = async <T>(schema: z.ZodType<T>, value: unknown, action: (value: T) => Promise<string | void>) => {
    const checked = validate(schema, value);
    if (checked.ok) return run(() => action(checked.value));
    clearMessages();
    setCode(null);
    setErrors(checked.errors);
  };

  return {
    busy,
    general,
    done,
    code,
    error: (field) => errors[field] || null,
    clearError,
    change: (field, set) => (value) => {
      set(value);
      clearError(field);
    },
    clearMessages,
    run,
    submit,
  };
}
