/**
 * Generated frames against a real server process (fast-check): frames built from the protocol's
 * grammar (valid ones, then mutations of valid ones: truncations, bit flips, wrong lengths,
 * random state vectors, awareness JSON variants, huge varints, random bytes), sent by an editor,
 * a co-chair's token and an observer over many sockets, while two stock y-websocket editors work
 * on the same document.
 *
 * After every frame its socket must either answer (it is still usable) or be closed with a
 * documented protocol close code; after every batch the process must be alive and the two editors
 * must still exchange edits. A process that dies (the truncated-state-vector crash: one frame
 * ended the server for everyone) fails the property, and fast-check shrinks it to one frame.
 *
 * FUZZ_SEED=<n> repeats a run; FUZZ_RUNS=<n> changes how many batches are sent.
 */
import { fc, it } from '@fast-check/vitest';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { connect } from 'node:net';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CloseCode, META_MAP, META_TITLE } from '../../shared/protocol/index';
import { addMember, authHeaders, type Auth, type TestAccount } from '../helpers/accounts';
import { appendParagraph, connectClient, waitFor, waitForSync, type TestClient } from '../helpers/clients';
import { EMPTY_STRUCT_KINDS, emptyStructUpdate, type EmptyStructKind } from '../helpers/frames';
import { createDocument, spawnServerProcess, tempDataDir, type ServerProcess } from '../helpers/server';

const MAX_MESSAGE_BYTES = 65_536;
const BATCH_SIZE = 40;
const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
/** Close codes a frame may earn: the protocol's own, and ws's for an oversize frame. */
const PROTOCOL_CLOSE_CODES: number[] = [CloseCode.MalformedMessage, CloseCode.UnknownMessageType, CloseCode.MessageTooBig];
/** Longest the server may take to answer or close after one frame (generous: CI shares two cores). */
const FRAME_DEADLINE_MS = 20_000;

// ---------------------------------------------------------------------------------------------
// Frames, as data fast-check can generate and shrink; turned into bytes only when sent.

type Payload =
  | { kind: 'update'; clientId: number; text: string; asTitle: boolean }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'map-at-root'; key: string; value: string }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'empty-struct'; struct: EmptyStructKind; clientId: number }
  /** A state vector cut to `keep` bytes (a well-framed step 1 whose content is broken). */
  | { kind: 'state-vector'; entries: [number, number][]; keep: number };

type AwarenessState = { kind: 'json'; value: unknown } | { kind: 'raw'; text: string };

type FrameSpec =
  | { kind: 'sync'; syncType: number; payload: Payload }
  | { kind: 'step1'; entries: [number, number][] }
  | { kind: 'awareness'; entries: { clientId: number; clock: number; state: AwarenessState }[]; claimedCount?: number }
  | { kind: 'query-awareness' }
  | { kind: 'random'; bytes: Uint8Array }
  | { kind: 'text'; text: string }
  | { kind: 'huge-varint'; position: 'type' | 'sync-type' | 'length'; bytes: number[] };

type Mutation =
  | { kind: 'none' }
  | { kind: 'truncate'; keep: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'trailing'; bytes: Uint8Array };

interface FuzzFrame {
  spec: FrameSpec;
  mutation: Mutation;
  /** Which lane (socket and role) sends it. */
  lane: number;
}

const clientIdArb = fc.oneof(fc.nat({ max: 1000 }), fc.nat({ max: 2 ** 32 - 1 }), fc.maxSafeNat());
const clockArb = fc.oneof(fc.nat({ max: 100 }), fc.maxSafeNat());

