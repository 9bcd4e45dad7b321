import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import WebSocket from 'ws';
import { CloseCode } from '../../../shared/protocol/index';
import { closePeerAfterError, type Peer, type PeerAccess } from './peer';
import { decodeClientMessage, ProtocolError } from './protocol';
import type { Room } from './room';
import type { RoomRegistry } from './room-registry';

export interface ConnectionOptions {
  registry: RoomRegistry;
  log: Logger;
  /** A peer that lets this much unsent data pile up is disconnected (it resyncs on reconnect). */
  maxBufferedBytes: number;
  onClose(peer: Peer): void;
  /**
   * True once the server is stopping: every socket is then read to its end (its close frame), so
   * back-pressure no longer stops reading one (what it sent before the close is stored at the stop).
   */
  isDraining?(): boolean;
}

let nextPeerId = 1;

/**
 * Serves one websocket for one document: decodes frames, hands them to the room, and closes only
 * this socket on anything malformed. Frames that arrive while the room loads are queued.
 * Returns the peer, whose `access` the caller keeps current.
 */
export function serveConnection(socket: WebSocket, docId: string, access: PeerAccess, options: ConnectionOptions): Peer {
  const { registry, log } = options;
  let room: Room | null = null;
  let closed = false;
  const queued: { data: Buffer; isBinary: boolean }[] = [];
  /** Whether frames may be sent now; a peer that let too much pile up unsent is closed instead. */
  const canSend = (): boolean => {
    if (socket.readyState !== WebSocket.OPEN) return false;
    if (socket.bufferedAmount <= options.maxBufferedBytes) return true;
    log.warn({ doc: docId, peer: peer.id, buffered: socket.bufferedAmount }, 'closing a connection that stopped reading');
    socket.close(CloseCode.SlowConsumer, 'connection too slow');
    return false;
  };
  const peer: Peer = {
    id: nextPeerId++,
    documentId: docId,
    access,
    awarenessClientIds: new Set(),
    send(frame) {
      if (canSend()) socket.send(frame);
    },
    pauseReading() {
      if (!options.isDraining?.()) socket.pause();
    },
    resumeReading: () => socket.resume(),
    close(code, reason) {
      // Frames still in flight after this are ignored (e.g. writes right after access was revoked).
      closed = true;
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.close(code, reason);
    },
    sendFrames(outgoing) {
      if (!canSend()) return;
      if (direct && direct.queue.length === 0 && direct.stream.writable) direct.stream.write(outgoing.wire);
      else for (const frame of outgoing.frames) socket.send(frame);
    },
  };
  // After `peer`, before any frame can be sent (sendFrames is only called once the room has the peer).
  const direct = directWriter(socket);

  const handle = (data: Buffer, isBinary: boolean): void => {
    if (closed || !room) return;
    try {
      if (!isBinary) throw new ProtocolError('text frames are not part of the protocol', CloseCode.MalformedMessage);
      room.receive(peer, decodeClientMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
    } catch (error) {
      closePeerAfterError(peer, error, log, error instanceof ProtocolError ? 'bad frame' : 'unexpected error handling a frame');
    }
  };

  socket.on('message', (data: Buffer, isBinary: boolean) => {
    if (room) handle(data, isBinary);
    else queued.push({ data, isBinary });
  });
  socket.on('error', (error: Error & { code?: string }) => {
    // ws closes the socket itself (e.g. 1009 for an oversize frame); we only record why.
    log.warn({ doc: docId, peer: peer.id, code: error.code, reason: error.message }, 'websocket error');
  });
  socket.on('close', () => {
    closed = true;
    options.onClose(peer);
    if (room) {
      room.removePeer(peer);
      registry.release(docId);
    }
  });

  registry.acquire(docId).then(
    (acquired) => {
      if (closed) {
        registry.release(docId);
        return;
      }
      room = acquired;
      room.addPeer(peer);
      for (const frame of queued.splice(0)) handle(frame.data, frame.isBinary);
    },
    (error) => {
      log.error({ err: error, doc: docId }, 'loading document failed');
      socket.close(CloseCode.InternalError, 'could not load document');
    },
  ).catch((error: unknown) => closePeerAfterError(peer, error, log, 'joining the room failed'));
  return peer;
}

/** What of ws's internals a direct write relies on (ws 8: `_socket`, `_sender._queue`). */
interface WsInternals {
  _socket?: Duplex;
  _sender?: { _queue?: unknown[] };
}

/**
 * The stream under a websocket, for writing frames framed once for many connections
 * (OutgoingFrames) straight to it. Safe only while ws has nothing of its own waiting to be written:
 * without a compression extension ws writes every frame at once, so a direct write lands in order
 * with ws's own (pings, close); a sender with a queue (compressing) falls back to ws.send. null
 * when ws's internals are not what this expects (another ws version): ws.send is used then.
 */
export function directWriter(socket: WebSocket): { stream: Duplex; queue: unknown[] } | null {
  const { _socket: stream, _sender: sender } = socket as unknown as WsInternals;
  const queue = sender?._queue;
  if (socket.extensions !== '' || !stream || typeof stream.write !== 'function' || !Array.isArray(queue)) return null;
  return { stream, queue };
}
