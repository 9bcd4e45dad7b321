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
  /** Caps on sockets and upgrades (DEFAULT_COLLAB_LIMITS for what is left out). */
  limits?: Partial<CollabLimits>;
  /** The client's address as the rest of the server sees it (behind a trusted proxy, the forwarded one). */
  clientAddress?(request: IncomingMessage): string;
}

/**
 * What one client can hold open on this process. Counted per process: with several processes
 * behind a load balancer, an account can hold this many on each.
 */
export interface CollabLimits {
  /** Sockets one account may have open, or being opened once authorized (429 beyond). */
  maxSocketsPerAccount: number;
  /** Sockets one client address may have open or being checked (429 beyond); a meeting room behind one NAT shares one. */
  maxSocketsPerAddress: number;
  /** Upgrades being checked at once, from everyone (503 beyond). */
  maxPendingUpgrades: number;
  /** An upgrade whose check has not finished by then is refused with 503 (a store that hangs, say). */
  upgradeTimeoutMs: number;
}

export const DEFAULT_COLLAB_LIMITS: CollabLimits = {
  maxSocketsPerAccount: 50,
  maxSocketsPerAddress: 200,
  maxPendingUpgrades: 500,
  upgradeTimeoutMs: 5_000,
};

/** Sockets held per key (account, address), each key up to a cap. */
class SocketCounts {
  private readonly counts = new Map<string, number>();

  constructor(readonly cap: number) {}

  /** Takes a slot for `key` if it has one left. */
  take(key: string): boolean {
    const count = this.counts.get(key) ?? 0;
    if (count >= this.cap) return false;
    this.counts.set(key, count + 1);
    return true;
  }

