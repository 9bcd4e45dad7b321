/**
 * Messages between the server processes that serve the same documents: what one process
 * publishes on a channel, every other process subscribed to it receives (never the publisher
 * itself). Delivery is best effort; a process that may have missed messages is told so (onGap)
 * and catches up from storage, which has everything.
 */
export interface Fanout {
  /**
   * Delivers what other processes publish on `channel` to `listener` until the returned function
   * is called. Resolves once subscribed, so nothing published after that is missed (unless a gap
   * is reported). While the other processes can't be reached it resolves at once; the
   * subscription starts when they can, and a gap is reported then.
   */
  subscribe(channel: string, listener: (message: Uint8Array) => void): Promise<() => void>;
  /** Sends to the other processes; dropped (and a gap reported later) while they can't be reached. */
  publish(channel: string, message: Uint8Array): void;
  /** Called when messages may have been missed, once the connection is back. */
  onGap(listener: () => void): () => void;
  /** Whether the other processes can be reached right now (for /readyz); absent: always. */
  isConnected?(): boolean;
  close(): Promise<void>;
}

/** One process alone: nothing to send to, nothing to receive. */
export const singleProcess: Fanout = {
  async subscribe() {
    return () => {};
  },
  publish() {},
  onGap() {
    return () => {};
  },
  async close() {},
};
