/**
 * What the rooms of one document in different server processes tell each other (through
 * fanout/): one kind byte, then the payload.
 *
 *   0 update     a Yjs update this process has stored (persisted before it is sent)
 *   1 awareness  an awareness update from this process's connections
 *   2 resync     "I may have missed messages, and you mine": catch up from storage
 */
export type RoomMessage = { kind: 'update'; update: Uint8Array } | { kind: 'awareness'; update: Uint8Array } | { kind: 'resync' };

const KINDS = ['update', 'awareness', 'resync'] as const;

export function encodeRoomMessage(message: RoomMessage): Uint8Array {
  const payload = message.kind === 'resync' ? new Uint8Array(0) : message.update;
  const bytes = new Uint8Array(1 + payload.length);
  bytes[0] = KINDS.indexOf(message.kind);
  bytes.set(payload, 1);
  return bytes;
}

/** Throws on a kind it doesn't know (a process of a newer version, say). */
export function decodeRoomMessage(bytes: Uint8Array): RoomMessage {
  const kind = KINDS[bytes[0]];
  if (kind === undefined) throw new Error(`unknown room message kind ${bytes[0]}`);
  if (kind === 'resync') return { kind };
  return { kind, update: bytes.subarray(1) };
}
