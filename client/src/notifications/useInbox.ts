/**
 * The signed-in person's inbox: the unread count, live from the server's event stream
 * (/api/notifications/events: a new notification, marked read in another tab), and the list and
 * "Assigned to me", loaded when the panel is open and again whenever the count changes.
 */
import { useCallback, useEffect, useState } from 'react';

import { NOTIFICATIONS_EVENT, UnreadResponse } from '../../../shared/api/index';
import { ApiError } from '../api/http';
import {
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

  // The live count. EventSource reconnects by itself (the server asks for 3 s).
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(NOTIFICATION_EVENTS_URL);
    source.addEventListener(NOTIFICATIONS_EVENT, (event) => {
      const parsed = UnreadResponse.safeParse(JSON.parse((event as MessageEvent<string>).data));
      if (parsed.success) setUnread(parsed.data.unread);
    });
    return () => source.close();
  }, []);

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
