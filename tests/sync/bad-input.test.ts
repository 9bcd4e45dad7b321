/**
 * Hostile or broken input, sent while two real editors (stock y-websocket clients) work on the
 * same document: each bad socket must be closed with the documented close code, and nobody else
 * may notice — the server stays up and the two editors keep syncing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { CloseCode } from '../../shared/protocol/index';
import { addMember, api, authHeaders, createGroup, type Auth, type TestAccount } from '../helpers/accounts';
import { appendParagraph, connectClient, docFromStored, fragmentText, waitFor, waitForSync, type TestClient } from '../helpers/clients';
import { createDocument, spawnServerProcess, startTestServer, tempDataDir, type ServerProcess, type TestServer } from '../helpers/server';
import { EMPTY_STRUCT_KINDS, emptyStructUpdate, syncStep2Frame, updateFrame } from '../helpers/frames';
import { prng } from '../helpers/random';

const MAX_MESSAGE_BYTES = 65_536;

const RANDOM_FRAME_SEED = 0xc0ffee;

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** message type 0 (sync), sub-type, varUint8Array(payload) */
const syncFrame = (syncType: number, payload: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, syncType);
    encoding.writeVarUint8Array(e, payload);
  });

/** message type 1 (awareness) around an awareness update built entry by entry (state as raw JSON text). */
const awarenessFrame = (entries: { clientId: number; clock: number; json: string }[]): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(
      e,
      frame((u) => {
        encoding.writeVarUint(u, entries.length);
        for (const entry of entries) {
          encoding.writeVarUint(u, entry.clientId);
          encoding.writeVarUint(u, entry.clock);
          encoding.writeVarString(u, entry.json);
        }
      }),
    );
  });

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);
const ascii = (text: string): Uint8Array => new Uint8Array(Buffer.from(text));

interface Closed {
  code: number;
  reason: string;
}