const payloadArb: fc.Arbitrary<Payload> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('update' as const), clientId: fc.nat({ max: 2 ** 32 - 1 }), text: fc.string({ unit: 'grapheme', maxLength: 40 }), asTitle: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat({ max: 200 }), length: fc.nat({ max: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('map-at-root' as const), key: fc.string({ maxLength: 8 }), value: fc.string({ maxLength: 20 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 64 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('empty-struct' as const), struct: fc.constantFrom(...EMPTY_STRUCT_KINDS), clientId: fc.nat({ max: 2 ** 32 - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('state-vector' as const), entries: fc.array(fc.tuple(fc.nat({ max: 2 ** 32 - 1 }), fc.nat()), { maxLength: 4 }), keep: fc.nat({ max: 40 }) }) },
);

const jsonStateArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.record({ user: fc.record({ name: fc.string({ maxLength: 30 }), color: fc.string({ maxLength: 10 }) }, { requiredKeys: [] }) }, { requiredKeys: [] }),
  fc.record({ cursor: fc.record({ anchor: fc.jsonValue({ maxDepth: 3 }), head: fc.jsonValue({ maxDepth: 3 }) }) }),
  fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 5 }),
  // Deeply nested: must not overflow anything.
  fc.nat({ max: 2000 }).map((depth) => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`) as unknown),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 2000 }).map((big) => ({ user: { name: big } })),
);

const awarenessStateArb: fc.Arbitrary<AwarenessState> = fc.oneof(
  { weight: 4, arbitrary: jsonStateArb.map((value) => ({ kind: 'json' as const, value })) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', '{', '[1,2]', '"x"', '1e999', 'null', '{"user":', '\u0000'))
      .map((text) => ({ kind: 'raw' as const, text })),
  },
);

/** varUint bytes of numbers well past 2^53 (up to 2^70). */
const hugeVarintArb = fc.bigInt({ min: 2n ** 53n, max: 2n ** 70n }).map((value) => {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7fn) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return bytes;
});

const specArb: fc.Arbitrary<FrameSpec> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('sync' as const), syncType: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(0, 1, 2) }, { weight: 1, arbitrary: fc.nat({ max: 300 }) }), payload: payloadArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('step1' as const), entries: fc.array(fc.tuple(clientIdArb, clockArb), { maxLength: 8 }) }) },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        kind: fc.constant('awareness' as const),
        entries: fc.array(fc.record({ clientId: clientIdArb, clock: clockArb, state: awarenessStateArb }), { maxLength: 4 }),
        claimedCount: fc.nat({ max: 100_000 }),
      },
      { requiredKeys: ['kind', 'entries'] },
    ),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'query-awareness' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('random' as const), bytes: fc.uint8Array({ maxLength: 300 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('random' as const), bytes: fc.nat({ max: 120_000 }).map((n) => new Uint8Array(n).fill(0x41)) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('text' as const), text: fc.string({ maxLength: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge-varint' as const), position: fc.constantFrom('type' as const, 'sync-type' as const, 'length' as const), bytes: hugeVarintArb }) },
);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat({ max: 400 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat({ max: 400 }), bit: fc.nat({ max: 7 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat({ max: 400 }), bytes: fc.uint8Array({ minLength: 1, maxLength: 10 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('trailing' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 10 }) }) },
);

const LANES = 16;
const frameArb: fc.Arbitrary<FuzzFrame> = fc.record({ spec: specArb, mutation: mutationArb, lane: fc.nat({ max: LANES - 1 }) });

function build(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** A Yjs update as a client would send it; `current` is a good editor's doc, for deletions of real text. */
function realizePayload(payload: Payload, current: Y.Doc): Uint8Array {
  switch (payload.kind) {
    case 'update': {
      const doc = new Y.Doc();
      doc.clientID = payload.clientId;
      if (payload.asTitle) doc.getMap(META_MAP).set(META_TITLE, payload.text);
      else appendParagraph(doc, payload.text);
      const update = Y.encodeStateAsUpdate(doc);
      doc.destroy();
      return update;
    }
    case 'delete': {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(current));
      const before = Y.encodeStateVector(doc);
      const fragment = doc.getXmlFragment('default');
      const at = Math.min(payload.at, fragment.length);
      fragment.delete(at, Math.min(payload.length, fragment.length - at));
      const update = Y.encodeStateAsUpdate(doc, before);
      doc.destroy();
      return update;
    }
    case 'map-at-root': {
      const doc = new Y.Doc();
      doc.getMap('default').set(payload.key, payload.value);
      const update = Y.encodeStateAsUpdate(doc);
      doc.destroy();
      return update;
    }
    case 'bytes':
      return payload.bytes;
    case 'empty-struct':
      return emptyStructUpdate(payload.struct, payload.clientId);
    case 'state-vector':
      return build((sv) => {
        encoding.writeVarUint(sv, payload.entries.length);
        for (const [clientId, clock] of payload.entries) {
          encoding.writeVarUint(sv, clientId);
          encoding.writeVarUint(sv, clock);
        }
      }).slice(0, payload.keep);
  }
}

function realizeSpec(spec: FrameSpec, current: Y.Doc): Uint8Array | string {
  switch (spec.kind) {
    case 'sync':
      return build((e) => {
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, spec.syncType);
        encoding.writeVarUint8Array(e, realizePayload(spec.payload, current));
      });
    case 'step1':
      return build((e) => {
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint8Array(
          e,
          build((sv) => {
            encoding.writeVarUint(sv, spec.entries.length);
            for (const [clientId, clock] of spec.entries) {
              encoding.writeVarUint(sv, clientId);
              encoding.writeVarUint(sv, clock);
            }
          }),
        );
      });
    case 'awareness':
      return build((e) => {
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint8Array(
          e,
          build((u) => {
            encoding.writeVarUint(u, spec.claimedCount ?? spec.entries.length);
            for (const entry of spec.entries) {
              encoding.writeVarUint(u, entry.clientId);
              encoding.writeVarUint(u, entry.clock);
              encoding.writeVarString(u, entry.state.kind === 'json' ? JSON.stringify(entry.state.value) ?? 'null' : entry.state.text);
            }
          }),
        );
      });
    case 'query-awareness':
      return new Uint8Array([3]);
    case 'random':
      return spec.bytes;
    case 'text':
      return spec.text;
    case 'huge-varint': {
      const huge = Uint8Array.from(spec.bytes);
      if (spec.position === 'type') return huge;
      if (spec.position === 'sync-type') return Uint8Array.from([0, ...huge, 0]);
      return Uint8Array.from([0, 2, ...huge, 1, 2, 3]);
    }
  }
}

function mutate(bytes: Uint8Array, mutation: Mutation): Uint8Array {
  switch (mutation.kind) {
    case 'none':
      return bytes;
    case 'truncate':
      return bytes.slice(0, Math.min(mutation.keep, Math.max(0, bytes.length - 1)));
    case 'flip': {
      if (bytes.length === 0) return bytes;
      const copy = bytes.slice();
      copy[mutation.at % copy.length] ^= 1 << mutation.bit;
      return copy;
    }
    case 'insert': {
      const at = mutation.at % (bytes.length + 1);
      return Uint8Array.from([...bytes.slice(0, at), ...mutation.bytes, ...bytes.slice(at)]);
    }
    case 'trailing':
      return Uint8Array.from([...bytes, ...mutation.bytes]);
  }
}

function realize(frame: FuzzFrame, current: Y.Doc): Uint8Array | string {
  const data = realizeSpec(frame.spec, current);
  return typeof data === 'string' ? data : mutate(data, frame.mutation);
}

// ---------------------------------------------------------------------------------------------
// Lanes: one socket each (reopened after the server closes it), each as one role.

/**
 * A socket's probe: an awareness entry for the lane's own client id with a rising clock. The
 * server processes a socket's frames in order and echoes awareness to its sender, so seeing the
 * probe's clock come back means every frame sent before it was handled.
 */
const PROBE_CLIENT_ID_BASE = 2 ** 52;

interface Lane {
  index: number;
  auth: Auth;
  socket: WebSocket | null;
  probeClock: number;
  echoed: number;
  closed: { code: number; reason: string } | null;
  waiters: Set<() => void>;
}

const stats = { frames: 0, sockets: 0, closes: new Map<number, number>(), upgradeAnswers: new Map<number | string, number>() };

function probeFrame(lane: Lane): Uint8Array {
  return build((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(
      e,
      build((u) => {
        encoding.writeVarUint(u, 1);
        encoding.writeVarUint(u, PROBE_CLIENT_ID_BASE + lane.index);
        encoding.writeVarUint(u, lane.probeClock);
        encoding.writeVarString(u, JSON.stringify({ probe: lane.probeClock }));
      }),
    );
  });
}

/** Clocks echoed for `clientId` in an awareness frame from the server (null if none). */
function echoedClock(data: Buffer, clientId: number): number | null {
  // Server frames are well-formed; read them with the same lib0 decoder the clients use.
  const decoder = decoding.createDecoder(new Uint8Array(data));
  if (decoding.readVarUint(decoder) !== 1) return null;
  const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
  let clock: number | null = null;
  for (let n = decoding.readVarUint(update); n > 0; n--) {
    const id = decoding.readVarUint(update);
    const entryClock = decoding.readVarUint(update);
    decoding.readVarString(update);
    if (id === clientId) clock = entryClock;
  }
  return clock;
}

function notify(lane: Lane): void {
  for (const waiter of lane.waiters) waiter();
}

async function openLane(lane: Lane, collabUrl: string, docId: string): Promise<void> {
  const socket = new WebSocket(`${collabUrl}/${docId}`, { headers: authHeaders(lane.auth) });
  stats.sockets++;
  lane.socket = socket;
  lane.closed = null;
  socket.on('message', (data: Buffer) => {
    const clock = echoedClock(data, PROBE_CLIENT_ID_BASE + lane.index);
    if (clock !== null) lane.echoed = Math.max(lane.echoed, clock);
    notify(lane);
  });
  socket.on('close', (code, reason) => {
    lane.closed = { code, reason: reason.toString() };
    notify(lane);
  });
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
    socket.once('error', reject);
  });
  // Claim the probe's client id first, before any generated frame claims the socket's id quota.
  await probe(lane);
}

/** Sends a probe and waits until it is echoed or the socket is closed. */
function probe(lane: Lane): Promise<void> {
  const socket = lane.socket!;
  lane.probeClock++;
  const target = lane.probeClock;
  if (socket.readyState === WebSocket.OPEN) socket.send(probeFrame(lane));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      lane.waiters.delete(check);
      reject(new Error(`lane ${lane.index}: no answer and no close within ${FRAME_DEADLINE_MS} ms`));
    }, FRAME_DEADLINE_MS);
    const check = () => {
      if (lane.echoed >= target || lane.closed) {
        clearTimeout(timer);
        lane.waiters.delete(check);
        resolve();
      }
    };
    lane.waiters.add(check);
    check();
  });
}

const describeBytes = (data: Uint8Array | string): string =>
  typeof data === 'string' ? `text ${JSON.stringify(data.slice(0, 40))}` : `${data.length} bytes ${Buffer.from(data.slice(0, 32)).toString('hex')}`;

// ---------------------------------------------------------------------------------------------
// Upgrade requests, as raw HTTP over a TCP socket (what ws would never send).

interface UpgradeRequest {
  method: string;
  path: { kind: 'document' } | { kind: 'raw'; text: string };
  upgrade: string | null;
  key: string | null;
  version: string | null;
  origin: string | null;
  credential: 'none' | 'observer-token' | 'member-cookie' | { bearer: string } | { cookie: string };
  extraHeaders: [string, string][];
  mutation: { kind: 'none' } | { kind: 'truncate'; keep: number } | { kind: 'flip'; at: number; bit: number };
}

const headerTextArb = fc.string({ unit: 'binary-ascii', maxLength: 60 });
const upgradeRequestArb: fc.Arbitrary<UpgradeRequest> = fc.record({
  method: fc.oneof({ weight: 8, arbitrary: fc.constant('GET') }, { weight: 1, arbitrary: fc.constantFrom('POST', 'PUT', 'OPTIONS', 'G ET', '') }),
  path: fc.oneof(
    { weight: 3, arbitrary: fc.constant({ kind: 'document' as const }) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.string({ maxLength: 40 }).map((rest) => `/collab/${rest}`),
          fc.string({ maxLength: 40 }).map((rest) => `/collab/${encodeURIComponent(rest)}`),
          fc.constantFrom('/collab/%E0%A4%A', '/collab/', '/collab', '/collab/../../etc/passwd', '/collab/AAAAAAAAAAAAAAAA?x=%', `/collab/${'A'.repeat(5000)}`, '/', '*', '/api/documents'),
        )
        .map((text) => ({ kind: 'raw' as const, text })),
    },
  ),
  upgrade: fc.oneof({ weight: 8, arbitrary: fc.constant('websocket') }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: headerTextArb }),
  key: fc.oneof({ weight: 8, arbitrary: fc.constant('dGhlIHNhbXBsZSBub25jZQ==') }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: headerTextArb }),
  version: fc.oneof({ weight: 8, arbitrary: fc.constant('13') }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: headerTextArb }),
  origin: fc.oneof(fc.constant(null), fc.constant('ORIGIN'), fc.constant('https://evil.example'), headerTextArb),
  credential: fc.oneof(
    fc.constantFrom('none' as const, 'observer-token' as const, 'member-cookie' as const),
    headerTextArb.map((bearer) => ({ bearer })),
    headerTextArb.map((cookie) => ({ cookie })),
  ),
  extraHeaders: fc.array(fc.tuple(fc.stringMatching(/^[A-Za-z-]{1,20}$/), headerTextArb), { maxLength: 3 }),
  mutation: fc.oneof(
    { weight: 6, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat({ max: 400 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat({ max: 400 }), bit: fc.nat({ max: 7 }) }) },
  ),
});

let observerToken = '';
let memberCookie = '';

function realizeUpgradeRequest(request: UpgradeRequest): string {
  const path = request.path.kind === 'document' ? `/collab/${docId}` : request.path.text;
  const headers: [string, string][] = [['Host', `127.0.0.1:${server.port}`]];
  if (request.upgrade !== null) headers.push(['Upgrade', request.upgrade], ['Connection', 'Upgrade']);
  if (request.key !== null) headers.push(['Sec-WebSocket-Key', request.key]);
  if (request.version !== null) headers.push(['Sec-WebSocket-Version', request.version]);
  if (request.origin !== null) headers.push(['Origin', request.origin === 'ORIGIN' ? `http://127.0.0.1:${server.port}` : request.origin]);
  const credential = request.credential;
  if (credential === 'observer-token') headers.push(['Authorization', `Bearer ${observerToken}`]);
  else if (credential === 'member-cookie') headers.push(['Cookie', memberCookie]);
  else if (typeof credential === 'object' && 'bearer' in credential) headers.push(['Authorization', `Bearer ${credential.bearer}`]);
  else if (typeof credential === 'object') headers.push(['Cookie', `concord_session=${credential.cookie}`]);
  headers.push(...request.extraHeaders);
  const text = `${request.method} ${path} HTTP/1.1\r\n${headers.map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n`;
  const bytes = Buffer.from(text, 'latin1');
  if (request.mutation.kind === 'truncate') return bytes.subarray(0, request.mutation.keep).toString('latin1');
  if (request.mutation.kind === 'flip' && bytes.length > 0) bytes[request.mutation.at % bytes.length] ^= 1 << request.mutation.bit;
  return bytes.toString('latin1');
}

