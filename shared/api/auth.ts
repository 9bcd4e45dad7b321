import { z } from 'zod';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
export const NAME_MAX_LENGTH = 80;

export const Email = z
  .string()
  .trim()
  .max(254, 'email must be at most 254 characters')
  .toLowerCase()
  .pipe(z.email('not a valid email address'));

export const Password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `password must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `password must be at most ${PASSWORD_MAX_LENGTH} characters`);

export const DisplayName = z
  .string()
  .trim()
  .min(1, 'name must not be empty')
  .max(NAME_MAX_LENGTH, `name must be at most ${NAME_MAX_LENGTH} characters`);

export const UserId = z.string().regex(/^[A-Za-z0-9_-]{16}$/, 'not a user id');

/** The signed-in person, as the app shows them. `color` marks their caret and avatar. */
export const CurrentUser = z.object({
  id: UserId,
  email: z.string(),
  name: z.string(),
  color: z.string(),
  isAdmin: z.boolean(),
});
export type CurrentUser = z.infer<typeof CurrentUser>;

/** GET /api/auth/session → 200 always. */
export const SessionResponse = z.object({
  user: CurrentUser.nullable(),
  /** No account exists yet: the first sign-up creates the administrator. */
  setupRequired: z.boolean(),
  /** Anyone may sign up (otherwise only with an invite link, or the first account). */
  openSignup: z.boolean(),
});
export type SessionResponse = z.infer<typeof SessionResponse>;

/** POST /api/auth/signup → 201 { user } and a session cookie. `invite` joins that group at once. */
export const SignUpRequest = z
  .object({ email: Email, password: Password, name: DisplayName, invite: z.string().max(100).optional() })
  .strict();
export type SignUpRequest = z.infer<typeof SignUpRequest>;

/** POST /api/auth/signin → 200 { user } and a session cookie; 401 invalid_credentials; 429 rate_limited. */
export const SignInRequest = z
  .object({ email: Email, password: z.string().min(1, 'password must not be empty').max(PASSWORD_MAX_LENGTH) })
  .strict();
export type SignInRequest = z.infer<typeof SignInRequest>;

export const UserResponse = z.object({ user: CurrentUser });
export type UserResponse = z.infer<typeof UserResponse>;

/** PATCH /api/auth/me → 200 { user } */
export const UpdateProfileRequest = z.object({ name: DisplayName }).strict();
export type UpdateProfileRequest = z.infer<typeof UpdateProfileRequest>;

/** POST /api/auth/password → 204; signs out every other session. */
export const ChangePasswordRequest = z
  .object({ currentPassword: z.string().min(1, 'current password must not be empty').max(PASSWORD_MAX_LENGTH), newPassword: Password })
  .strict();
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

/** POST /api/auth/signout → 204 */

/** GET /api/auth/reset/:token (no sign-in) → whose password the link resets; 410 reset_invalid when used or expired. */
export const PasswordResetPreview = z.object({ name: z.string(), email: z.string(), expiresAt: z.string() });
export type PasswordResetPreview = z.infer<typeof PasswordResetPreview>;

/** POST /api/auth/reset/:token → 200 { user } and a session cookie; every other session of the person ends. */
export const CompletePasswordResetRequest = z.object({ newPassword: Password }).strict();
export type CompletePasswordResetRequest = z.infer<typeof CompletePasswordResetRequest>;
