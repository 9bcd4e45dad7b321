/**
 * WebSocket close codes used on the collaboration endpoint, shared by server and client so the
 * client can tell the user why it was disconnected (and whether reconnecting makes sense).
 * 4000–4999 are reserved by RFC 6455 for applications. The stock y-websocket client (3.x) does not
 * reconnect after a code in 4400–4499, so "don't come back" codes live there and the rest outside.
 */
export const CloseCode = {
  /** Server is shutting down or restarting; reconnect. */
  GoingAway: 1001,
  /** A frame exceeded the configured size limit (sent by `ws` itself). */
  MessageTooBig: 1009,
  /** Unexpected server failure; reconnect. */
  InternalError: 1011,
  /** A frame could not be decoded (truncated, random bytes, text frame, empty frame). */
  MalformedMessage: 4000,
  /** A well-formed frame of a message type this endpoint does not accept. */
  UnknownMessageType: 4001,
  /** The connection stopped reading and too much unsent data piled up; reconnect resyncs it. */
  SlowConsumer: 4008,
  /** The session or token ended (signed out, expired, revoked, account disabled); sign in again, do not reconnect. */
  Unauthenticated: 4401,
  /** The person was removed from the document's group; do not reconnect. */
  AccessRevoked: 4403,
  /** The person's role in the group changed; reconnect to continue with the new rights. */
  RoleChanged: 4009,
  /** The document was deleted while the socket was open; do not reconnect. */
  DocumentDeleted: 4410,
} as const;
