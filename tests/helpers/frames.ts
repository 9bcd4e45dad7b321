/** Hand-built protocol frames, for tests that speak to the server as a crafted (not stock) client. */
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
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
