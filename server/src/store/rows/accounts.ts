import { normalizeScopes, TokenScope } from '../../../../shared/api/index';
import type { AccessTokenRecord, SessionRecord, UserRecord } from '../account-store';

/** A row of the users table. */
export interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  /** 0 or 1 in SQLite, a boolean in PostgreSQL. */
  is_admin: number | boolean;
  disabled_at: number | null;
  created_at: number;
}

/** A row of the access_tokens table. */
export interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  /** A JSON array in SQLite, TEXT[] in PostgreSQL. */
  scopes: string | string[];
}

/** A row of the sessions table. */
export interface SessionRow {
  id_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  email: row.email,
  name: row.name,
  passwordHash: row.password_hash,
  isAdmin: Boolean(row.is_admin),
  disabled: row.disabled_at !== null,
  createdAt: new Date(row.created_at),
});

export const toToken = (row: TokenRow): AccessTokenRecord => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  prefix: row.prefix,
  createdAt: new Date(row.created_at),
  lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at),
  expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
  scopes: scopesOf(row.scopes),
});

/** A token's stored scopes; anything unknown (written by a later version) is left out. */
function scopesOf(stored: string | string[]): AccessTokenRecord['scopes'] {
  const values: unknown[] = typeof stored === 'string' ? (JSON.parse(stored) as unknown[]) : stored;
  return normalizeScopes(values.filter((value): value is TokenScope => TokenScope.safeParse(value).success));
}

/** How SQLite stores a token's scopes. */
export const sqliteScopes = (scopes: readonly TokenScope[]): string => JSON.stringify(normalizeScopes(scopes));

export const toSession = (row: SessionRow): SessionRecord => ({
  idHash: row.id_hash,
  userId: row.user_id,
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
});
