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
});

export const toSession = (row: SessionRow): SessionRecord => ({
  idHash: row.id_hash,
  userId: row.user_id,
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
});
