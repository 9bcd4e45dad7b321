/**
 * Protocol clients of the load generator.
 *
 * - LightClient: speaks the real y-websocket protocol (sync step 1/2, updates, awareness) over its own
 *   socket, but does not integrate what it receives: it hands each incoming update to a callback that
 *   timestamps it. With a Y.Doc (typists) it produces genuine Yjs updates from real local edits; the
 *   doc only integrates remote updates until the client has what it needs (see `applyRemote`).
 *   Hundreds of these cost little, so the harness does not compete with the server for the CPU.
 * - Observer: the real y-websocket WebsocketProvider with a full Y.Doc, one per document, used to set
 *   up the document and to check at the end that a real client converged to the expected content.
 *
 * Both go through the same Framing, so the same code runs against every server.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import { framingFor, socketOptions, socketUrl, type DocTarget, type Framing } from './framing';
import {
  EMPTY_STATE_VECTOR,
  EMPTY_UPDATE,
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
  awarenessMessage,
  syncStep1Message,
  syncStep2Message,
  updateMessage,
} from './protocol';

/** Transaction origin of updates that came from the server, so they are not sent back. */
const REMOTE = Symbol('remote');

export type UpdateListener = (arrival: number, update: Uint8Array) => void;

export interface LightClientOptions {
  target: DocTarget;
  /** Awareness clientID; a typist uses its doc's clientID, as real providers do. */
  awarenessId: number;
  awarenessState: unknown;
  /** Typists only: the doc their edits are made in. */
  doc?: Y.Doc;
  onUpdate?: UpdateListener;
  /** Every sync step 2 after the first (answers to step 1s the client sent later), on arrival. */
  onLaterSyncStep2?: (arrival: number) => void;
}

/**
 * Reads one y-websocket message; calls `onUpdate` for sync step 2 and update payloads.
 * Returns the reply to send, if any. Shared by light clients and the observer's timing hook.
 */
function readMessage(
  message: Uint8Array,
  arrival: number,
  handlers: {
    onUpdate?: UpdateListener;
    onStep1?: (stateVector: Uint8Array) => Uint8Array | null;
    onStep2?: (arrival: number) => void;
    onAwareness?: () => void;
    onQueryAwareness?: () => Uint8Array | null;
    onDenied?: () => void;
  },
): Uint8Array | null {
  const decoder = decoding.createDecoder(message);
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MESSAGE_SYNC: {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === SYNC_STEP1) return handlers.onStep1?.(payload) ?? null;
      if (step === SYNC_STEP2 || step === SYNC_UPDATE) {
        handlers.onUpdate?.(arrival, payload);
        if (step === SYNC_STEP2) handlers.onStep2?.(arrival);
      }
      return null;
    }
    case MESSAGE_AWARENESS:
      handlers.onAwareness?.();
      return null;
    case MESSAGE_QUERY_AWARENESS:
      return handlers.onQueryAwareness?.() ?? null;
    case MESSAGE_AUTH:
      // y-protocols' auth message has a single kind: permission denied.
      handlers.onDenied?.();
      return null;
    default:
      return null;
  }
}

export class LightClient {
  readonly framing: Framing;
  private ws: WebSocket | null = null;
  private awarenessClock = 0;
  private awarenessState: unknown;
  private closing = false;
  /** While true, a typist integrates what it receives (until its paragraph exists locally). */
  applyRemote = true;
  awarenessReceived = 0;
  /** Set when the server closed the socket or it failed outside of close(). */
  unexpectedClose: string | null = null;

