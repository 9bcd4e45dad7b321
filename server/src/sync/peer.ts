/** One open connection to a room, as the room sees it: it can be sent frames and closed. */
export interface Peer {
  /** Unique per process, for logs. */
  readonly id: number;
  /** Awareness client ids this connection has claimed; no other connection may speak for them. */
  readonly awarenessClientIds: Set<number>;
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
}
