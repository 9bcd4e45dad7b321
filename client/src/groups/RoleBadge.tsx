import { ROLE_LABELS, type Role } from '../../../shared/api/index';

/** "Co-chair", "Observer"… as a small label. */
export function RoleBadge({ role }: { role: Role }) {
  return <span className={`role-badge role-badge--${role}`}>{ROLE_LABELS[role]}</span>;
}
