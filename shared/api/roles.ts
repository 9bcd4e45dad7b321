import { z } from 'zod';

/**
 * Roles in a working group, from the groups' own practice. The server enforces these; the client
 * uses the same table only to hide controls a person could not use anyway.
 */
export const ROLES = ['co-chair', 'member', 'secretariat', 'observer'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const ROLE_LABELS: Record<Role, string> = {
  'co-chair': 'Co-chair',
  member: 'Member',
  secretariat: 'Secretariat',
  observer: 'Observer',
};

export type Permission =
  /** Open the group's documents and see its members. */
  | 'read'
  /** Change document text and titles; create drafts. */
  | 'edit'
  /** Start and reply to comment threads, annotate sources. */
  | 'comment'
  /** Resolve and reopen threads, name versions, mark documents final. */
  | 'resolve'
  /** Invite people, change roles, remove members; archive and delete documents; rename the group. */
  | 'manage';

const PERMISSIONS: Record<Role, readonly Permission[]> = {
  'co-chair': ['read', 'edit', 'comment', 'resolve', 'manage'],
  member: ['read', 'edit', 'comment'],
  secretariat: ['read', 'edit', 'comment', 'manage'],
  observer: ['read', 'comment'],
};

export function can(role: Role | null | undefined, permission: Permission): boolean {
  return role != null && PERMISSIONS[role].includes(permission);
}

/**
 * Whether someone with `actor` role may give `target` role to a person (or change/remove a person
 * who has it): managers may not hand out, or take away, rights they do not hold themselves, so
 * the secretariat manages members and observers but not co-chairs.
 */
export function canAssignRole(actor: Role | null | undefined, target: Role): boolean {
  if (!can(actor, 'manage')) return false;
  return PERMISSIONS[target].every((permission) => PERMISSIONS[actor!].includes(permission));
}
