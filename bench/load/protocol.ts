/**
 * Encoders for the y-websocket protocol messages the load clients send, written against lib0 so a
 * light client needs no Y.Doc and no y-protocols Awareness instance (whose per-instance timers and
 * JSON round trips would multiply by hundreds of clients).
 */
import * as encoding from 'lib0/encoding';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

/** A Yjs v1 update with no structs and an empty delete set: what an empty Y.Doc has to offer. */
export const EMPTY_UPDATE = new Uint8Array([0, 0]);
/** The state vector of an empty Y.Doc. */
export const EMPTY_STATE_VECTOR = new Uint8Array([0]);

function syncMessage(step: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export const syncStep1Message = (stateVector: Uint8Array): Uint8Array => syncMessage(SYNC_STEP1, stateVector);
export const syncStep2Message = (update: Uint8Array): Uint8Array => syncMessage(SYNC_STEP2, update);
export const updateMessage = (update: Uint8Array): Uint8Array => syncMessage(SYNC_UPDATE, update);

/**
 * One client's awareness update, byte-identical to y-protocols' encodeAwarenessUpdate for a single
 * client: [count=1][clientID][clock][JSON state].
 */
export function awarenessMessage(clientId: number, clock: number, state: unknown): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, clientId);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, JSON.stringify(state));
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner));
  return encoding.toUint8Array(encoder);
}

const COLORS = ['#30bced', '#6eeb83', '#ffbc42', '#ecd444', '#ee6352', '#9ac2c9', '#8acb88', '#1be7ff'];

/** The `user` field every Concord client puts in its awareness state (shared/protocol AwarenessUser). */
export const benchUser = (index: number): { name: string; color: string } => ({
  name: `bench editor ${index}`,
  color: COLORS[index % COLORS.length],
});

/** A random awareness clientID for a client without a Y.Doc (Yjs draws its clientIDs the same way). */
export const randomClientId = (): number => Math.floor(Math.random() * 0xffffffff);
