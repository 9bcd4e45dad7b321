import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';

/** An error the API reports to the caller as `{ error: { code, message, fields? } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

/** Parses input with a shared zod schema; a mismatch becomes a 400 naming each field and why. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.join('.') : '(body)',
    message: issue.message,
  }));
  throw new ApiError(400, 'invalid_request', fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields);
}

export function apiErrorHandler(log: Logger): ErrorRequestHandler {
  return (error, request, response, _next) => {
    if (error instanceof ApiError) {
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
    log.error({ err: error, method: request.method, url: request.originalUrl }, 'request failed');
    response.status(500).json({ error: { code: 'internal', message: 'internal server error' } });
  };
}
