/** How versions are named in the interface: "2nd Draft", "Checkpoint, 12 Mar 2026, 14:05", meeting dates. */
import type { VersionSummary } from '../api/versions';
import { formatDateTime } from '../ui/dates';

const meetingFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const meetingLongFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeZone: 'UTC' });

/** A YYYY-MM-DD meeting date as "29 Sep 2020" (or `long`: "29 September 2020"), in the person's locale. */
export function formatMeetingDate(date: string, long = false): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime())) return date;
  return (long ? meetingLongFormat : meetingFormat).format(parsed);
}

/** The name people know a version by: its name, or for an unnamed checkpoint when it was taken. */
export function versionLabel(version: VersionSummary): string {
  if (version.kind === 'named') return version.name;
  return version.name || `Checkpoint of ${formatDateTime(version.createdAt)}`;
}

/** For a list of versions to choose from: "2nd Draft (29 Sep 2020)", "Checkpoint of 12 Mar 2026, 14:05". */
export function versionOptionLabel(version: VersionSummary): string {
  if (version.kind === 'named') return version.meetingDate ? `${version.name} (${formatMeetingDate(version.meetingDate)})` : version.name;
  return version.name ? `${version.name} (${formatDateTime(version.createdAt)})` : versionLabel(version);
}

/** "Amrita Choudhury", "Amrita Choudhury and Jorge Cancio", "A, B and C". */
export function listNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
