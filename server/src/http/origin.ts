import type { RequestHandler } from 'express';
import { ApiError } from './api-error';

/**
 * Which page origins may talk to this server with a person's cookie. Browsers always send
 * `Origin` on websocket upgrades and on POST/PATCH/DELETE; a page on another site gets refused,
 * which stops cross-site websocket hijacking and request forgery. Requests without `Origin` come
 * from scripts and bots (they authenticate with a token, which no other site can attach).
 */
export class OriginPolicy {
  private allowed: ReadonlySet<string> = new Set();
  private primary = '';

  /** `configured`: PUBLIC_ORIGIN; without it, this machine's loopback names on the listening port. */
  constructor(private readonly configured: string | undefined) {}

  /** Completes the policy once the port is known (it may have been 0, "any free port"). */
  listeningOn(port: number): void {
    const loopback = [`http://localhost:${port}`, `http://127.0.0.1:${port}`, `http://[::1]:${port}`];
    this.allowed = new Set(this.configured ? [this.configured] : loopback);
    this.primary = this.configured ?? loopback[0];
  }

  /** Where people open the app. */
  get publicOrigin(): string {
    return this.primary;
  }

  /**
   * The Content-Security-Policy `connect-src` list: this app's own origins and their websocket
   * forms, so a page (or an injected script) can open sockets to this server only.
   */
  connectSources(): string {
    // CSP source lists cannot name an IPv6 literal (browsers ignore such an entry with a console
    // error); 'self' still covers a page served from one.
    const origins = [...this.allowed].filter((origin) => !origin.includes('['));
    const websocket = origins.map((origin) => origin.replace(/^http/, 'ws'));
    return ["'self'", ...origins, ...websocket].join(' ');
  }

  allows(origin: string | undefined): boolean {
    return origin === undefined || this.allowed.has(origin);
  }

  /** Refuses state-changing API requests sent from pages of other origins. */
  guardRequests(): RequestHandler {
    return (request, _response, next) => {
      if (request.method === 'GET' || request.method === 'HEAD') return next();
      if (!this.allows(request.headers.origin)) {
        throw new ApiError(403, 'forbidden_origin', `requests from ${request.headers.origin} are not accepted`);
      }
      next();
    };
  }
}