  constructor(readonly options: LightClientOptions) {
    this.framing = framingFor(options.target);
    this.awarenessState = options.awarenessState;
    const { doc } = options;
    if (doc) {
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== REMOTE) this.send(updateMessage(update));
      });
    }
  }

  /** Opens the socket and resolves once the server's sync step 2 arrived. */
  connect(timeoutMs = 20_000): Promise<void> {
    const { target, doc } = this.options;
    return new Promise((resolve, reject) => {
      let synced = false;
      const timer = setTimeout(() => {
        reject(new Error(`no sync within ${timeoutMs} ms from ${socketUrl(target)}`));
        this.close();
      }, timeoutMs);
      const ws = new WebSocket(socketUrl(target), socketOptions(target));
      this.ws = ws;
      ws.binaryType = 'nodebuffer';
      ws.on('open', () => {
        for (const frame of this.framing.handshake()) ws.send(frame);
        this.send(syncStep1Message(doc ? Y.encodeStateVector(doc) : EMPTY_STATE_VECTOR));
        this.sendAwareness();
      });
      // Built once per client: tsx compiles with esbuild's keepNames, which makes every closure
      // created in a hot path cost a defineProperty call (it showed up at ~15% of the harness CPU).
      const handlers = {
        onUpdate: (time: number, update: Uint8Array): void => {
          if (doc && this.applyRemote) Y.applyUpdate(doc, update, REMOTE);
          this.options.onUpdate?.(time, update);
        },
        onStep1: (stateVector: Uint8Array): Uint8Array =>
          syncStep2Message(doc ? Y.encodeStateAsUpdate(doc, stateVector) : EMPTY_UPDATE),
        onStep2: (arrival: number): void => {
          if (synced) {
            this.options.onLaterSyncStep2?.(arrival);
            return;
          }
          synced = true;
          clearTimeout(timer);
          resolve();
        },
        onAwareness: (): void => {
          this.awarenessReceived++;
        },
        onQueryAwareness: (): Uint8Array => awarenessMessage(this.options.awarenessId, this.awarenessClock, this.awarenessState),
        onDenied: (): void => {
          throw new Error('server denied access (y-websocket auth message)');
        },
      };
      ws.on('message', (data: Buffer) => {
        const arrival = performance.now();
        try {
          const message = this.framing.unwrap(data);
          if (message === null) return;
          const reply = readMessage(message, arrival, handlers);
          if (reply) this.send(reply);
        } catch (error) {
          this.unexpectedClose = `protocol error: ${(error as Error).message}`;
          ws.terminate();
        }
      });
      ws.on('error', (error) => {
        if (!synced) {
          clearTimeout(timer);
          reject(error);
        }
        if (!this.closing) this.unexpectedClose ??= `socket error: ${error.message}`;
      });
      ws.on('close', (code, reason) => {
        if (!synced) {
          clearTimeout(timer);
          reject(new Error(`closed before sync: ${code} ${reason.toString()}`));
        }
        if (!this.closing) this.unexpectedClose ??= `closed by server: ${code} ${reason.toString()}`;
      });
    });
  }

  send(message: Uint8Array): void {
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(this.framing.wrap(message));
  }

  /** Bytes queued in the socket but not yet handed to the kernel. */
  get bufferedAmount(): number {
    return this.ws?.bufferedAmount ?? 0;
  }

  /** Publishes a new awareness state (a cursor move, like an editor on every keystroke). */
  setAwareness(state: unknown): void {
    this.awarenessState = state;
    this.sendAwareness();
  }

  /**
   * Re-sends the unchanged state with a new clock, as y-protocols' Awareness does every 15 s:
   * servers drop remote states not renewed within 30 s.
   */
  renewAwareness(): void {
    this.sendAwareness();
  }

  private sendAwareness(): void {
    this.awarenessClock++;
    this.send(awarenessMessage(this.options.awarenessId, this.awarenessClock, this.awarenessState));
  }

  close(): void {
    this.closing = true;
    this.ws?.close();
  }
}

/**
 * A WebSocket class for WebsocketProvider's `WebSocketPolyfill` option: a `ws` socket behind the
 * browser-style interface the provider uses, with frames passed through the server's Framing and a
 * hook that sees every incoming message (with its arrival time) before the provider does, and the
 * target's upgrade headers (the provider itself can't set any, like a browser).
 */
