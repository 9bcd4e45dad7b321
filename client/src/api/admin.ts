/** Typed calls to /api/admin (administrators only): every account, enable/disable, admin rights. */
import '../zod-config';
import { AdminUser, ListUsersResponse, type UpdateUserRequest } from '../../../shared/api/index';
import { requestJson } from './http';

export type { AdminUser } from '../../../shared/api/index';

export async function listUsers(signal?: AbortSignal): Promise<AdminUser[]> {
  return (await requestJson('/api/admin/users', ListUsersResponse, { signal })).users;
}

export function updateUser(id: string, changes: UpdateUserRequest): Promise<AdminUser> {
  return requestJson(`/api/admin/users/${encodeURIComponent(id)}`, AdminUser, { method: 'PATCH', body: changes });
}
