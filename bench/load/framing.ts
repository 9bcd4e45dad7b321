/**
 * How a server frames y-websocket protocol messages on the wire.
 *
 * Concord and the classic y-websocket server speak plain y-websocket: one protocol message per
 * WebSocket frame, the document named by the URL. Hocuspocus multiplexes documents over one socket:
 * every frame starts with the document name (varString), it waits for an auth message before it
 * handles anything else, it replies to SyncStep1 with a "SyncReply" (type 4) carrying its own
 * SyncStep1, and it acknowledges every update with a "SyncStatus" (type 8).
 *
 * A Framing turns that into plain y-websocket messages so that exactly the same client code (light
 * protocol clients and the full WebsocketProvider observer) runs against every server.
 */
import * as encoding from 'lib0/encoding';

export type FramingName = 'y-websocket' | 'hocuspocus';

/** Where one document lives: `${serverUrl}/${room}` is the socket URL, as WebsocketProvider builds it. */
export interface DocTarget {
  framing: FramingName;
  serverUrl: string;
  room: string;
  /**
   * HTTP headers of the websocket upgrade, for servers that authenticate it (Concord:
   * `Authorization: Bearer <token>`); absent for the others.
   */
  headers?: Record<string, string>;
}

export interface Framing {
  /** Frames to send right after the socket opens, before any protocol message. */
  handshake(): Uint8Array[];
  /** Wraps one y-websocket protocol message into a frame. */
  wrap(message: Uint8Array): Uint8Array;
  /** Unwraps one frame into a y-websocket protocol message, or null for server-specific frames. */
  unwrap(frame: Uint8Array): Uint8Array | null;
}

export const socketUrl = (target: DocTarget): string => `${target.serverUrl}/${target.room}`;

/**
 * Where the k-th client of a document connects, given the document's target on each process of
 * the server: clients are spread evenly over the processes.
 */
export const targetOfClient = (targets: DocTarget[], k: number): DocTarget => targets[k % targets.length];

/** `ws` client options for a target's sockets: its upgrade headers, if it has any. */
export const socketOptions = (target: DocTarget): { headers: Record<string, string> } | undefined =>
  target.headers ? { headers: target.headers } : undefined;

const plain: Framing = {
  handshake: () => [],
  wrap: (message) => message,
  unwrap: (frame) => frame,
};

// Hocuspocus message types (@hocuspocus/server src/types.ts) and auth sub-types (@hocuspocus/common).
const HP_SYNC = 0;
const HP_AWARENESS = 1;
const HP_AUTH = 2;
const HP_QUERY_AWARENESS = 3;
const HP_SYNC_REPLY = 4;
const HP_AUTH_TOKEN = 0;
const HP_AUTH_PERMISSION_DENIED = 1;

function hocuspocusFraming(documentName: string): Framing {
  const prefixEncoder = encoding.createEncoder();
  encoding.writeVarString(prefixEncoder, documentName);
  const prefix = encoding.toUint8Array(prefixEncoder);

  const hasPrefix = (frame: Uint8Array): boolean => {
    if (frame.length <= prefix.length) return false;
    for (let i = 0; i < prefix.length; i++) if (frame[i] !== prefix[i]) return false;
    return true;
  };

  return {
    handshake() {
      // The provider always authenticates first; without an onAuthenticate hook any token passes.
      const encoder = encoding.createEncoder();
      encoding.writeUint8Array(encoder, prefix);
      encoding.writeVarUint(encoder, HP_AUTH);
      encoding.writeVarUint(encoder, HP_AUTH_TOKEN);
      encoding.writeVarString(encoder, '');
      return [encoding.toUint8Array(encoder)];
    },
    wrap(message) {
      const frame = new Uint8Array(prefix.length + message.length);
      frame.set(prefix, 0);
      frame.set(message, prefix.length);
      return frame;
    },
    unwrap(frame) {
      if (!hasPrefix(frame)) return null; // another document on the socket (never happens here)
      const type = frame[prefix.length];
      switch (type) {
        case HP_SYNC:
        case HP_AWARENESS:
        case HP_QUERY_AWARENESS:
          return frame.subarray(prefix.length);
        case HP_SYNC_REPLY: {
          // Same payload as a sync message; only Hocuspocus' provider cares about the difference
          // (it must not answer with yet another SyncStep1, which a y-websocket client never does).
          const message = frame.slice(prefix.length);
          message[0] = HP_SYNC;
          return message;
        }
        case HP_AUTH:
          if (frame[prefix.length + 1] === HP_AUTH_PERMISSION_DENIED) {
            throw new Error(`hocuspocus denied access to ${documentName}`);
          }
          return null; // "authenticated"
        default:
          return null; // SyncStatus acks, stateless and close notices: not part of y-websocket
      }
    },
  };
}

export function framingFor(target: DocTarget): Framing {
  return target.framing === 'hocuspocus' ? hocuspocusFraming(target.room) : plain;
}
