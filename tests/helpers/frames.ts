/** Hand-built protocol frames, for tests that speak to the server as a crafted (not stock) client. */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { authHeaders, type Auth } from './accounts';

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** A sync update frame (message 0, sync type 2) carrying a Yjs update. */
export const updateFrame = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, update);
  });

/** A sync step 2 frame (message 0, sync type 1) carrying a Yjs update. */
export const syncStep2Frame = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, update);
  });

/** An awareness frame with one entry. */
export const awarenessFrame = (clientId: number, clock: number, state: unknown): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(
      e,
      frame((u) => {
        encoding.writeVarUint(u, 1);
        encoding.writeVarUint(u, clientId);
        encoding.writeVarUint(u, clock);
        encoding.writeVarString(u, JSON.stringify(state));
      }),
    );
  });

/** What became of an upgrade request: the HTTP status it was refused with, or 'open' (socket returned). */
export function openSocket(
  url: string,
  options: { auth?: Auth; origin?: string } = {},
): Promise<{ status: number; socket?: undefined } | { status: 'open'; socket: WebSocket }> {
  return new Promise((resolve, reject) => {
    const headers = { ...authHeaders(options.auth), ...(options.origin ? { origin: options.origin } : {}) };
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve({ status: 'open', socket }));
    socket.once('unexpected-response', (_request, response) => {
      response.resume();
      socket.terminate();
      resolve({ status: response.statusCode ?? 0 });
    });
    socket.once('error', reject);
  });
}

/** Resolves with the close code once the server closes the socket. */
export function closeCodeOf(socket: WebSocket, timeoutMs = 5_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs);
    socket.once('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** A sync step 1 frame (message 0, sync type 0) carrying a state vector. */
export const syncStep1Frame = (stateVector: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint8Array(e, stateVector);
  });

/** The Yjs update or state vector inside a sync frame from the server. */
export function readSyncPayload(syncFrame: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(syncFrame);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  return decoding.readVarUint8Array(decoder);
}

export interface RawSocket {
  /** Resolves with the next frame from the server that `matches` (frames before it are skipped). */
  nextFrame(matches: (frame: Uint8Array) => boolean): Promise<Uint8Array>;
  /**
   * Sends a frame, then a query-awareness, and resolves when the awareness answer arrives: the
   * server handles a socket's frames in order, so by then it has handled `data`. (Needs someone's
   * presence in the room, or there is nothing to answer with.)
   */
  sendAndWait(data: Uint8Array): Promise<void>;
  /** Sends a frame without waiting for anything. */
  send(data: Uint8Array): void;
  close(): void;
}

/** A raw socket to a document with the owner's credentials (or `auth`), once open. */
export async function openRawSocket(target: { collabUrl: string; owner: { auth: Auth } }, docId: string, auth: Auth = target.owner.auth): Promise<RawSocket> {
  const opened = await openSocket(`${target.collabUrl}/${docId}`, { auth });
  if (opened.status !== 'open') throw new Error(`upgrade refused: ${opened.status}`);
  const { socket } = opened;
  const waiters: { matches: (frame: Uint8Array) => boolean; resolve: (frame: Uint8Array) => void }[] = [];
  socket.on('message', (data: Buffer) => {
    const received = new Uint8Array(data);
    const index = waiters.findIndex((waiter) => waiter.matches(received));
    if (index >= 0) waiters.splice(index, 1)[0].resolve(received);
  });
  const nextFrame = (matches: (frame: Uint8Array) => boolean) => new Promise<Uint8Array>((resolve) => waiters.push({ matches, resolve }));
  return {
    nextFrame,
    async sendAndWait(data) {
      const answered = nextFrame((received) => received[0] === 1);
      socket.send(data);
      socket.send(new Uint8Array([3]));
      await answered;
    },
    send: (data) => socket.send(data),
    close: () => socket.close(),
  };
}

/** The kinds of empty struct (or deletion of nothing) a crafted client can put in a Yjs update. */
export const EMPTY_STRUCT_KINDS = ['string', 'any', 'json', 'deleted', 'gc', 'delete-range'] as const;
export type EmptyStructKind = (typeof EMPTY_STRUCT_KINDS)[number];

/**
 * A Yjs update (v1) no real client writes: one struct of length 0 by `clientId` at the start of the
 * root fragment (a string of no characters, no values, a deletion of nothing, an empty gap), or, for
 * 'delete-range', a deletion of no items of `clientId`. Yjs applies it, and the doc is poisoned.
 */
export function emptyStructUpdate(kind: EmptyStructKind, clientId: number): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  if (kind === 'delete-range') {
    encoding.writeVarUint(encoder.restEncoder, 0); // no structs
    encoding.writeVarUint(encoder.restEncoder, 1); // deletions of one client
    encoding.writeVarUint(encoder.restEncoder, clientId);
    encoding.writeVarUint(encoder.restEncoder, 1);
    encoder.writeDsClock(0);
    encoder.writeDsLen(0);
    return encoder.toUint8Array();
  }
  encoding.writeVarUint(encoder.restEncoder, 1); // one client
  encoding.writeVarUint(encoder.restEncoder, 1); // one struct
  encoder.writeClient(clientId);
  encoding.writeVarUint(encoder.restEncoder, 0); // from clock 0
  if (kind === 'gc') {
    encoder.writeInfo(0);
    encoder.writeLen(0);
  } else {
    const content =
      kind === 'string' ? new Y.ContentString('') : kind === 'any' ? new Y.ContentAny([]) : kind === 'json' ? new Y.ContentJSON([]) : new Y.ContentDeleted(0);
    new Y.Item(Y.createID(clientId, 0), null, null, null, null, 'default' as never, null, content).write(encoder, 0);
  }
  encoding.writeVarUint(encoder.restEncoder, 0); // no deletions
  return encoder.toUint8Array();
}
