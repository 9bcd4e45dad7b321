import type { Role } from '../../../shared/api/index';

/** Who is on the other end of a connection, as checked when it opened; kept current by access changes. */
export interface PeerAccess {
  userId: string;
  /** The session or token the connection was opened with (revoking it closes the connection). */
  credentialId: string;
  groupId: string;
  /** The person's role in the document's group; null once access has ended (nothing more is accepted). */
  role: Role | null;
  /** Shown to others in presence, whatever name the client claims. */
  name: string;
  color: string;
  /** The document takes no edits from anyone's socket (a source paper: only the server changes it). */
  readOnlyDocument?: boolean;
}

/** One open connection to a room, as the room sees it: it can be sent frames and closed. */
export interface Peer {
  /** Unique per process, for logs. */
  readonly id: number;
  /** The document it is connected to. */
  readonly documentId: string;
  readonly access: PeerAccess;
  /** Awareness client ids this connection has claimed; no other connection may speak for them. */
  readonly awarenessClientIds: Set<number>;
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
}