/** Opens a raw websocket to /collab/<docId> with `auth`'s credentials (the owner's by default) and resolves once it is open. */
function openRaw(collabUrl: string, docId: string, auth: Auth = server.owner.auth): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${collabUrl}/${docId}`, { headers: authHeaders(auth) });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
  });
}

/** Resolves with the close code the server sent, or rejects if the socket is still open after `ms`. */
function closedBy(socket: WebSocket, ms = 5_000): Promise<Closed> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms);
    socket.once('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}

/** Status of an upgrade request the server refuses (via ws's 'unexpected-response'); `auth` undefined sends no credentials. */
function upgradeStatus(url: string, auth?: Auth, ms = 5_000): Promise<number | string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers: authHeaders(auth) });
    const timer = setTimeout(() => {
      socket.terminate();
      resolve('no answer');
    }, ms);
    socket.once('unexpected-response', (_request, response) => {
      clearTimeout(timer);
      resolve(response.statusCode ?? 'no status');
      response.resume();
      socket.terminate();
    });
    socket.once('open', () => {
      clearTimeout(timer);
      resolve('upgraded');
      socket.close();
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      resolve(`error: ${error.message}`);
    });
  });
}

let server: TestServer;
let docId: string;
/** The two editors' accounts: presence shows account names, so each editor has its own. */
let aliceAccount: TestAccount;
let bobAccount: TestAccount;
let alice: TestClient;
let bob: TestClient;
/** Connections of the two real editors that ended (a bad socket must not take them down). */
const editorDisconnects: string[] = [];
let edits = 0;

async function expectServerHealthy(): Promise<void> {
  const response = await fetch(`${server.url}/healthz`);
  expect(response.status).toBe(200);
}

/** Both editors make an edit and each sees the other's. */
async function expectEditorsStillSync(label: string): Promise<void> {
  const n = ++edits;
  appendParagraph(alice.doc, `alice ${n} after ${label}`);
  appendParagraph(bob.doc, `bob ${n} after ${label}`);
  await waitFor(
    () => bob.text().includes(`alice ${n} after ${label}`) && alice.text().includes(`bob ${n} after ${label}`),
    5_000,
    `editors to exchange edit ${n} after ${label}`,
  );
  await waitFor(() => alice.text() === bob.text(), 5_000, 'editors to agree');
  expect(editorDisconnects).toEqual([]);
}

beforeAll(async () => {
  server = await startTestServer({ env: { MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) } });
  docId = await createDocument(server, 'Under attack');
  aliceAccount = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Alice');
  bobAccount = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Bob');
  alice = connectClient(server, docId, { auth: aliceAccount.auth });
  bob = connectClient(server, docId, { auth: bobAccount.auth });
  await Promise.all([waitForSync(alice), waitForSync(bob)]);
  alice.provider.awareness.setLocalStateField('user', { name: 'Alice', color: '#d33' });
  bob.provider.awareness.setLocalStateField('user', { name: 'Bob', color: '#33d' });
  for (const [name, client] of [['alice', alice], ['bob', bob]] as const) {
    client.provider.on('connection-close', (event) => editorDisconnects.push(`${name}: ${event?.code ?? 'local'}`));
  }
  await expectEditorsStillSync('setup');
});

afterAll(async () => {
  alice?.destroy();
  bob?.destroy();
  await server?.stop();
});

interface BadFrameCase {
  name: string;
  frames: () => (Uint8Array | string)[];
  /** Acceptable close codes (more than one only for random bytes). */
  codes: number[];
}

const malformed = [CloseCode.MalformedMessage];
const unknownType = [CloseCode.UnknownMessageType];

const badFrames: BadFrameCase[] = [
  {
    name: 'random bytes (8 seeded frames, one socket each)',
    frames: () => {
      const random = prng(RANDOM_FRAME_SEED);
      return Array.from({ length: 8 }, (_, i) => Uint8Array.from({ length: 1 + Math.floor(random() * (i < 4 ? 16 : 600)) }, () => Math.floor(random() * 256)));
    },
    codes: [CloseCode.MalformedMessage, CloseCode.UnknownMessageType],
  },
  { name: 'truncated varint message type [0x80]', frames: () => [bytes(0x80)], codes: malformed },
  { name: 'truncated varint payload length [0x00, 0x00, 0xff]', frames: () => [bytes(0x00, 0x00, 0xff)], codes: malformed },
  { name: 'truncated sync sub-type [0x00, 0x80]', frames: () => [bytes(0x00, 0x80)], codes: malformed },
  { name: 'payload shorter than its length [0x00, 0x02, 0x05, 0x01]', frames: () => [bytes(0x00, 0x02, 0x05, 0x01)], codes: malformed },
  { name: 'zero-length frame', frames: () => [new Uint8Array(0)], codes: malformed },
  { name: 'text frame', frames: () => ['{"type":"sync","update":"hello"}'], codes: malformed },
  { name: 'unknown message type 7', frames: () => [bytes(0x07)], codes: unknownType },
  { name: 'auth message (server-to-client only) [0x02, 0x00]', frames: () => [bytes(0x02, 0x00)], codes: unknownType },
  { name: 'unknown message type 300 (two-byte varint)', frames: () => [frame((e) => encoding.writeVarUint(e, 300))], codes: unknownType },
  { name: 'unknown sync sub-type 5', frames: () => [syncFrame(5, new Uint8Array(0))], codes: unknownType },
  { name: 'sync update whose Yjs payload is text', frames: () => [syncFrame(2, ascii('this is not a yjs update'))], codes: malformed },
  { name: 'sync update whose Yjs payload is 0xdeadbeef', frames: () => [syncFrame(2, bytes(0xde, 0xad, 0xbe, 0xef))], codes: malformed },
  { name: 'sync step 2 whose Yjs payload overflows a varint', frames: () => [syncFrame(1, new Uint8Array(10).fill(0xff))], codes: malformed },
  {
    name: 'awareness with broken JSON',
    frames: () => [awarenessFrame([{ clientId: 987_654, clock: 1, json: '{"user":{"name":"Eve"' }])],
    codes: malformed,
  },
  {
    name: 'awareness whose JSON state is not an object',
    frames: () => [awarenessFrame([{ clientId: 987_655, clock: 1, json: '[1,2,3]' }])],
    codes: malformed,
  },
  {
    name: 'awareness claiming more entries than it holds',
    frames: () => [frame((e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(e, bytes(0x7f));
    })],
    codes: malformed,
  },
  { name: 'trailing bytes after query-awareness', frames: () => [bytes(0x03, 0x00)], codes: malformed },
  { name: 'trailing bytes after a valid sync step 1', frames: () => [bytes(...syncFrame(0, bytes(0x00)), 0x2a)], codes: malformed },
  // Yjs applies these and the document is poisoned for everyone: an honest editor's deletion next
  // to the empty struct throws inside Yjs, and a new editor cannot apply the document's state.
  ...EMPTY_STRUCT_KINDS.map((kind) => ({
    name: `an update with an empty struct (${kind})`,
    frames: () => [updateFrame(emptyStructUpdate(kind, 424_242)), syncStep2Frame(emptyStructUpdate(kind, 424_243))],
    codes: malformed,
  })),
  {
    name: 'oversize frame (70 KB with MAX_MESSAGE_BYTES=65536)',
    frames: () => [syncFrame(2, new Uint8Array(70 * 1024).fill(0x61))],
    codes: [CloseCode.MessageTooBig],
  },
];

describe('collab endpoint: hostile frames from a raw socket while two editors work', () => {
  it.each(badFrames)('$name: only that socket is closed', async ({ name, frames, codes }) => {
    for (const data of frames()) {
      const socket = await openRaw(server.collabUrl, docId);
      const closed = closedBy(socket);
      socket.send(data, { binary: typeof data !== 'string' });
      const { code, reason } = await closed;
      expect(codes, `close code for ${Buffer.from(typeof data === 'string' ? data : data.slice(0, 24)).toString('hex')} (reason: ${reason})`).toContain(code);
    }
    await expectServerHealthy();
    await expectEditorsStillSync(name);
  });

  it('after all of that, the document is intact for a new editor and in SQLite', async () => {
    await waitFor(() => alice.text() === bob.text(), 5_000, 'editors to agree');
    const expected = alice.text();
    expect(expected.split('\n').filter((line) => line.startsWith('alice '))).toHaveLength(edits);

    const late = connectClient(server, docId, { auth: aliceAccount.auth });
    try {
      await waitForSync(late);
      expect(late.text()).toBe(expected);
    } finally {
      late.destroy();
    }
    const stored = docFromStored(await server.store.loadContent(docId));
    expect(fragmentText(stored)).toBe(expected);
    stored.destroy();
  });
});

describe('collab endpoint: upgrade requests for bad document paths', () => {
  it.each([
    ['abc', 400],
    [encodeURIComponent('../../etc/passwd'), 400],
    ['..%2F..%2F..%2F..%2Fetc%2Fpasswd%00', 400],
    ['AAAAAAAAAAAAAAA%2F', 400],
    ['AAAAAAAAAAAAAAAA', 404],
    ['zzzzzzzzzzzzzzzz', 404],
  ])('/collab/%s is refused with HTTP %i', async (path, status) => {
    expect(await upgradeStatus(`${server.collabUrl}/${path}`, server.owner.auth)).toBe(status);
    await expectServerHealthy();
  });

  it('without credentials even a well-formed path is refused with 401, before saying whether the document exists', async () => {
    expect(await upgradeStatus(`${server.collabUrl}/${docId}`)).toBe(401);
    expect(await upgradeStatus(`${server.collabUrl}/AAAAAAAAAAAAAAAA`)).toBe(401);
    expect(await upgradeStatus(`${server.collabUrl}/${docId}`, { token: 'not-a-real-token' })).toBe(401);
    await expectServerHealthy();
  });

  it('someone outside the document\u2019s working group is refused with 403', async () => {
    const otherGroup = await createGroup(server.url, server.owner.auth, 'Working Group on Finance');
    const outsider = await addMember(server.url, server.owner.auth, otherGroup.id, 'member', 'Outsider');
    expect(await upgradeStatus(`${server.collabUrl}/${docId}`, outsider.auth)).toBe(403);
    expect(await upgradeStatus(`${server.collabUrl}/${docId}`, aliceAccount.auth)).toBe('upgraded');
    await expectServerHealthy();
    await expectEditorsStillSync('refused upgrades');
  });

  it('/collab/<malformed percent-encoding> is refused with 400 and does not take the server down', async () => {
    // A real process: an exception escaping the upgrade handler would kill it.
    let child: ServerProcess | null = null;
    try {
      child = await spawnServerProcess({ dataDir: tempDataDir() });
      const status = await upgradeStatus(`${child.collabUrl}/%E0%A4%A`);
      const health = await fetch(`${child.url}/healthz`).then(
        (response) => response.status,
        (error: Error) => `healthz failed: ${error.message}`,
      );
      const exit = await Promise.race([child.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 200))]);
      const crash = child.logs.filter((line) => /Error/.test(line)).slice(0, 2).join(' | ');
      expect({ status, health, exit }, crash).toEqual({ status: 400, health: 200, exit: 'still running' });
    } finally {
      if (child && child.child.exitCode === null) child.child.kill('SIGKILL');
    }
  });
});

describe('awareness: a raw socket cannot impersonate an editor', () => {
  type ShownUser = { name?: string; color?: string };
  const shownUserOf = (client: TestClient, clientId: number): ShownUser | undefined =>
    (client.provider.awareness.getStates().get(clientId) as { user?: ShownUser } | undefined)?.user;
  const userOf = (client: TestClient, clientId: number): string | undefined => shownUserOf(client, clientId)?.name;

  /**
   * Opens a raw socket as `account`, sends a forged entry for `victimId`, then one for the raw
   * socket's own id — both claiming to be 'Mallory' — and waits until Bob shows the latter under
   * the account's real name (so the server has processed the forgery).
   */
  async function forge(account: TestAccount, victimId: number, clock: number, ownId: number): Promise<WebSocket> {
    const socket = await openRaw(server.collabUrl, docId, account.auth);
    socket.send(awarenessFrame([{ clientId: victimId, clock, json: JSON.stringify({ user: { name: 'Mallory', color: '#000' } }) }]));
    socket.send(awarenessFrame([{ clientId: ownId, clock: 1, json: JSON.stringify({ user: { name: 'Mallory', color: '#777' } }) }]));
    await waitFor(() => userOf(bob, ownId) !== undefined, 5_000, 'Bob to see the raw socket\u2019s own presence');
    return socket;
  }

  it('a forged entry for a connected editor\u2019s client id changes nothing anyone sees, and a claimed name shows as the account\u2019s', async () => {
    const morgan = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Morgan Reyes');
    await waitFor(() => userOf(bob, alice.doc.clientID) === 'Alice', 5_000, 'Bob to see Alice');
    const aliceClock = alice.provider.awareness.meta.get(alice.doc.clientID)!.clock;
    const ownId = 555_001;
    const socket = await forge(morgan, alice.doc.clientID, aliceClock + 100, ownId);
    try {
      expect(userOf(bob, alice.doc.clientID)).toBe('Alice');
      expect(userOf(alice, alice.doc.clientID)).toBe('Alice');
      // The raw socket claimed to be 'Mallory' in '#777'; everyone sees its account instead.
      expect(shownUserOf(bob, ownId)).toEqual({ name: 'Morgan Reyes', color: morgan.user.color });
      expect(shownUserOf(alice, ownId)).toEqual({ name: 'Morgan Reyes', color: morgan.user.color });
      const summary = (await api<{ activeEditors: { name: string }[] }>(server.url, server.owner.auth, 'GET', `/api/documents/${docId}`)).body;
      const shownNames = summary.activeEditors.map((editor) => editor.name);
      expect(shownNames).not.toContain('Mallory');
      expect(shownNames).toContain('Alice');
      expect(shownNames).toContain('Morgan Reyes');
    } finally {
      socket.close();
    }
    await expectEditorsStillSync('forged awareness');
  });
});


describe('documents API: bad input', () => {
  // As the owner (co-chair of the document's group), so only the input can be wrong.
  const documents = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${server.url}/api/documents${path}`, { ...init, headers: { ...authHeaders(server.owner.auth), ...(init.headers as Record<string, string>) } });
  const json = (method: string, body: string): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body });
  const inGroup = (fields: Record<string, unknown>): string => JSON.stringify({ groupId: server.owner.groupId, ...fields });
  type ErrorBody = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

  it('POST with invalid JSON: 400 invalid_json', async () => {
    const response = await documents('', json('POST', '{"title": "unterminated'));
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.code).toBe('invalid_json');
  });

  it('POST with an empty title: 400 naming the title field', async () => {
    const response = await documents('', json('POST', inGroup({ title: '' })));
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.fields?.map((field) => field.path)).toEqual(['title']);
  });

  it('POST with an unknown field or a non-string title: 400', async () => {
    expect((await documents('', json('POST', inGroup({ title: 'ok', owner: 'root' })))).status).toBe(400);
    expect((await documents('', json('POST', inGroup({ title: 42 })))).status).toBe(400);
    expect((await documents('', json('POST', inGroup({ title: 'x'.repeat(201) })))).status).toBe(400);
  });

  it('POST without a working group, or for an unknown one: 400 naming groupId, 404', async () => {
    const missing = await documents('', json('POST', JSON.stringify({ title: 'Orphan' })));
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as ErrorBody).error.fields?.map((field) => field.path)).toEqual(['groupId']);
    const unknown = await documents('', json('POST', JSON.stringify({ groupId: 'AAAAAAAAAAAAAAAA', title: 'Orphan' })));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ErrorBody).error.code).toBe('not_found');
  });

  it('PATCH with nothing to change: 400', async () => {
    const response = await documents(`/${docId}`, json('PATCH', '{}'));
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.code).toBe('invalid_request');
  });

  it('GET with a malformed id: 400; with a well-formed unknown id: 404', async () => {
    const malformedId = await documents('/abc');
    expect(malformedId.status).toBe(400);
    expect(((await malformedId.json()) as ErrorBody).error.code).toBe('invalid_request');
    const unknown = await documents('/AAAAAAAAAAAAAAAA');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ErrorBody).error.code).toBe('not_found');
    expect((await documents('/AAAAAAAAAAAAAAAA', json('PATCH', JSON.stringify({ title: 'x' })))).status).toBe(404);
  });

  it('GET with malformed percent-encoding in the id: 400, not 500', async () => {
    const response = await documents('/%E0%A4%A');
    expect(response.status).toBe(400);
  });
});
