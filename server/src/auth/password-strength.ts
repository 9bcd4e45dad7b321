import { loadPasswordJudge } from '../../../shared/api/index';
import { ApiError } from '../http/index';

/**
 * Refuses a new password that is too easy to guess (shared/api/password-strength.ts, the same
 * rule the forms show while typing): 400 `weak_password`, with the reason under `field`.
 * `personal`: the person's email and name, which make a password easier to guess.
 */
export async function requireStrongPassword(password: string, personal: readonly string[], field: string): Promise<void> {
  const verdict = (await loadPasswordJudge())(password, personal);
  if (verdict.ok) return;
  const reason = verdict.reason ?? 'This password is too easy to guess.';
  throw new ApiError(400, 'weak_password', `${field}: ${reason}`, [{ path: field, message: reason }]);
}
