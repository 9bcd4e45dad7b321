export { singleProcess } from './fanout';
export type { Fanout } from './fanout';
export { openFanout } from './open-fanout';
export { RedisFanout } from './redis-fanout';
export { relayAccessEvents, relayDocumentEvents, relaySignInLimits, relayUserEvents } from './relays';
