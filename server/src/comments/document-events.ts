import type { ThreadView } from '../../../shared/api/index';

/** What the open clients of a document are told about its threads. */
export type DocumentEvent = { kind: 'thread'; thread: ThreadView } | { kind: 'thread-deleted'; id: string };

/**
 * Fans thread changes out to every open client of a document (their event streams), within this
 * process; a scaled-out deployment relays these through Redis as well.
 */
export class DocumentEvents {
  private readonly listeners = new Map<string, Set<(event: DocumentEvent) => void>>();

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
    for (const listener of this.listeners.get(documentId) ?? []) listener(event);
  }
}
