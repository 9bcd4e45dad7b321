import type { IncomingHttpHeaders } from 'node:http';
import { TOKEN_SCOPES, type TokenScope } from '../../../shared/api/index';
import type { AccountStore, UserRecord } from '../store/index';
import { hashSecret, newSecret } from './secrets';

/** Who is making a request, and with which credential (so that credential can be revoked alone). */
export interface Principal {
  user: UserRecord;
  credential: { kind: 'session' | 'token'; id: string };
  /**
   * What the credential may do, within the person's rights: a browser session everything, an
   * access token what it was created with (see TOKEN_SCOPES).
   */
  scopes: ReadonlySet<TokenScope>;
}

const SESSION_SCOPES: ReadonlySet<TokenScope> = new Set(TOKEN_SCOPES);

export type AuthResult =
  /** `renewedCookie`: the session was extended; send this Set-Cookie so the browser keeps it as long. */
  | { status: 'signed-in'; principal: Principal; renewedCookie?: string }
  | { status: 'anonymous' }
  /** Credentials were given but are not valid (unknown, expired, revoked, account disabled). */
  | { status: 'invalid'; reason: string };

export const SESSION_COOKIE = 'concord_session';
export const ACCESS_TOKEN_PREFIX = 'cpat_';
const SESSION_PREFIX = 'cs_';
const DAY_MS = 24 * 60 * 60 * 1000;
/** Sessions last this long after their last use. */
const SESSION_TTL_MS = 30 * DAY_MS;
/** Renewing on every request would be a write per request; once a day is plenty. */
const SESSION_RENEW_AFTER_MS = DAY_MS;
const TOKEN_TOUCH_INTERVAL_MS = 60_000;

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

/**
 * Resolves requests (HTTP and websocket upgrades alike) to a person: `Authorization: Bearer
 * <token>` for scripts and bots, else the session cookie of the browser.
 */
export class Authenticator {
  private readonly tokenTouchedAt = new Map<string, number>();

  constructor(
    private readonly store: AccountStore,
    private readonly options: { secureCookies: boolean },
  ) {}

  async authenticate(headers: IncomingHttpHeaders): Promise<AuthResult> {
    const authorization = headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!match) return { status: 'invalid', reason: 'Authorization must be "Bearer <token>"' };
      return this.authenticateToken(match[1]);
    }
    const sessionSecret = readCookie(headers.cookie, SESSION_COOKIE);
    if (sessionSecret === undefined) return { status: 'anonymous' };
    return this.authenticateSession(sessionSecret);
  }

  /** Starts a session; returns the Set-Cookie header value. */
  async startSession(userId: string): Promise<string> {
    const secret = newSecret(SESSION_PREFIX);
    const now = new Date();
    await this.store.createSession({ idHash: hashSecret(secret), userId, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) }, now);
    return this.cookie(secret, SESSION_TTL_MS / 1000);
  }

  async endSession(principal: Principal): Promise<void> {
    if (principal.credential.kind === 'session') await this.store.deleteSession(principal.credential.id);
  }

  /** Set-Cookie header value that removes the session cookie. */
  clearedCookie(): string {
    return this.cookie('', 0);
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    // HttpOnly: page scripts (and so injected ones) can't read it. SameSite=Lax: other sites'
    // pages can't make requests that carry it, but following a link into the app still works.
    const parts = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`];
    if (this.options.secureCookies) parts.push('Secure');
    return parts.join('; ');
  }

  private async authenticateSession(secret: string): Promise<AuthResult> {
    const idHash = hashSecret(secret);
    const session = await this.store.getSession(idHash);
    const now = Date.now();
    if (!session || session.expiresAt.getTime() <= now) return { status: 'anonymous' };
    const user = await this.store.getUser(session.userId);
    if (!user || user.disabled) return { status: 'anonymous' };
    const principal: Principal = { user, credential: { kind: 'session', id: idHash }, scopes: SESSION_SCOPES };
    if (session.expiresAt.getTime() - now < SESSION_TTL_MS - SESSION_RENEW_AFTER_MS) {
      await this.store.extendSession(idHash, new Date(now + SESSION_TTL_MS));
      return { status: 'signed-in', principal, renewedCookie: this.cookie(secret, SESSION_TTL_MS / 1000) };
    }
    return { status: 'signed-in', principal };
  }

  private async authenticateToken(secret: string): Promise<AuthResult> {
    if (!secret.startsWith(ACCESS_TOKEN_PREFIX)) return { status: 'invalid', reason: 'not a Concord access token' };
    const token = await this.store.getAccessTokenByHash(hashSecret(secret));
    const now = Date.now();
    if (!token) return { status: 'invalid', reason: 'unknown or revoked access token' };
    if (token.expiresAt && token.expiresAt.getTime() <= now) return { status: 'invalid', reason: 'access token expired' };
    const user = await this.store.getUser(token.userId);
    if (!user || user.disabled) return { status: 'invalid', reason: 'the token owner\'s account is disabled' };
    if (now - (this.tokenTouchedAt.get(token.id) ?? 0) > TOKEN_TOUCH_INTERVAL_MS) {
      this.tokenTouchedAt.set(token.id, now);
      await this.store.touchAccessToken(token.id, new Date(now));
    }
    return { status: 'signed-in', principal: { user, credential: { kind: 'token', id: token.id }, scopes: new Set(token.scopes) } };
  }
}
