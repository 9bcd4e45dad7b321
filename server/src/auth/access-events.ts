import type { Role } from '../../../shared/api/index';

/**
 * Changes to who may do what, which open connections must follow at once (not at their next
 * reconnect). Emitted by the routes that make the change; the collaboration endpoint applies
 * them to its open sockets.
 */
export type AccessChange =
  /** A person's role in a group changed (role) or they left it (role null). */
  | { kind: 'membership'; groupId: string; userId: string; role: Role | null }
  /** Credentials ended: one session or token (credentialId), or all of a person's (signed out everywhere, disabled). */
  | { kind: 'credentials'; userId: string; credentialId?: string }
  /** A person's display name changed. */
  | { kind: 'profile'; userId: string; name: string }
  /** A group and its documents were deleted. */
  | { kind: 'group-deleted'; groupId: string }
  /** A document was deleted. */
  | { kind: 'document-deleted'; documentId: string };

export class AccessEvents {
  private readonly listeners = new Set<(change: AccessChange) => void>();
  private readonly relays = new Set<(change: AccessChange) => void>();

  subscribe(listener: (change: AccessChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `relay` with every change emitted in this process (not with those delivered from others). */
  onEmit(relay: (change: AccessChange) => void): () => void {
    this.relays.add(relay);
    return () => this.relays.delete(relay);
  }

  /** Delivered synchronously: when this returns, this process's open connections already follow the change. */
  emit(change: AccessChange): void {
    this.deliver(change);
    for (const relay of this.relays) relay(change);
  }

  /** Applies a change emitted in another process (see fanout/relays.ts). */
  deliver(change: AccessChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
