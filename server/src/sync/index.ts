export { createCollabEndpoint } from './collab-endpoint';
export type { CollabEndpoint, CollabEndpointOptions, UpgradeDecision } from './collab-endpoint';
export type { PeerAccess } from './peer';
export { RoomRegistry } from './room-registry';
export type { RoomRegistryOptions } from './room-registry';
export type { PersonOrigin, Room } from './room';
