export { createCollabEndpoint } from './collab-endpoint';
export type { CollabEndpoint, CollabEndpointOptions } from './collab-endpoint';
export { RoomRegistry } from './room-registry';
export type { RoomRegistryOptions } from './room-registry';
export type { Room } from './room';
