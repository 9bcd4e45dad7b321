import { z } from 'zod';

/** An account as the administrator sees it. */
export const AdminUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  isAdmin: z.boolean(),
  disabled: z.boolean(),
  createdAt: z.string(),
  groupCount: z.number().int(),
});
export type AdminUser = z.infer<typeof AdminUser>;

/** GET /api/admin/users (administrators) */
export const ListUsersResponse = z.object({ users: z.array(AdminUser) });
export type ListUsersResponse = z.infer<typeof ListUsersResponse>;

/**
 * PATCH /api/admin/users/:id (administrators) → 200 AdminUser. Disabling signs the person out
 * everywhere, refuses their tokens and closes their connections. The last administrator cannot
 * be demoted or disabled.
 */
export const UpdateUserRequest = z
  .object({ isAdmin: z.boolean().optional(), disabled: z.boolean().optional() })
  .strict()
  .refine((body) => body.isAdmin !== undefined || body.disabled !== undefined, {
    message: 'nothing to change: give isAdmin and/or disabled',
  });
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

/**
 * POST /api/admin/users/:id/password-reset (administrators) → 201. A single-use link, valid for a
 * day, that lets the person choose a new password; the administrator passes it on (there is no
 * email service). Creating one withdraws any earlier unused link for the same person.
 */
export const CreatedPasswordReset = z.object({
  /** The link is `<origin><path>`. */
  path: z.string(),
  expiresAt: z.string(),
});
export type CreatedPasswordReset = z.infer<typeof CreatedPasswordReset>;
