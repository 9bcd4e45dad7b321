import type { ThreadView } from '../../../shared/api/index';

/** What the open clients of a document are told about its threads. */
export type DocumentEvent = { kind: 'thread'; thread: ThreadView } | { kind: 'thread-deleted'; id: string };

/**
 * Fans thread changes out to every open client of a document (their event streams), within this
 * process; a scaled-out deployment relays them to the other processes (fanout/relays.ts).
 */
export class DocumentEvents {
  private readonly listeners = new Map<string, Set<(event: DocumentEvent) => void>>();
  private readonly relays = new Set<(documentId: string, event: DocumentEvent) => void>();

  /** Calls `relay` with every event published in this process (not with those delivered from others). */
  onPublish(relay: (documentId: string, event: DocumentEvent) => void): () => void {
    this.relays.add(relay);
    return () => this.relays.delete(relay);
  }

  subscribe(documentId: string, listener: (event: DocumentEvent) => void): () => void {
    let set = this.listeners.get(documentId);
    if (!set) this.listeners.set(documentId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(documentId);
    };
  }

  publish(documentId: string, event: DocumentEvent): void {
    this.deliver(documentId, event);
    for (const relay of this.relays) relay(documentId, event);
  }

  /** Tells this process's open clients about an event published in another process. */
  deliver(documentId: string, event: DocumentEvent): void {
    for (const listener of this.listeners.get(documentId) ?? []) listener(event);
  }
}