export function framedSocketClass(target: DocTarget, onMessage?: (arrival: number, message: Uint8Array) => void) {
  const framing = framingFor(target);
  const options = socketOptions(target);
  return class FramedSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSING = 2;
    readonly CLOSED = 3;
    binaryType = 'arraybuffer';
    onopen: ((event: unknown) => void) | null = null;
    onmessage: ((event: { data: Uint8Array }) => void) | null = null;
    onclose: ((event: { code: number; reason: string }) => void) | null = null;
    onerror: ((event: unknown) => void) | null = null;
    private readonly ws: WebSocket;

    constructor(url: string, protocols?: string | string[]) {
      this.ws = new WebSocket(url, protocols ?? [], options);
      this.ws.on('open', () => {
        for (const frame of framing.handshake()) this.ws.send(frame);
        this.onopen?.({});
      });
      this.ws.on('message', (data: Buffer) => {
        const arrival = performance.now();
        let message: Uint8Array | null;
        try {
          message = framing.unwrap(data);
        } catch (error) {
          console.error(`observer: ${(error as Error).message}`);
          this.ws.terminate();
          return;
        }
        if (message === null) return;
        onMessage?.(arrival, message);
        this.onmessage?.({ data: message });
      });
      this.ws.on('close', (code, reason) => this.onclose?.({ code, reason: reason.toString() }));
      this.ws.on('error', (error) => this.onerror?.(error));
    }

    get readyState(): number {
      return this.ws.readyState;
    }

    send(data: Uint8Array | ArrayBuffer): void {
      this.ws.send(framing.wrap(data instanceof Uint8Array ? data : new Uint8Array(data)));
    }

    close(): void {
      this.ws.close();
    }
  };
}

export interface Observer {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Times the provider's socket closed while the bench still needed it. */
  disconnects: number;
  destroy(): void;
}

/** Opens a full WebsocketProvider client and resolves once it is synced. */
export function openObserver(
  target: DocTarget,
  options: { user: { name: string; color: string }; onUpdate?: UpdateListener; timeoutMs?: number },
): Promise<Observer> {
  const doc = new Y.Doc();
  const handlers = { onUpdate: options.onUpdate };
  const onMessage = options.onUpdate
    ? (arrival: number, message: Uint8Array): void => {
        readMessage(message, arrival, handlers);
      }
    : undefined;
  const WebSocketClass = framedSocketClass(target, onMessage);
  const provider = new WebsocketProvider(target.serverUrl, target.room, doc, {
    WebSocketPolyfill: WebSocketClass as unknown as typeof globalThis.WebSocket,
    // Same-process providers of one room would otherwise sync through a BroadcastChannel.
    disableBc: true,
  });
  provider.awareness.setLocalState({ user: options.user, cursor: null });
  let destroyed = false;
  const observer: Observer = {
    doc,
    provider,
    disconnects: 0,
    destroy() {
      destroyed = true;
      provider.destroy();
      doc.destroy();
    },
  };
  provider.on('connection-close', () => {
    if (!destroyed) observer.disconnects++;
  });
  const timeoutMs = options.timeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    if (provider.synced) return resolve(observer);
    const timer = setTimeout(() => {
      observer.destroy();
      reject(new Error(`observer not synced within ${timeoutMs} ms (${target.serverUrl}/${target.room})`));
    }, timeoutMs);
    const onSync = (isSynced: boolean): void => {
      if (!isSynced) return;
      clearTimeout(timer);
      provider.off('sync', onSync);
      resolve(observer);
    };
    provider.on('sync', onSync);
  });
}

/** Resolves when `condition()` holds, re-checking after each update of `doc` (and every 100 ms). */
export function waitForDoc(doc: Y.Doc, condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (condition()) return resolve();
    const check = (): void => {
      if (!condition()) return;
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const poll = setInterval(check, 100);
    const cleanup = (): void => {
      clearTimeout(timer);
      clearInterval(poll);
      doc.off('update', check);
    };
    doc.on('update', check);
  });
}
