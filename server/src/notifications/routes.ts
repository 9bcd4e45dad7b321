import { Router } from 'express';
import {
  ListNotificationsQuery,
  MarkReadRequest,
  NOTIFICATIONS_EVENT,
  UpdateNotificationSettingsRequest,
  type AssignedThreadsResponse,
  type ListNotificationsResponse,
  type NotificationSettingsView,
  type UnreadResponse,
} from '../../../shared/api/index';
import { principalOf, type AccessEvents } from '../auth/index';
import { parseInput } from '../http/index';
import type { NotificationSettings, Store } from '../store/index';
import type { UserEvents } from './user-events';
import { toAssignedThreadView, toNotificationView } from './views';

export interface NotificationRoutesOptions {
  store: Store;
  userEvents: UserEvents;
  accessEvents: AccessEvents;
  emailEnabled: boolean;
}

/** Kept alive through proxies that drop idle connections (as the document event stream is). */
const EVENT_STREAM_HEARTBEAT_MS = 25_000;

/** /api/notifications: the signed-in person's inbox, its live count, their assigned threads and e-mail settings. */
export function notificationRoutes({ store, userEvents, accessEvents, emailEnabled }: NotificationRoutesOptions): Router {
  const router = Router();
  const settingsView = (settings: NotificationSettings): NotificationSettingsView => ({ ...settings, emailAvailable: emailEnabled });

  router.get('/', async (request, response) => {
    const { user } = principalOf(response);
    const query = parseInput(ListNotificationsQuery, request.query);
    const [notifications, unread] = await Promise.all([
      store.listNotifications(user.id, { limit: query.limit, unreadOnly: query.unread === 'true' }),
      store.countUnreadNotifications(user.id),
    ]);
    const body: ListNotificationsResponse = { notifications: notifications.map(toNotificationView), unread };
    response.locals.quietLog = true;
    response.json(body);
  });

  router.post('/read', async (request, response) => {
    const { user } = principalOf(response);
    const body = parseInput(MarkReadRequest, request.body ?? {});
    await store.markNotificationsRead(user.id, 'all' in body ? 'all' : body.ids, new Date());
    const unread = await store.countUnreadNotifications(user.id);
    // The person's other pages (tabs, devices) update their count too.
    userEvents.publish(user.id, { kind: 'notifications', unread });
    const result: UnreadResponse = { unread };
    response.json(result);
  });

  router.get('/assigned', async (_request, response) => {
    const { user } = principalOf(response);
    const now = new Date();
    const body: AssignedThreadsResponse = { threads: (await store.listAssignedThreads(user.id)).map((thread) => toAssignedThreadView(thread, now)) };
    response.json(body);
  });

  router.get('/settings', async (_request, response) => {
    const { user } = principalOf(response);
    response.json(settingsView(await store.getNotificationSettings(user.id)));
  });

  router.patch('/settings', async (request, response) => {
    const { user } = principalOf(response);
    const changes = parseInput(UpdateNotificationSettingsRequest, request.body ?? {});
    response.json(settingsView(await store.updateNotificationSettings(user.id, changes)));
  });

  router.get('/events', async (_request, response) => {
    const { user, credential } = principalOf(response);
    const unread = await store.countUnreadNotifications(user.id);
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.write('retry: 3000\n\n');
    const send = (data: UnreadResponse) => response.write(`event: ${NOTIFICATIONS_EVENT}\ndata: ${JSON.stringify(data)}\n\n`);
    send({ unread });
    const unsubscribe = userEvents.subscribe(user.id, (event) => send({ unread: event.unread }));
    // Ends with the credentials that opened it (signed out, token revoked, account disabled).
    const unsubscribeAccess = accessEvents.subscribe((change) => {
      if (change.kind === 'credentials' && change.userId === user.id && (change.credentialId ?? credential.id) === credential.id) response.end();
      // Joined or left a group, or a new role: what the person may see (and so the count) changed.
      if (change.kind === 'membership' && change.userId === user.id) {
        store.countUnreadNotifications(user.id).then(
          (count) => send({ unread: count }),
          () => {}, // the next change sends the count again
        );
      }
    });
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), EVENT_STREAM_HEARTBEAT_MS);
    response.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      unsubscribeAccess();
    });
  });

  return router;
}
