import type { AssignedThreadView, NotificationView } from '../../../shared/api/index';
import { toPersonRef } from '../auth/index';
import type { AssignedThreadRecord, NotificationRecord } from '../store/index';
import { pathOf, summaryOf } from './wording';

export function toNotificationView(notification: NotificationRecord): NotificationView {
  return {
    id: notification.id,
    kind: notification.kind,
    summary: summaryOf(notification),
    document: { id: notification.document.id, title: notification.document.title, kind: notification.document.kind },
    group: { id: notification.document.groupId, name: notification.document.groupName },
    threadId: notification.threadId,
    actor: notification.actor && toPersonRef(notification.actor),
    excerpt: notification.excerpt,
    detail: notification.detail,
    path: pathOf(notification),
    createdAt: notification.createdAt.toISOString(),
    read: notification.readAt !== null,
  };
}

/** Today's date (UTC) as YYYY-MM-DD: a thread due before it is overdue. */
export const todayUtc = (now: Date): string => now.toISOString().slice(0, 10);

export function toAssignedThreadView(thread: AssignedThreadRecord, now: Date): AssignedThreadView {
  return {
    threadId: thread.threadId,
    quote: thread.quote,
    firstComment: thread.firstComment,
    dueDate: thread.dueDate,
    overdue: thread.dueDate !== null && thread.dueDate < todayUtc(now),
    assignedBy: toPersonRef(thread.assignedBy),
    assignedAt: thread.assignedAt.toISOString(),
    document: { id: thread.document.id, title: thread.document.title },
    group: { id: thread.document.groupId, name: thread.document.groupName },
    path: pathOf({ document: { ...thread.document, kind: 'draft' }, threadId: thread.threadId }),
  };
}