  release(key: string): void {
    const count = (this.counts.get(key) ?? 0) - 1;
    if (count > 0) this.counts.set(key, count);
    else this.counts.delete(key);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}

/** Sockets held per account and per address, and upgrades being checked, on this process. */
export interface CollabSocketCounts {
  pendingUpgrades: number;
  byAccount: Record<string, number>;
  byAddress: Record<string, number>;
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
  /** What the caps count right now (for health checks and tests). */
  socketCounts(): CollabSocketCounts;
  /**
   * For a graceful stop: refuses new upgrades, ends those being checked, and closes every open
   * socket with 1001 through the close handshake, still handling the frames that arrive until the
   * client's close frame (the frames it sent before it heard of the close: they are in the room, and
   * stored, when the room is flushed). Resolves when every socket closed, or after `timeoutMs`, when
   * those left are terminated (how many is logged).
   */
  drain(timeoutMs: number): Promise<void>;
  close(): void;
}

const RECENT_CHANGES_MS = 60_000;
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/**
 * Answers an upgrade request with a plain HTTP error (the socket never opens), then closes the
 * connection once the answer is written (a client that keeps its side open holds nothing).
 */
function refuse(socket: Duplex, status: number, code: string, message: string, retryAfterSeconds?: number): void {
  const body = JSON.stringify({ error: { code, message } });
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\n` +
      'Content-Type: application/json\r\nConnection: close\r\n' +
      (status === 401 ? 'WWW-Authenticate: Bearer\r\n' : '') +
      (retryAfterSeconds === undefined ? '' : `Retry-After: ${retryAfterSeconds}\r\n`) +
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
  const limits: CollabLimits = { ...DEFAULT_COLLAB_LIMITS, ...options.limits };
  const clientAddress = options.clientAddress ?? ((request: IncomingMessage) => request.socket.remoteAddress ?? 'unknown');
  const byAccount = new SocketCounts(limits.maxSocketsPerAccount);
  const byAddress = new SocketCounts(limits.maxSocketsPerAddress);
  /** Upgrades being checked: their sockets, ended on close(). */
  const pending = new Set<Duplex>();
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
  let draining = false;

  const keepalive = setInterval(() => {
    for (const socket of wss.clients) {
      // Not read on purpose while the store catches up (its pong waits unread): not dead.
      if (socket.isPaused) continue;
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
      if (draining) {
        refuse(socket, 503, 'shutting_down', 'the server is shutting down; try again in a moment', 1);
        return true;
      }
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
      if (pending.size >= limits.maxPendingUpgrades) {
        log.warn({ doc: docId, pending: pending.size }, 'websocket refused: too many upgrades being checked');
        refuse(socket, 503, 'server_busy', 'too many connections are being opened right now; try again in a moment', 1);
        return true;
      }
      const address = clientAddress(request);
      if (!byAddress.take(address)) {
        log.warn({ doc: docId, address }, 'websocket refused: too many sockets from one address');
        refuse(
          socket,
          429,
          'too_many_connections',
          `this address already has ${limits.maxSocketsPerAddress} collaboration sockets open on this server (the limit per address); close some first`,
          5,
        );
        return true;
      }
      // From here the socket holds a slot of its address, and once authorized one of its account,
      // until the connection closes, whichever way it closes (refused, dropped, closed, terminated).
      let account: string | null = null;
      socket.once('close', () => {
        byAddress.release(address);
        if (account !== null) byAccount.release(account);
      });
      pending.add(socket);
      /** Ends the check once: false if it had ended already (timed out, or decided). */
      const decide = (): boolean => {
        if (!pending.delete(socket)) return false;
        clearTimeout(timer);
        return true;
      };
      const timer = setTimeout(() => {
        if (!decide() || socket.destroyed) return;
        log.warn({ doc: docId, ms: limits.upgradeTimeoutMs }, 'websocket refused: the upgrade was not decided in time');
        refuse(socket, 503, 'upgrade_timeout', `the connection could not be checked within ${limits.upgradeTimeoutMs} ms; try again`, 1);
      }, limits.upgradeTimeoutMs);
      timer.unref();
      const authorizedAtSeq = changeSeq;
      options.authorize(request, docId).then(
        (decision) => {
          // Timed out meanwhile (already answered), or the client went away while it was checked.
          if (!decide() || socket.destroyed) return;
          if (decision.status !== 'allowed') {
            log.debug({ doc: docId, status: decision.status, code: decision.code }, 'websocket refused');
            return refuse(socket, decision.status, decision.code, decision.message);
          }
          if (!byAccount.take(decision.access.userId)) {
            log.warn({ doc: docId, user: decision.access.userId }, 'websocket refused: too many sockets of one account');
            return refuse(
              socket,
              429,
              'too_many_connections',
              `this account already has ${limits.maxSocketsPerAccount} collaboration sockets open on this server (the limit per account); close some first`,
              5,
            );
          }
          account = decision.access.userId;
          wss.handleUpgrade(request, socket, head, (ws) => {
            alive.add(ws);
            ws.on('pong', () => alive.add(ws));
            const peer = serveConnection(ws, docId, decision.access, { ...options, onClose: (closed) => peers.delete(closed), isDraining: () => draining });
            peers.add(peer);
            for (const { seq, change } of recentChanges) if (seq > authorizedAtSeq) applyToPeer(peer, change);
          });
        },
        (error) => {
          if (!decide()) return;
          log.error({ err: error, doc: docId }, 'upgrade failed');
          socket.destroy();
        },
      ).catch((error: unknown) => {
        // Opening the connection failed after it was authorized: only this socket goes.
        log.error({ err: error, doc: docId }, 'upgrade failed after authorization');
        socket.destroy();
      });
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
    socketCounts() {
      return { pendingUpgrades: pending.size, byAccount: byAccount.snapshot(), byAddress: byAddress.snapshot() };
    },
    async drain(timeoutMs) {
      draining = true;
      for (const socket of pending) socket.destroy();
      const open = [...wss.clients];
      const closed = open.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === socket.CLOSED) return resolve();
            socket.once('close', () => resolve());
          }),
      );
      for (const socket of open) {
        socket.close(CloseCode.GoingAway, 'server shutting down');
        // A socket that back-pressure stopped reading (the store was behind) holds frames its client
        // sent, and will hold the client's close frame behind them: read it to the end like the others
        // (the room no longer pauses sockets while draining; their edits are stored when it is flushed).
        socket.resume();
      }
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs)));
      const expired = await Promise.race([Promise.all(closed).then(() => false), timedOut]);
      clearTimeout(timer);
      if (expired) {
        const left = open.filter((socket) => socket.readyState !== socket.CLOSED);
        log.warn({ sockets: left.length, ms: timeoutMs }, 'shutdown: terminating sockets that did not finish closing');
        for (const socket of left) socket.terminate();
      }
    },
    close() {
      clearInterval(keepalive);
      for (const socket of wss.clients) socket.terminate();
      for (const socket of pending) socket.destroy();
      wss.close();
    },
  };
}
