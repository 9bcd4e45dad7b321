import type { Role, TokenScope } from '../../../shared/api/index';

/**
 * Storage contract for accounts: users, sign-in sessions and personal access tokens.
 * Secrets are never stored: sessions and tokens are looked up by a hash of the secret.
 */
export interface UserRecord {
  id: string;
  /** Lower-cased. */
  email: string;
  name: string;
  passwordHash: string;
  isAdmin: boolean;
  disabled: boolean;
  createdAt: Date;
}

export interface SessionRecord {
  idHash: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface AccessTokenRecord {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  /** In the order of TOKEN_SCOPES. Tokens made before scopes existed have read and write. */
  scopes: TokenScope[];
}

export type CreateUserResult =
  /** `joined`: the group the invite admitted the new account to, with its role. */
  | { status: 'created'; user: UserRecord; joined?: { groupId: string; role: Role } }
  | { status: 'email_taken' }
  /** `onlyIfFirst` was set and an account already exists. */
  | { status: 'not_first' }
  /** The invite was used already (perhaps by a sign-up racing this one): no account was created. */
  | { status: 'invite_used' }
  /** The invite is unknown, expired or withdrawn: no account was created. */
  | { status: 'invite_invalid' };

export type UserChangeResult = { status: 'updated'; user: UserRecord } | { status: 'not_found' } | { status: 'last_admin' };

export interface AccountStore {
  /**
   * Creates an account. The first account of an installation is its administrator (decided in
   * the same transaction, so two simultaneous first sign-ups cannot both become it). With
   * `invite` (the hash of an invite link's token), the account is created only if the invite is
   * pending at `now`, and the same transaction uses it up and adds the membership: of any number
   * of simultaneous sign-ups with one invite, exactly one creates an account.
   */
  createUser(user: {
    id: string;
    email: string;
    name: string;
    passwordHash: string;
    onlyIfFirst: boolean;
    invite?: { tokenHash: string; now: Date };
  }): Promise<CreateUserResult>;
  getUser(id: string): Promise<UserRecord | undefined>;
  getUserByEmail(email: string): Promise<UserRecord | undefined>;
  countUsers(): Promise<number>;
  listUsers(): Promise<(UserRecord & { groupCount: number })[]>;
  updateProfile(id: string, changes: { name?: string; passwordHash?: string }): Promise<UserRecord | undefined>;
  /** Admin changes; refuses to leave the installation without an enabled administrator. */
  updateUserStatus(id: string, changes: { isAdmin?: boolean; disabled?: boolean }): Promise<UserChangeResult>;

  /** Stores a new session, and forgets sessions that expired before `now` (they can never be used again). */
  createSession(session: { idHash: string; userId: string; expiresAt: Date }, now: Date): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | undefined>;
  extendSession(idHash: string, expiresAt: Date): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Signs a person out everywhere (but `exceptIdHash`); returns the ended sessions' hashes. */
  deleteUserSessions(userId: string, exceptIdHash?: string): Promise<string[]>;

  /** A single-use password reset; earlier unused ones of the same person stop working. */
  createPasswordReset(reset: { tokenHash: string; userId: string; expiresAt: Date }): Promise<void>;
  /** The person a pending (unused, unexpired) reset is for, and until when it is valid. */
  getPasswordReset(tokenHash: string, now: Date): Promise<{ user: UserRecord; expiresAt: Date } | undefined>;
  /** Uses the reset and sets the new password hash, atomically; undefined if it was not pending. */
  completePasswordReset(tokenHash: string, passwordHash: string, now: Date): Promise<UserRecord | undefined>;

  createAccessToken(token: {
    id: string;
    userId: string;
    name: string;
    tokenHash: string;
    prefix: string;
    expiresAt: Date | null;
    scopes: readonly TokenScope[];
  }): Promise<AccessTokenRecord>;
  listAccessTokens(userId: string): Promise<AccessTokenRecord[]>;
  getAccessTokenByHash(tokenHash: string): Promise<AccessTokenRecord | undefined>;
  touchAccessToken(id: string, usedAt: Date): Promise<void>;
  /** Returns false if the person has no such token. */
  deleteAccessToken(userId: string, id: string): Promise<boolean>;
}