/** Writes a raw request and ends the sending side; resolves with the answer's status, or 'closed'. */
function sendRawRequest(text: string): Promise<number | 'closed'> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer and no close within ${FRAME_DEADLINE_MS} ms to ${JSON.stringify(text.slice(0, 200))}`));
    }, FRAME_DEADLINE_MS);
    const settle = () => {
      clearTimeout(timer);
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received);
      resolve(status ? Number(status[1]) : 'closed');
    };
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n')) settle();
    });
    socket.on('close', settle);
    socket.on('error', () => {});
    socket.end(text, 'latin1');
  });
}

// ---------------------------------------------------------------------------------------------

let server: ServerProcess;
let dataDir: string;
let docId: string;
/** Times the server process was found dead (each one a failure of the property). */
let crashes = 0;
let alice: TestClient;
let bob: TestClient;
let lanes: Lane[];
let edits = 0;

beforeAll(async () => {
  dataDir = tempDataDir('concord-fuzz-');
  server = await spawnServerProcess({ dataDir, env: { MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) } });
  docId = await createDocument(server, 'Fuzzed draft');
  const member: TestAccount = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Alice');
  const observer: TestAccount = await addMember(server.url, server.owner.auth, server.owner.groupId, 'observer', 'Olu');
  observerToken = observer.token;
  memberCookie = member.cookie;
  alice = connectClient(server, docId, { auth: member.auth });
  bob = connectClient(server, docId);
  await Promise.all([waitForSync(alice), waitForSync(bob)]);
  // An editor's socket (session cookie), a co-chair's token and an observer's token.
  const roles: Auth[] = [{ cookie: member.cookie }, server.owner.auth, observer.auth];
  lanes = Array.from({ length: LANES }, (_, index) => ({ index, auth: roles[index % roles.length], socket: null, probeClock: 0, echoed: 0, closed: null, waiters: new Set() }));
});

afterAll(async () => {
  for (const lane of lanes ?? []) lane.socket?.terminate();
  alice?.destroy();
  bob?.destroy();
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  console.log(
    `frame fuzz: seed ${SEED}, ${stats.frames} frames over ${stats.sockets} sockets, closes by code ${JSON.stringify(Object.fromEntries(stats.closes))}, ` +
      `upgrade requests answered ${JSON.stringify(Object.fromEntries(stats.upgradeAnswers))}, server crashes ${crashes}, server ${server?.child.exitCode === null ? 'alive' : `exited (${server?.child.exitCode})`} at the end`,
  );
});

/** Sends one lane's frames in order; returns a description of the first frame that broke the rules. */
async function runLane(lane: Lane, frames: FuzzFrame[]): Promise<string | null> {
  for (const frame of frames) {
    if (!lane.socket || lane.closed) {
      try {
        await openLane(lane, server.collabUrl, docId);
      } catch (error) {
        return `lane ${lane.index}: could not open a socket (${(error as Error).message}); server ${server.child.exitCode === null ? 'running' : 'exited'}`;
      }
    }
    if (lane.closed) return `lane ${lane.index}: closed right after opening (${lane.closed.code} ${lane.closed.reason})`;
    const data = realize(frame, alice.doc);
    stats.frames++;
    lane.socket!.send(data, { binary: typeof data !== 'string' });
    await probe(lane);
    if (lane.closed) {
      const { code, reason } = lane.closed as { code: number; reason: string };
      stats.closes.set(code, (stats.closes.get(code) ?? 0) + 1);
      if (server.child.exitCode !== null || code === 1006) return `${describeBytes(data)}: the server process ${server.child.exitCode === null ? 'dropped the connection' : 'exited'}`;
      if (!PROTOCOL_CLOSE_CODES.includes(code)) return `${describeBytes(data)} closed its socket with ${code} (${reason}), not a protocol close code`;
    }
  }
  return null;
}

/**
 * A server that died is started again on the same data and port (the editors reconnect by
 * themselves), so that fast-check's shrinking replays candidates against a live server.
 */
async function ensureServerRunning(): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) return;
  crashes++;
  for (const lane of lanes) {
    lane.socket?.terminate();
    lane.socket = null;
  }
  server = await spawnServerProcess({ dataDir, port: server.port });
  await Promise.all([waitForSync(alice, 30_000), waitForSync(bob, 30_000)]);
}

async function editorsStillSync(): Promise<void> {
  const n = ++edits;
  appendParagraph(alice.doc, `alice ${n}`);
  appendParagraph(bob.doc, `bob ${n}`);
  try {
    await waitFor(() => bob.text().includes(`alice ${n}`) && alice.text().includes(`bob ${n}`), 20_000, `editors to exchange edit ${n}`);
  } catch (error) {
    // Seen once in a full run (seed 1396078047, not reproduced by replaying it): say where each editor stands.
    const state = (client: TestClient) => ({
      connected: client.provider.wsconnected,
      synced: client.provider.synced,
      heldBack: client.doc.store.pendingStructs !== null || client.doc.store.pendingDs !== null,
      paragraphs: client.text().split('\n').length,
    });
    const health = await fetch(`${server.url}/healthz`).then((response) => response.text(), (failure: Error) => failure.message);
    throw new Error(`${(error as Error).message}; alice ${JSON.stringify(state(alice))}, bob ${JSON.stringify(state(bob))}, server /healthz ${health}`);
  }
}

describe('collab endpoint: generated frames against a server process', () => {
  it.prop([fc.array(frameArb, { minLength: BATCH_SIZE, maxLength: BATCH_SIZE })], {
      numRuns: RUNS,
      seed: SEED,
      // On a very busy machine, fewer batches rather than a test timeout with no report (the count is printed);
      // a failure found before then is still shrunk and reported.
      interruptAfterTimeLimit: 400_000,
    })(
    'no frame ends the process or another person\u2019s session; each bad frame closes only its socket with a protocol code',
    async (batch) => {
      await ensureServerRunning();
      const problems = (await Promise.all(lanes.map((lane) => runLane(lane, batch.filter((frame) => frame.lane === lane.index))))).filter(Boolean);
      expect(problems).toEqual([]);
      expect(server.child.exitCode, 'server process exit code').toBeNull();
      const health = await fetch(`${server.url}/healthz`).then((response) => response.status, (error: Error) => error.message);
      expect(health).toBe(200);
      await editorsStillSync();
    },
    600_000,
  );

  it.prop([fc.array(upgradeRequestArb, { minLength: 10, maxLength: 10 })], { numRuns: Number(process.env.FUZZ_UPGRADE_RUNS ?? 40), seed: SEED })(
    'generated upgrade requests, with or without credentials, get an HTTP answer below 500 (or a close), and the server stays up',
    async (requests) => {
      await ensureServerRunning();
      const answers = await Promise.all(requests.map((request) => sendRawRequest(realizeUpgradeRequest(request))));
      for (const [index, answer] of answers.entries()) {
        stats.upgradeAnswers.set(answer, (stats.upgradeAnswers.get(answer) ?? 0) + 1);
        expect(answer === 'closed' || answer < 500, `answer ${answer} to ${JSON.stringify(realizeUpgradeRequest(requests[index]).slice(0, 300))}`).toBe(true);
      }
      expect(server.child.exitCode, 'server process exit code').toBeNull();
      await editorsStillSync();
    },
    600_000,
  );

  it('regressions: truncated and empty state vectors in sync step 1 close only that socket', async () => {
    await ensureServerRunning();
    // Shrunk counterexamples: each once ended the process (an unhandled rejection in the room).
    for (const bytes of [[0x00, 0x00, 0x01, 0x05], [0x00, 0x00, 0x00], [0x00, 0x00, 0x02, 0x01, 0x81]]) {
      const lane = lanes[0];
      if (!lane.socket || lane.closed) await openLane(lane, server.collabUrl, docId);
      lane.socket!.send(Uint8Array.from(bytes));
      await probe(lane);
      expect(lane.closed?.code, Buffer.from(bytes).toString('hex')).toBe(CloseCode.MalformedMessage);
    }
    expect(server.child.exitCode).toBeNull();
    await editorsStillSync();
  });
});
