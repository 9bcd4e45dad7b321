/**
 * WebSocket close codes used on the collaboration endpoint, shared by server and client so the
 * client can tell the user why it was disconnected (and whether reconnecting makes sense).
 * 4000–4999 are reserved by RFC 6455 for applications.
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
  /** The document was deleted while the socket was open; do not reconnect. */
  DocumentDeleted: 4410,
} as const;
