import type { DigestFrequency, EmailPlan, NotificationKind, NotificationSettings } from '../store/index';

/** Daily digests leave at this hour (UTC). */
export const DAILY_DIGEST_HOUR_UTC = 7;

const HOUR = 3_600_000;

/** When a digest of `frequency` that starts collecting at `now` is sent: the next full hour, or the next 07:00 UTC. */
export function nextDigestAt(frequency: Exclude<DigestFrequency, 'off'>, now: Date): Date {
  if (frequency === 'hourly') return new Date(Math.floor(now.getTime() / HOUR) * HOUR + HOUR);
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), DAILY_DIGEST_HOUR_UTC));
  return at.getTime() > now.getTime() ? at : new Date(at.getTime() + 24 * HOUR);
}

/** Kinds that go out at once (when the person wants that); the others wait for the digest. */
export const IMMEDIATE_KINDS: ReadonlySet<NotificationKind> = new Set(['mention', 'assigned']);

/** How a notification of `kind` leaves by e-mail for a person with `settings` (null: in the app only). */
export function emailPlanFor(kind: NotificationKind, settings: NotificationSettings, emailEnabled: boolean, now: Date): EmailPlan {
  if (!emailEnabled || settings.emailOff || settings.muted.includes(kind)) return null;
  if (IMMEDIATE_KINDS.has(kind) && settings.immediate) return { kind: 'immediate' };
  if (settings.digest === 'off') return null;
  return { kind: 'digest', dueAt: nextDigestAt(settings.digest, now) };
}
