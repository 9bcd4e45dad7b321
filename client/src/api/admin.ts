/** Typed calls to /api/admin (administrators only): every account, enable/disable, admin rights, password reset links. */
import '../zod-config';
import { AdminUser, CreatedPasswordReset, ListUsersResponse, type UpdateUserRequest } from '../../../shared/api/index';
import { requestJson } from './http';

export type { AdminUser, CreatedPasswordReset } from '../../../shared/api/index';

export async function listUsers(signal?: AbortSignal): Promise<AdminUser[]> {
  return (await requestJson('/api/admin/users', ListUsersResponse, { signal })).users;
}

export function updateUser(id: string, changes: UpdateUserRequest): Promise<AdminUser> {
  return requestJson(`/api/admin/users/${encodeURIComponent(id)}`, AdminUser, { method: 'PATCH', body: changes });
}

/** A single-use link (valid a day) for the person to choose a new password; earlier unused ones stop working. */
export function createPasswordReset(id: string): Promise<CreatedPasswordReset> {
  return requestJson(`/api/admin/users/${encodeURIComponent(id)}/password-reset`, CreatedPasswordReset, { method: 'POST' });
}
