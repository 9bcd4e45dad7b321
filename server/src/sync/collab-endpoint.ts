import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { COLLAB_PATH, isDocumentId } from '../../../shared/protocol/index';
import type { DocStore } from '../store/index';
import { serveConnection } from './connection';
import type { RoomRegistry } from './room-registry';

export interface CollabEndpointOptions {
  store: DocStore;
  registry: RoomRegistry;
  log: Logger;
  maxMessageBytes: number;
  maxBufferedBytes: number;
  /** Sockets that don't answer a ping within this interval are dropped. */
  keepaliveMs: number;
}

export interface CollabEndpoint {
  /** Handles an HTTP upgrade; returns false if the path is not the collaboration endpoint. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): void;
}

function refuse(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: { code: status === 404 ? 'not_found' : 'invalid_request', message } });
  socket.end(
    `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Bad Request'}\r\n` +
      'Content-Type: application/json\r\nConnection: close\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
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
        refuse(socket, 400, 'not a document id');
        return true;
      }
      options.store.getDocument(docId).then(
        (record) => {
          if (!record) return refuse(socket, 404, 'no such document');
          wss.handleUpgrade(request, socket, head, (ws) => {
            alive.add(ws);
            ws.on('pong', () => alive.add(ws));
            serveConnection(ws, docId, options);
          });
        },
        (error) => {
          log.error({ err: error, doc: docId }, 'upgrade failed');
          socket.destroy();
        },
      );
      return true;
    },
    close() {
      clearInterval(keepalive);
      for (const socket of wss.clients) socket.terminate();
      wss.close();
    },
  };
}
