import { useEffect, useState } from 'react';

const formatter = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'long' });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "just now", "5 minutes ago", "yesterday", "3 weeks ago"… */
export function formatRelative(date: Date, now = Date.now()): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['minute', 60],
    ['hour', 3600],
    ['day', 86400],
    ['week', 604800],
    ['month', 2629800],
    ['year', 31557600],
  ];
  let chosen = units[0];
  for (const unit of units) if (abs >= unit[1] * 0.9) chosen = unit;
  return formatter.format(Math.round(seconds / chosen[1]), chosen[0]);
}

let listeners = new Set<() => void>();
let timer: number | undefined;

/** One shared 30-second tick for every relative time on the page. */
function useMinuteTick(): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((tick) => tick + 1);
    listeners.add(listener);
    timer ??= window.setInterval(() => listeners.forEach((fn) => fn()), 30_000);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && timer !== undefined) {
        window.clearInterval(timer);
        timer = undefined;
        listeners = new Set();
      }
    };
  }, []);
}

export function RelativeTime({ iso, prefix }: { iso: string; prefix?: string }) {
  useMinuteTick();
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return (
    <time dateTime={iso} title={absolute.format(date)}>
      {prefix ? `${prefix} ` : ''}
      {formatRelative(date)}
    </time>
  );
}
