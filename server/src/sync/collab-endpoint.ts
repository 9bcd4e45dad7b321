import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode, COLLAB_PATH, isDocumentId } from '../../../shared/protocol/index';
import type { AccessChange } from '../auth/index';
import { serveConnection } from './connection';
import type { Peer, PeerAccess } from './peer';
import type { RoomRegistry } from './room-registry';

/** Whether an upgrade request may open a document, decided before anything is loaded. */
export type UpgradeDecision =
  | { status: 'allowed'; access: PeerAccess }
  | { status: 401 | 403 | 404; code: string; message: string };

export interface CollabEndpointOptions {
  registry: RoomRegistry;
  /** Checks the request's credentials and the person's role in the document's group. */
  authorize(request: IncomingMessage, documentId: string): Promise<UpgradeDecision>;
  /** Page origins allowed to open sockets (browsers send Origin; scripts with tokens usually don't). */
  allowsOrigin(origin: string | undefined): boolean;
  log: Logger;
  maxMessageBytes: number;
  maxBufferedBytes: number;
  /** Sockets that don't answer a ping within this interval are dropped. */
  keepaliveMs: number;
}

export interface CollabEndpoint {
  /** Handles an HTTP upgrade; returns false if the path is not the collaboration endpoint. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Makes open connections follow a change of rights at once: re-checked, or closed. */
  applyAccessChange(change: AccessChange): void;
  /**
   * Closes every connection so each reconnects and is authorized afresh: after changes of rights
   * made in other processes may have been missed (the fan-out was away).
   */
  reauthorizeAll(): void;
  close(): void;
}

const RECENT_CHANGES_MS = 60_000;
const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

/** Answers an upgrade request with a plain HTTP error (the socket never opens). */
function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\n` +
      'Content-Type: application/json\r\nConnection: close\r\n' +
      (status === 401 ? 'WWW-Authenticate: Bearer\r\n' : '') +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** Applies one access change to one connection, if it concerns it. */
function applyToPeer(peer: Peer, change: AccessChange): void {
  const { access } = peer;
  if (change.kind === 'group-deleted') {
    if (access.groupId === change.groupId) revoke(peer, CloseCode.DocumentDeleted, 'document deleted');
    return;
  }
  // In the process that deleted it the registry has closed these already; this is for the others.
  if (change.kind === 'document-deleted') {
    if (peer.documentId === change.documentId) revoke(peer, CloseCode.DocumentDeleted, 'document deleted');
    return;
  }
  if (access.userId !== change.userId) return;
  if (change.kind === 'credentials') {
    if (change.credentialId === undefined || change.credentialId === access.credentialId) revoke(peer, CloseCode.Unauthenticated, 'signed out');
  } else if (change.kind === 'profile') {
    access.name = change.name;
  } else if (access.groupId === change.groupId) {
    if (change.role === null) {
      revoke(peer, CloseCode.AccessRevoked, 'removed from the working group');
    } else if (change.role !== access.role) {
      // The new rights hold from now on this socket; closing makes the client reconnect and learn them.
      access.role = change.role;
      peer.close(CloseCode.RoleChanged, 'role changed');
    }
  }
}

/** Ends a connection's access at once (frames still in flight are ignored) and closes it. */
function revoke(peer: Peer, code: number, reason: string): void {
  peer.access.role = null;
  peer.close(code, reason);
}

/** `ws://HOST/collab/<documentId>`: the y-websocket endpoint. */
export function createCollabEndpoint(options: CollabEndpointOptions): CollabEndpoint {
  const { log } = options;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes,
    // Yjs updates are small and already compact; compression would cost CPU on every broadcast.
    perMessageDeflate: false,
  });
  const alive = new WeakSet<WebSocket>();
  const peers = new Set<Peer>();
  // Changes made while an upgrade was being authorized are applied to it once it is open, so a
  // removal racing a connection attempt cannot leave a socket with the old rights.
  let changeSeq = 0;
  const recentChanges: { seq: number; at: number; change: AccessChange }[] = [];

  const keepalive = setInterval(() => {
    for (const socket of wss.clients) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, options.keepaliveMs);
  keepalive.unref();

  return {
    handleUpgrade(request, socket, head) {
      const path = (request.url ?? '').split('?')[0];
      if (!path.startsWith(`${COLLAB_PATH}/`)) return false;
      socket.on('error', (error) => log.debug({ err: error }, 'upgrade socket error'));
      // Ids are plain ASCII; anything needing decoding (or failing to decode) is not an id.
      const docId = path.slice(COLLAB_PATH.length + 1);
      if (!isDocumentId(docId)) {
        refuse(socket, 400, 'invalid_request', 'not a document id');
        return true;
      }
      // A page on another site must not ride on the person's cookie (cross-site websocket hijacking).
      if (!options.allowsOrigin(request.headers.origin)) {
        log.warn({ doc: docId, origin: request.headers.origin }, 'websocket refused: foreign origin');
        refuse(socket, 403, 'forbidden_origin', 'this origin may not open collaboration sockets');
        return true;
      }
      const authorizedAtSeq = changeSeq;
      options.authorize(request, docId).then(
        (decision) => {
          if (decision.status !== 'allowed') {
            log.debug({ doc: docId, status: decision.status, code: decision.code }, 'websocket refused');
            return refuse(socket, decision.status, decision.code, decision.message);
          }
          wss.handleUpgrade(request, socket, head, (ws) => {
            alive.add(ws);
            ws.on('pong', () => alive.add(ws));
            const peer = serveConnection(ws, docId, decision.access, { ...options, onClose: (closed) => peers.delete(closed) });
            peers.add(peer);
            for (const { seq, change } of recentChanges) if (seq > authorizedAtSeq) applyToPeer(peer, change);
          });
        },
        (error) => {
          log.error({ err: error, doc: docId }, 'upgrade failed');
          socket.destroy();
        },
      );
      return true;
    },
    applyAccessChange(change) {
      recentChanges.push({ seq: ++changeSeq, at: Date.now(), change });
      while (recentChanges.length > 0 && recentChanges[0].at < Date.now() - RECENT_CHANGES_MS) recentChanges.shift();
      for (const peer of peers) applyToPeer(peer, change);
    },
    reauthorizeAll() {
      for (const peer of peers) peer.close(CloseCode.RoleChanged, 'access checked again after an outage');
    },
    close() {
      clearInterval(keepalive);
      for (const socket of wss.clients) socket.terminate();
      wss.close();
    },
  };
}
