/** Typed calls to the inbox (/api/notifications), thread assignment and e-mail settings. */
import '../zod-config';
import {
  AssignedThreadsResponse,
  ListNotificationsResponse,
  NotificationSettingsView,
  ThreadView,
  UnreadResponse,
  VisitResponse,
  type AssignThreadRequest,
  type UpdateNotificationSettingsRequest,
} from '../../../shared/api/index';
import { requestJson } from './http';

export type { AssignedThreadView, NotificationSettingsView, NotificationView, VisitResponse } from '../../../shared/api/index';

export function listNotifications(signal?: AbortSignal): Promise<ListNotificationsResponse> {
  return requestJson('/api/notifications?limit=50', ListNotificationsResponse, { signal });
}

/** The unread count only. */
export async function countUnread(signal?: AbortSignal): Promise<number> {
  return (await requestJson('/api/notifications?unread=true&limit=1', ListNotificationsResponse, { signal })).unread;
}

export async function markNotificationsRead(ids: string[] | 'all'): Promise<number> {
  const body = ids === 'all' ? { all: true as const } : { ids };
  return (await requestJson('/api/notifications/read', UnreadResponse, { method: 'POST', body })).unread;
}

export async function listAssignedToMe(signal?: AbortSignal): Promise<AssignedThreadsResponse['threads']> {
  return (await requestJson('/api/notifications/assigned', AssignedThreadsResponse, { signal })).threads;
}

export function getNotificationSettings(signal?: AbortSignal): Promise<NotificationSettingsView> {
  return requestJson('/api/notifications/settings', NotificationSettingsView, { signal });
}

export function updateNotificationSettings(changes: UpdateNotificationSettingsRequest): Promise<NotificationSettingsView> {
  return requestJson('/api/notifications/settings', NotificationSettingsView, { method: 'PATCH', body: changes });
}

export function assignThread(documentId: string, threadId: string, request: AssignThreadRequest): Promise<ThreadView> {
  return requestJson(`/api/documents/${encodeURIComponent(documentId)}/threads/${encodeURIComponent(threadId)}/assignment`, ThreadView, {
    method: 'PUT',
    body: request,
  });
}

/** The person's live unread count (server-sent events). */
export const NOTIFICATION_EVENTS_URL = '/api/notifications/events';

/** Notes that I opened the document now; answers what changed since the time before. */
export function recordVisit(documentId: string): Promise<VisitResponse> {
  return requestJson(`/api/documents/${encodeURIComponent(documentId)}/visit`, VisitResponse, { method: 'POST' });
}
