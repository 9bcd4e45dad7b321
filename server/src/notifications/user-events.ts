/** What a person's open pages are told about their inbox. */
export type UserEvent = { kind: 'notifications'; unread: number };

/**
 * Fans inbox changes out to a person's open event streams (every tab, every device) within this
 * process; several processes relay them to each other (fanout/relays.ts), like thread events.
 */
export class UserEvents {
  private readonly listeners = new Map<string, Set<(event: UserEvent) => void>>();
  private readonly relays = new Set<(userId: string, event: UserEvent) => void>();

  /** Calls `relay` with every event published in this process (not with those delivered from others). */
  onPublish(relay: (userId: string, event: UserEvent) => void): () => void {
    this.relays.add(relay);
    return () => this.relays.delete(relay);
  }

  subscribe(userId: string, listener: (event: UserEvent) => void): () => void {
    let set = this.listeners.get(userId);
    if (!set) this.listeners.set(userId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(userId);
    };
  }

  publish(userId: string, event: UserEvent): void {
    this.deliver(userId, event);
    for (const relay of this.relays) relay(userId, event);
  }

  /** Tells this process's open streams about an event published in another process. */
  deliver(userId: string, event: UserEvent): void {
    for (const listener of this.listeners.get(userId) ?? []) listener(event);
  }
}
