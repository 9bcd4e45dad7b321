import type { AccessChange, AccessEvents, RateLimitChange, SignInLimits } from '../auth/index';
import type { DocumentEvent, DocumentEvents } from '../comments/index';
import type { UserEvent, UserEvents } from '../notifications/index';
import type { Fanout } from './fanout';

const ACCESS_CHANNEL = 'access';
const THREADS_CHANNEL = 'threads';
const RATE_LIMITS_CHANNEL = 'rate-limits';
const INBOX_CHANNEL = 'inbox';

const encodeJson = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));
const decodeJson = <T>(message: Uint8Array): T => JSON.parse(Buffer.from(message.buffer, message.byteOffset, message.byteLength).toString()) as T;

/**
 * Changes of rights made in one process reach the open connections of every process (a member
 * removed while their socket is on another process loses it too).
 */
export async function relayAccessEvents(events: AccessEvents, fanout: Fanout): Promise<() => void> {
  const stopRelaying = events.onEmit((change) => fanout.publish(ACCESS_CHANNEL, encodeJson(change)));
  const unsubscribe = await fanout.subscribe(ACCESS_CHANNEL, (message) => events.deliver(decodeJson<AccessChange>(message)));
  return () => {
    stopRelaying();
    unsubscribe();
  };
}

/** Thread changes made in one process reach the event streams open on every process. */
export async function relayDocumentEvents(events: DocumentEvents, fanout: Fanout): Promise<() => void> {
  const stopRelaying = events.onPublish((documentId, event) => fanout.publish(THREADS_CHANNEL, encodeJson({ documentId, event })));
  const unsubscribe = await fanout.subscribe(THREADS_CHANNEL, (message) => {
    const { documentId, event } = decodeJson<{ documentId: string; event: DocumentEvent }>(message);
    events.deliver(documentId, event);
  });
  return () => {
    stopRelaying();
    unsubscribe();
  };
}

/** Inbox changes (new notifications, marked read) made in one process reach the person's streams on every process. */
export async function relayUserEvents(events: UserEvents, fanout: Fanout): Promise<() => void> {
  const stopRelaying = events.onPublish((userId, event) => fanout.publish(INBOX_CHANNEL, encodeJson({ userId, event })));
  const unsubscribe = await fanout.subscribe(INBOX_CHANNEL, (message) => {
    const { userId, event } = decodeJson<{ userId: string; event: UserEvent }>(message);
    events.deliver(userId, event);
  });
  return () => {
    stopRelaying();
    unsubscribe();
  };
}

/** Sign-in and sign-up attempts counted in one process count in every process. */
export async function relaySignInLimits(limits: SignInLimits, fanout: Fanout): Promise<() => void> {
  const names = Object.keys(limits) as (keyof SignInLimits)[];
  const stops = names.map((name) => limits[name].onChange((change) => fanout.publish(RATE_LIMITS_CHANNEL, encodeJson({ name, change }))));
  const unsubscribe = await fanout.subscribe(RATE_LIMITS_CHANNEL, (message) => {
    const { name, change } = decodeJson<{ name: keyof SignInLimits; change: RateLimitChange }>(message);
    if (names.includes(name)) limits[name].deliver(change);
  });
  return () => {
    for (const stop of stops) stop();
    unsubscribe();
  };
}
