import express, { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';

/**
 * An error the API reports to the caller as `{ error: { code, message, fields? } }`, with
 * `Retry-After` when `retryAfterSeconds` is given (429, 503).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: { path: string; message: string }[],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/**
 * Parses input with a shared zod schema; a mismatch becomes a 400 naming each field and why.
 * `name` labels a value that is not an object (a path parameter such as `id`).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, name = '(body)'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.join('.') : name,
    message: issue.message,
  }));
  throw new ApiError(400, 'invalid_request', fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields);
}

/** Bodies of API requests must be JSON; anything else would be silently ignored by the parser. */
export const requireJsonBody: RequestHandler = (request, _response, next) => {
  const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  if (hasBody && !request.is('application/json')) {
    throw new ApiError(415, 'unsupported_media_type', 'request body must be application/json');
  }
  next();
};

/**
 * Parses JSON request bodies up to `limit` bytes, except on the routes that take files (`isUpload`):
 * those read their larger bodies themselves, without parsing them on this thread (a 10 MiB file
 * is 14 MB of JSON; see export/upload.ts).
 */
export function parseJsonBodies(options: { limit: number; isUpload: (request: Request) => boolean }): RequestHandler {
  const regular = express.json({ limit: options.limit });
  return (request, response, next) => (options.isUpload(request) ? next() : regular(request, response, next));
}

/** `isUnavailable`: errors of a dependency that is down (the database), answered 503 so clients retry. */
export function apiErrorHandler(log: Logger, options: { isUnavailable?: (error: unknown) => boolean } = {}): ErrorRequestHandler {
  return (error, request, response, _next) => {
    if (error instanceof ApiError) {
      if (error.retryAfterSeconds !== undefined) response.set('Retry-After', String(error.retryAfterSeconds));
      response.status(error.status).json({ error: { code: error.code, message: error.message, fields: error.fields } });
      return;
    }
    // body-parser's own errors carry a status and a type.
    const type = (error as { type?: string }).type;
    if (type === 'entity.parse.failed') {
      response.status(400).json({ error: { code: 'invalid_json', message: 'request body is not valid JSON' } });
      return;
    }
    if (type === 'entity.too.large') {
      response.status(413).json({ error: { code: 'too_large', message: 'request body is too large' } });
      return;
    }
    // Other body-parser refusals (unsupported charset or encoding, …) are the client's too.
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      response.status(status).json({ error: { code: 'bad_request', message: (error as Error).message } });
      return;
    }
    if (options.isUnavailable?.(error)) {
      log.warn({ err: error, method: request.method, url: request.originalUrl }, 'request failed: the store is unavailable');
      response.status(503).set('Retry-After', '5').json({ error: { code: 'store_unavailable', message: 'the database cannot be reached right now; try again shortly' } });
      return;
    }
    log.error({ err: error, method: request.method, url: request.originalUrl }, 'request failed');
    response.status(500).json({ error: { code: 'internal', message: 'internal server error' } });
  };
}
