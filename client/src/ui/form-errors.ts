/**
 * Field errors for forms, from the shared zod schemas (checked before sending) or from the
 * server's `fields` (after): both name the field by its path, e.g. `email`.
 */
import type { z } from 'zod';

import { ApiError } from '../api/http';

export type FieldErrors = Record<string, string>;

/** "password must be at least 10 characters" → "Password must be at least 10 characters." */
export function asSentence(message: string): string {
  const trimmed = message.trim();
  if (!trimmed) return trimmed;
  const capital = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** Checks `value` with `schema`: the parsed value, or the first problem of each field. */
export function validate<T>(schema: z.ZodType<T>, value: unknown): { ok: true; value: T } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : '';
    errors[key] ??= asSentence(issue.message);
  }
  return { ok: false, errors };
}

/** The server's per-field errors of a 400, as sentences. */
export function fieldErrorsOf(error: unknown): FieldErrors {
  const errors: FieldErrors = {};
  if (!(error instanceof ApiError)) return errors;
  for (const field of error.fields) {
    const key = field.path.split('.')[0] ?? '';
    errors[key] ??= asSentence(field.message);
  }
  return errors;
}

/** A sentence for an error that isn't about one field. */
export function messageOf(error: unknown, fallback = 'Something went wrong. Please try again.'): string {
  if (error instanceof ApiError) {
    if (error.isNetworkError) return navigator.onLine ? 'The server can’t be reached right now. Please try again in a moment.' : 'You are offline. Connect to the internet and try again.';
    return asSentence(error.message || fallback);
  }
  return fallback;
}
