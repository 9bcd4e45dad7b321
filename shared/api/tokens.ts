import { z } from 'zod';

/**
 * What a personal access token may do. `read`: GET requests and read-only collaboration sockets
 * (every token has it). `write`: every other request, and editing on the socket (within the
 * person's role). `admin`: the administration API (accounts, password reset links), for an
 * administrator's token only. A browser session may do all three (within the person's rights).
 */
export const TOKEN_SCOPES = ['read', 'write', 'admin'] as const;
export const TokenScope = z.enum(TOKEN_SCOPES);
export type TokenScope = z.infer<typeof TokenScope>;
/** What a token gets unless the admin scope is chosen explicitly. */
export const DEFAULT_TOKEN_SCOPES: readonly TokenScope[] = ['read', 'write'];
export const TOKEN_SCOPE_LABELS: Record<TokenScope, string> = { read: 'Read', write: 'Write', admin: 'Administration' };

/** Scopes in the order of TOKEN_SCOPES, each once. */
export const normalizeScopes = (scopes: readonly TokenScope[]): TokenScope[] => TOKEN_SCOPES.filter((scope) => scopes.includes(scope));

/** A personal access token as listed: the secret itself is shown only once, at creation. */
export const AccessTokenSummary = z.object({
  id: z.string(),
  name: z.string(),
  /** The first characters of the token, to recognise it. */
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  /** null: never expires. */
  expiresAt: z.string().nullable(),
  scopes: z.array(TokenScope),
});
export type AccessTokenSummary = z.infer<typeof AccessTokenSummary>;

/** GET /api/tokens */
export const ListAccessTokensResponse = z.object({ tokens: z.array(AccessTokenSummary) });
export type ListAccessTokensResponse = z.infer<typeof ListAccessTokensResponse>;

export const TOKEN_EXPIRY_DAYS = [7, 30, 90, 365] as const;

/** POST /api/tokens → 201 CreatedAccessToken. */
export const CreateAccessTokenRequest = z
  .object({
    name: z.string().trim().min(1, 'name must not be empty').max(80, 'name must be at most 80 characters'),
    /** Days until it expires; null for never. */
    expiresInDays: z.union([z.literal(7), z.literal(30), z.literal(90), z.literal(365), z.null()]),
    /** Default: read and write. `admin` only for administrators, and only when asked for. */
    scopes: z
      .array(TokenScope)
      .max(TOKEN_SCOPES.length)
      .refine((scopes) => scopes.includes('read'), 'a token always has the read scope')
      .transform(normalizeScopes)
      .default(['read', 'write']),
  })
  .strict();
export type CreateAccessTokenRequest = z.infer<typeof CreateAccessTokenRequest>;

export const CreatedAccessToken = AccessTokenSummary.extend({
  /** Use as `Authorization: Bearer <token>` on HTTP and on the websocket upgrade. */
  token: z.string(),
});
export type CreatedAccessToken = z.infer<typeof CreatedAccessToken>;

/** DELETE /api/tokens/:id → 204; connections opened with it are closed. */
