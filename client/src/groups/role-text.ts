import type { Role } from '../../../shared/api/index';

/** What each role can do in Concord today, in a sentence for people. */
export const ROLE_ABILITIES: Record<Role, string> = {
  'co-chair': 'write in the group’s drafts, and invite, manage and remove members',
  member: 'read and write the group’s drafts',
  secretariat: 'write in the group’s drafts, and invite and manage members and observers',
  observer: 'read the group’s drafts live, but not change them',
};

/** "As an observer you can read the group’s drafts live, but not change them." */
export function roleSentence(role: Role): string {
  const as = role === 'observer' ? 'As an observer' : role === 'secretariat' ? 'As secretariat' : role === 'member' ? 'As a member' : 'As a co-chair';
  return `${as} you can ${ROLE_ABILITIES[role]}.`;
}
