import { can, ROLE_LABELS, type Permission, type Role } from '../../../shared/api/index';
import { ApiError } from '../http/index';
import type { DocumentRecord, Store } from '../store/index';

const PERMISSION_WORDS: Record<Permission, string> = {
  read: 'read this',
  edit: 'edit',
  comment: 'comment',
  resolve: 'resolve threads, name versions or mark documents final',
  manage: 'manage this group',
};

function forbidden(role: Role, permission: Permission): ApiError {
  return new ApiError(403, 'forbidden', `${ROLE_LABELS[role]}s cannot ${PERMISSION_WORDS[permission]}`);
}

/** The person's role in the group, if they have `permission`: 404 no group, 403 not a member or not allowed. */
export async function requireGroupRole(store: Store, groupId: string, userId: string, permission: Permission = 'read'): Promise<Role> {
  const role = await store.getRole(groupId, userId);
  if (!role) {
    if (!(await store.getGroup(groupId))) throw new ApiError(404, 'not_found', 'no such working group');
    throw new ApiError(403, 'no_access', 'you are not a member of this working group');
  }
  if (!can(role, permission)) throw forbidden(role, permission);
  return role;
}

/** The document and the person's role in its group, if they have `permission` (each of them, for a list) there. */
export async function requireDocumentRole(
  store: Store,
  documentId: string,
  userId: string,
  permission: Permission | readonly Permission[] = 'read',
): Promise<{ record: DocumentRecord; role: Role }> {
  const record = await store.getDocument(documentId);
  if (!record) throw new ApiError(404, 'not_found', 'no such document');
  const role = record.groupId === null ? undefined : await store.getRole(record.groupId, userId);
  if (!role) throw new ApiError(403, 'no_access', 'this document belongs to a working group you are not a member of');
  for (const needed of typeof permission === 'string' ? [permission] : permission) {
    if (!can(role, needed)) throw forbidden(role, needed);
  }
  return { record, role };
}
