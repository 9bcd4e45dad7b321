/**
 * The y-websocket wire protocol, as spoken by the stock `y-websocket` WebsocketProvider.
 * This is the only module that reads or writes protocol bytes.
 *
 * Every frame is one binary websocket message:
 *
 *   message        = varUint(messageType) payload
 *   messageType    = 0 sync | 1 awareness | 2 auth (server → client only) | 3 query-awareness
 *   sync payload   = varUint(syncType) varUint8Array(data)
 *     syncType     = 0 step 1 (data = state vector) | 1 step 2 (data = update) | 2 update (data = update)
 *   awareness      = varUint8Array(awarenessUpdate)
 *   awarenessUpdate = varUint(n) { varUint(clientID) varUint(clock) varString(JSON state or "null") }*n
 *   query-awareness = (empty)
 *
 * Decoding is strict: a frame must be consumed exactly, JSON in awareness must parse, and anything
 * else raises ProtocolError carrying the close code the socket is closed with.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { CloseCode } from '../../../shared/protocol/index';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;

const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** Parsed JSON state; null means "this client left". */
  state: Record<string, unknown> | null;
}

export type ClientMessage =
  | { kind: 'sync-step-1'; stateVector: Uint8Array }
  | { kind: 'sync-step-2'; update: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; entries: AwarenessEntry[] }
  | { kind: 'query-awareness' };

export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly closeCode: number,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

function malformed(reason: string): ProtocolError {
  return new ProtocolError(`malformed frame: ${reason}`, CloseCode.MalformedMessage);
}

/** Runs a lib0 read and turns its out-of-bounds errors into ProtocolError. */
function read<T>(what: string, readFn: () => T): T {
  try {
    return readFn();
  } catch {
    throw malformed(`truncated ${what}`);
  }
}

/**
 * Reads a varUint that must be a safe integer: lib0 checks only the bytes before the last, so
 * ten bytes can still decode to a number past 2^53 (a client id or clock no real client has).
 */
function readUint(decoder: decoding.Decoder, what: string): number {
  const value = read(what, () => decoding.readVarUint(decoder));
  if (!Number.isSafeInteger(value)) throw malformed(`${what} out of range`);
  return value;
}

export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  if (frame.length === 0) throw malformed('empty frame');
  const decoder = decoding.createDecoder(frame);
  const messageType = read('message type', () => decoding.readVarUint(decoder));
  let message: ClientMessage;
  switch (messageType) {
    case MESSAGE_SYNC: {
      const syncType = read('sync type', () => decoding.readVarUint(decoder));
      const data = read('sync payload', () => decoding.readVarUint8Array(decoder));
      if (syncType === SYNC_STEP_1) message = { kind: 'sync-step-1', stateVector: checkStateVector(data) };
      else if (syncType === SYNC_STEP_2) message = { kind: 'sync-step-2', update: checkUpdate(data) };
      else if (syncType === SYNC_UPDATE) message = { kind: 'update', update: checkUpdate(data) };
      else throw new ProtocolError(`unknown sync message type ${syncType}`, CloseCode.UnknownMessageType);
      break;
    }
    case MESSAGE_AWARENESS: {
      const update = read('awareness payload', () => decoding.readVarUint8Array(decoder));
      message = { kind: 'awareness', entries: decodeAwarenessUpdate(update) };
      break;
    }
    case MESSAGE_QUERY_AWARENESS:
      message = { kind: 'query-awareness' };
      break;
    default:
      throw new ProtocolError(`unknown message type ${messageType}`, CloseCode.UnknownMessageType);
  }
  if (decoding.hasContent(decoder)) throw malformed('trailing bytes after message');
  return message;
}

/**
 * A state vector is read only later, when the room answers with what the client lacks; a broken
 * one must fail here, while the frame is being decoded, where the error closes just this socket.
 *
 *   stateVector = varUint(n) { varUint(clientID) varUint(clock) }*n
 */
function checkStateVector(stateVector: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(stateVector);
  const count = readUint(decoder, 'state vector length');
  // Each entry takes at least 2 bytes; a larger count is a lie.
  if (count * 2 > stateVector.length) throw malformed('state vector entry count exceeds frame');
  for (let i = 0; i < count; i++) {
    readUint(decoder, 'state vector client id');
    readUint(decoder, 'state vector clock');
  }
  if (decoding.hasContent(decoder)) throw malformed('trailing bytes after state vector');
  return stateVector;
}

function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = read('awareness count', () => decoding.readVarUint(decoder));
  // Each entry takes at least 3 bytes; a larger count is a lie that would make us loop for nothing.
  if (count > update.length) throw malformed('awareness entry count exceeds frame');
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = readUint(decoder, 'awareness client id');
    const clock = readUint(decoder, 'awareness clock');
    const json = read('awareness state', () => decoding.readVarString(decoder));
    let state: unknown;
    try {
      state = JSON.parse(json);
    } catch {
      throw malformed('awareness state is not JSON');
    }
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
      throw malformed('awareness state is not an object');
    }
    entries.push({ clientId, clock, state: state as AwarenessEntry['state'] });
  }
  if (decoding.hasContent(decoder)) throw malformed('trailing bytes after awareness update');
  return entries;
}

export function encodeAwarenessUpdate(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(encoder);
}

function encodeSync(syncType: number, data: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, data);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return encodeSync(SYNC_STEP_1, stateVector);
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return encodeSync(SYNC_STEP_2, update);
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  return encodeSync(SYNC_UPDATE, update);
}

/** Wraps an awareness update (as produced by y-protocols' encodeAwarenessUpdate) in a frame. */
export function encodeAwarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, awarenessUpdate);
  return encoding.toUint8Array(encoder);
}

/**
 * Yjs applies an update with an empty struct (a string of no characters, a deletion of nothing)
 * without complaint, but the doc is poisoned from then on: an honest editor's later deletion
 * around it throws inside Yjs, and every state encoded from it carries a zero-length deletion
 * that a new editor (or the store's next load) cannot apply. No real client writes one (Yjs's own
 * encoder refuses), so such an update is malformed. Whatever Yjs cannot read at all is too.
 */
function checkUpdate(update: Uint8Array): Uint8Array {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    throw malformed('unreadable Yjs update');
  }
  for (const struct of decoded.structs) {
    if (struct.length <= 0) throw malformed('Yjs update with an empty struct');
  }
  for (const deletions of decoded.ds.clients.values()) {
    for (const deletion of deletions) if (deletion.len <= 0) throw malformed('Yjs update deleting an empty range');
  }
  return update;
}
