/**
 * How many bytes of accepted edits are waiting for the store, per room and for the whole
 * process. While the store is slow or down, edits pile up in memory; past a bound the rooms stop
 * reading from the sockets that keep sending (back-pressure: the edits wait in the clients, which
 * keep them until the server confirms), and read again once the store has caught up.
 */
export interface UnstoredLimits {
  /** Bytes one room may hold unstored before it stops reading its editors' sockets. */
  perRoom: number;
  /** Bytes all rooms together may hold unstored. */
  perProcess: number;
}

export const DEFAULT_UNSTORED_LIMITS: UnstoredLimits = { perRoom: 8 * 2 ** 20, perProcess: 64 * 2 ** 20 };

export class UnstoredBudget {
  private total = 0;
  private readonly reliefListeners = new Set<() => void>();

  constructor(readonly limits: UnstoredLimits = DEFAULT_UNSTORED_LIMITS) {}

  /** Bytes unstored in all rooms. */
  get bytes(): number {
    return this.total;
  }

  /** Whether a room holding `roomBytes` unstored must stop reading more. */
  isOver(roomBytes: number): boolean {
    return roomBytes > this.limits.perRoom || this.total > this.limits.perProcess;
  }

  /** A room's unstored bytes changed by `delta`; listeners hear when the process falls back under its bound. */
  change(delta: number): void {
    const wasOver = this.total > this.limits.perProcess;
    this.total = Math.max(0, this.total + delta);
    if (wasOver && this.total <= this.limits.perProcess) for (const listener of [...this.reliefListeners]) listener();
  }

  /** Calls `listener` whenever the process falls back under its bound; returns the unsubscribe. */
  onRelief(listener: () => void): () => void {
    this.reliefListeners.add(listener);
    return () => this.reliefListeners.delete(listener);
  }
}
