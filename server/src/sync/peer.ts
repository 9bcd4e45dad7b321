import type { Logger } from 'pino';
import type { Role } from '../../../shared/api/index';
import { CloseCode } from '../../../shared/protocol/index';
import type { OutgoingFrames } from './outgoing-frames';
import { ProtocolError } from './protocol';

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
  /** Sends frames framed once for many connections (a room's broadcast), in one write when it can. */
  sendFrames(outgoing: OutgoingFrames): void;
  close(code: number, reason: string): void;
  /** Stops reading the connection's frames (back-pressure) until resumeReading(). */
  pauseReading(): void;
  resumeReading(): void;
}

/**
 * Something done for one connection failed: that connection alone is closed, with the protocol
 * error's close code for bad input, or 1011 (reconnect) for anything else; the room and everyone
 * else carry on.
 */
export function closePeerAfterError(peer: Peer, error: unknown, log: Logger, what: string): void {
  if (error instanceof ProtocolError) {
    log.warn({ doc: peer.documentId, peer: peer.id, closeCode: error.closeCode, reason: error.message }, `closing connection: ${what}`);
    peer.close(error.closeCode, error.message.slice(0, 120));
  } else {
    log.error({ err: error, doc: peer.documentId, peer: peer.id }, `closing connection: ${what}`);
    peer.close(CloseCode.InternalError, 'internal error');
  }
}
