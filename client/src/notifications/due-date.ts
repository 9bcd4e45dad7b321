const formatter = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "12 Dec 2026" for a YYYY-MM-DD date (a calendar date: no time zone shifts it). */
export function formatDueDate(date: string): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) ? date : formatter.format(parsed);
}

/** Before today (UTC), as the server judges "overdue". */
export function isOverdue(date: string | null, now = new Date()): boolean {
  return date !== null && date < now.toISOString().slice(0, 10);
}
