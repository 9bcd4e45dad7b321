import '../zod-config';
import type { z } from 'zod';
import { ApiErrorBody } from '../../../shared/api/index';

/**
 * A failed API call. `status` is the HTTP status (0 when the server could not be reached),
 * `code` the machine-readable error code from the server, `message` a sentence for people.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { path: string; message: string }[] = [],
    /** From a 429's Retry-After header: seconds until trying again makes sense. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The request never got an answer (offline, server down, DNS …). */
  get isNetworkError(): boolean {
    return this.status === 0;
  }

  /** The message of the field error for `path` (e.g. 'email'), if the server named one. */
  fieldError(path: string): string | null {
    return this.fields.find((field) => field.path === path)?.message ?? null;
  }
}

let onUnauthenticated: (() => void) | null = null;

/**
 * Called when any request is answered 401 `unauthenticated` (the session ended: signed out
 * elsewhere, expired, account disabled). The session store registers itself here.
 */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * Sends a JSON request and validates the response with `schema`. Error bodies follow
 * `{ error: { code, message, fields? } }`; anything else becomes a generic ApiError.
 */
export async function requestJson<T>(path: string, schema: z.ZodType<T> | null, options: RequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers: options.body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      credentials: 'same-origin',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', navigator.onLine ? 'The server could not be reached.' : 'You are offline.');
  }

  if (!response.ok) {
    const payload = await response.json().catch(() => null);
    const parsed = ApiErrorBody.safeParse(payload);
    if (parsed.success) {
      const { code, message, fields } = parsed.data.error;
      if (response.status === 401 && code === 'unauthenticated') onUnauthenticated?.();
      const retryAfter = Number(response.headers.get('Retry-After'));
      throw new ApiError(response.status, code, message, fields, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
    }
    throw new ApiError(response.status, 'http_error', `The server answered ${response.status} ${response.statusText}.`.trim());
  }

  if (schema === null || response.status === 204) return undefined as T;
  const payload = await response.json().catch(() => {
    throw new ApiError(response.status, 'bad_response', 'The server sent a response that is not JSON.');
  });
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new ApiError(response.status, 'bad_response', 'The server sent an unexpected response.');
  return parsed.data;
}
