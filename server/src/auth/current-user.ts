import type { CurrentUser } from '../../../shared/api/index';
import { colorForUser } from '../../../shared/protocol/index';
import type { UserRecord } from '../store/index';

export function toCurrentUser(user: UserRecord): CurrentUser {
  return { id: user.id, email: user.email, name: user.name, color: colorForUser(user.id), isAdmin: user.isAdmin };
}
