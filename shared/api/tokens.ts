import { z } from 'zod';

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
  })
  .strict();
export type CreateAccessTokenRequest = z.infer<typeof CreateAccessTokenRequest>;

export const CreatedAccessToken = AccessTokenSummary.extend({
  /** Use as `Authorization: Bearer <token>` on HTTP and on the websocket upgrade. */
  token: z.string(),
});
export type CreatedAccessToken = z.infer<typeof CreatedAccessToken>;

/** DELETE /api/tokens/:id → 204; connections opened with it are closed. */
