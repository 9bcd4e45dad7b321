import type { CurrentUser, PersonRef } from '../../../shared/api/index';
import { colorForUser } from '../../../shared/protocol/index';
import type { UserRecord } from '../store/index';

export function toCurrentUser(user: UserRecord): CurrentUser {
  return { id: user.id, email: user.email, name: user.name, color: colorForUser(user.id), isAdmin: user.isAdmin };
}

/** How a person appears next to what they wrote: name and colour. */
export function toPersonRef(person: { id: string; name: string }): PersonRef {
  return { id: person.id, name: person.name, color: colorForUser(person.id) };
}
