import { DISPOSITION_LABELS, type Disposition } from '../../../shared/api/index';
import type { NotificationRecord } from '../store/index';

/** Quotes are cut to this many characters in the inbox and in messages. */
export const EXCERPT_MAX = 280;

export function excerptOf(text: string, max = EXCERPT_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** One line saying what happened, the same in the inbox and in e-mail. */
export function summaryOf(notification: Pick<NotificationRecord, 'kind' | 'actor' | 'detail' | 'excerpt'>): string {
  const who = notification.actor?.name ?? 'Someone';
  switch (notification.kind) {
    case 'mention':
      return `${who} mentioned you`;
    case 'reply':
      return `${who} replied in a thread you are in`;
    case 'assigned':
      return notification.detail ? `${who} assigned a thread to you, due ${notification.detail}` : `${who} assigned a thread to you`;
    case 'decision': {
      const label = DISPOSITION_LABELS[notification.detail as Disposition] ?? notification.detail;
      return label ? `${who} resolved a thread you are in: ${label}` : `${who} reopened a thread you are in`;
    }
    case 'version':
      return `${who} named a version: ${notification.excerpt}`;
    case 'round':
      return `${who} opened a priority round: ${notification.excerpt}`;
    case 'round-closing':
      return `A priority round closes soon and you have not indicated yet: ${notification.excerpt}`;
  }
}

/** Where the notification happened in the app (a path: the e-mail puts the public origin before it). */
export function pathOf(notification: Pick<NotificationRecord, 'document' | 'threadId'>): string {
  const document = `/d/${encodeURIComponent(notification.document.id)}`;
  return notification.threadId ? `${document}?thread=${encodeURIComponent(notification.threadId)}` : document;
}
