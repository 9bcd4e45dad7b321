/**
 * A room's broadcast is framed once (OutgoingFrames) and written as is to every socket: the bytes
 * must be exactly the websocket messages ws would send, and the direct write must really be in use
 * with the ws version installed (it falls back to ws.send, silently slower, if ws's internals change).
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { fc, it } from '@fast-check/vitest';
import { expect } from 'vitest';
import * as wsModule from 'ws';
import WebSocket, { WebSocketServer } from 'ws';
import { directWriter } from '../../server/src/sync/connection';
import { OutgoingFrames } from '../../server/src/sync/outgoing-frames';

/** ws's own frame parser (exported by ws, not in its types), as a client runs it: server frames are not masked. */
interface FrameParser {
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  write(chunk: Buffer): void;
}
const { Receiver } = wsModule as unknown as { Receiver: new (options: { isServer: boolean; binaryType: string }) => FrameParser };

/** Payload lengths around the header's boundaries (7-bit, 16-bit, 64-bit lengths). */
const payloadLength = fc.oneof(fc.integer({ min: 0, max: 130 }), fc.integer({ min: 65_530, max: 65_540 }), fc.constantFrom(1000, 70_000));

function parse(wire: Buffer): Buffer[] {
  const messages: Buffer[] = [];
  const receiver = new Receiver({ isServer: false, binaryType: 'nodebuffer' });
  receiver.on('message', (data: Buffer, isBinary: boolean) => {
    expect(isBinary).toBe(true);
    messages.push(data);
  });
  receiver.on('error', (error: Error) => {
    throw error;
  });
  receiver.write(wire);
  return messages;
}

it.prop([fc.array(payloadLength, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 5000 })], { numRuns: 60 })(
  'frames each payload as one binary message that ws reads back byte for byte, in order',
  (lengths, split) => {
    const frames = lengths.map((length, i) => {
      const frame = new Uint8Array(length);
      for (let j = 0; j < length; j++) frame[j] = (i * 31 + j) & 0xff;
      return frame;
    });
    const outgoing = new OutgoingFrames(frames);
    expect(outgoing.wire).toBe(outgoing.wire); // built once, shared by every socket
    // Compared as bytes (deep equality of 64 KiB arrays element by element would take seconds).
    const same = (messages: Buffer[]): boolean => messages.length === frames.length && messages.every((m, i) => Buffer.compare(m, frames[i]) === 0);
    expect(same(parse(outgoing.wire))).toBe(true);
    // Also when the bytes arrive in two pieces, as TCP may deliver them.
    const cut = split % (outgoing.wire.length + 1);
    const receiver = new Receiver({ isServer: false, binaryType: 'nodebuffer' });
    const pieces: Buffer[] = [];
    receiver.on('message', (data: Buffer) => pieces.push(data));
    receiver.write(outgoing.wire.subarray(0, cut));
    receiver.write(outgoing.wire.subarray(cut));
    expect(same(pieces)).toBe(true);
  },
);

it('writes straight to the socket under a ws connection without compression, in order with ws.send', async () => {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await once(server, 'listening');
  try {
    const accepted = once(server, 'connection') as Promise<[WebSocket]>;
    // The client offers permessage-deflate, as browsers do; the server declines it.
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const received: number[][] = [];
    const expected = 4;
    const all = new Promise<void>((resolve) =>
      client.on('message', (data: Buffer) => {
        received.push([...data]);
        if (received.length === expected) resolve();
      }),
    );
    const [socket] = await accepted;
    const direct = directWriter(socket);
    expect(direct).not.toBeNull();
    socket.send(Uint8Array.of(1));
    direct!.stream.write(new OutgoingFrames([Uint8Array.of(2), Uint8Array.of(3, 3)]).wire);
    socket.send(Uint8Array.of(4));
    await all;
    expect(received).toEqual([[1], [2], [3, 3], [4]]);
    client.close();
  } finally {
    server.close();
  }
});

it('is not used when ws compresses (its sender may queue frames)', async () => {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: true });
  await once(server, 'listening');
  try {
    const accepted = once(server, 'connection') as Promise<[WebSocket]>;
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const [socket] = await accepted;
    await once(client, 'open');
    expect(socket.extensions).not.toBe('');
    expect(directWriter(socket)).toBeNull();
    client.close();
  } finally {
    server.close();
  }
});
