/**
 * The signed-in person's inbox: the unread count, live from the server's event stream
 * (/api/notifications/events: a new notification, marked read in another tab), and the list and
 * "Assigned to me", loaded when the panel is open and again whenever the count changes.
 */
import { useCallback, useEffect, useState } from 'react';

import { NOTIFICATIONS_EVENT, UnreadResponse } from '../../../shared/api/index';
import { ApiError } from '../api/http';
import { useCurrentUser } from '../auth/session';
import {
  countUnread,
  listAssignedToMe,
  listNotifications,
  markNotificationsRead,
  NOTIFICATION_EVENTS_URL,
  type AssignedThreadView,
  type NotificationView,
} from '../api/notifications';

export interface Inbox {
  /** Null until the stream or the list said. */
  unread: number | null;
  notifications: NotificationView[] | null;
  assigned: AssignedThreadView[] | null;
  error: ApiError | null;
  markRead: (ids: string[] | 'all') => Promise<void>;
  reload: () => void;
}

export function useInbox(open: boolean): Inbox {
  const [unread, setUnread] = useState<number | null>(null);
  const [notifications, setNotifications] = useState<NotificationView[] | null>(null);
  const [assigned, setAssigned] = useState<AssignedThreadView[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [version, setVersion] = useState(0);

  // The live count, from one stream shared by all of the person's tabs: browsers open at most six
  // HTTP/1.1 connections to a site, and every editor tab holds its document's stream already. The
  // tab holding the lock keeps the stream and tells the others; when it closes, another takes over.
  const userId = useCurrentUser().id;
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    const openStream = (onCount: (unread: number) => void) => {
      source = new EventSource(NOTIFICATION_EVENTS_URL);
      source.addEventListener(NOTIFICATIONS_EVENT, (event) => {
        const parsed = UnreadResponse.safeParse(JSON.parse((event as MessageEvent<string>).data));
        if (parsed.success) onCount(parsed.data.unread);
      });
    };
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    if (typeof BroadcastChannel === 'undefined' || !locks) {
      openStream(setUnread);
      return () => source?.close();
    }
    const channel = new BroadcastChannel(`concord-inbox-${userId}`);
    channel.onmessage = (event: MessageEvent<{ unread: number }>) => setUnread(event.data.unread);
    const controller = new AbortController();
    let release: (() => void) | null = null;
    locks
      .request(`concord-inbox-stream-${userId}`, { signal: controller.signal }, () =>
        new Promise<void>((resolve) => {
          release = resolve;
          openStream((unread) => {
            setUnread(unread);
            channel.postMessage({ unread });
          });
        }),
      )
      .catch(() => undefined); // given up when this tab's page closes (aborted)
    // Until the stream (here or in another tab) says, ask once.
    countUnread().then(setUnread, () => undefined);
    return () => {
      controller.abort();
      source?.close();
      release?.();
      channel.close();
    };
  }, [userId]);

  // The list, while the panel is open: at opening, and whenever the count changes.
  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    Promise.all([listNotifications(controller.signal), listAssignedToMe(controller.signal)]).then(
      ([inbox, mine]) => {
        setNotifications(inbox.notifications);
        setUnread(inbox.unread);
        setAssigned(mine);
        setError(null);
      },
      (caught: unknown) => {
        if (controller.signal.aborted) return;
        setError(caught instanceof ApiError ? caught : new ApiError(0, 'network', 'The server can’t be reached.'));
      },
    );
    return () => controller.abort();
  }, [open, unread, version]);

  const markRead = useCallback(async (ids: string[] | 'all') => {
    setNotifications((list) => list && list.map((n) => (ids === 'all' || ids.includes(n.id) ? { ...n, read: true } : n)));
    setUnread(await markNotificationsRead(ids));
  }, []);

  return { unread, notifications, assigned, error, markRead, reload: () => setVersion((v) => v + 1) };
}
