/**
 * Nothing a client sends can take the service down: caps on collaboration sockets per account
 * and per address (429 beyond, slots freed on every way a socket closes), on upgrades being
 * checked (503 beyond, and 503 for a check that hangs), and HTTP deadlines that drop clients
 * dripping headers or bodies.
 */
import fc from 'fast-check';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { addMember, authHeaders, type Auth, type TestAccount } from '../helpers/accounts';
import { waitFor } from '../helpers/clients';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';

type Upgrade =
  | { status: 'open'; socket: WebSocket }
  | { status: number; body: { error: { code: string; message: string } }; headers: Record<string, string | string[] | undefined> };

/** Opens a socket with a stock `ws` client; a refused upgrade resolves with its status, JSON body and headers. */
function upgrade(url: string, auth: Auth, headers: Record<string, string> = {}): Promise<Upgrade> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { ...authHeaders(auth), ...headers } });
    socket.once('open', () => resolve({ status: 'open', socket }));
    socket.once('unexpected-response', (_request, response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        socket.terminate();
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(text), headers: response.headers });
      });
    });
    socket.once('error', reject);
  });
}

/** Resolves once the socket has closed (whoever closed it). */
const closed = (socket: WebSocket): Promise<void> =>
  socket.readyState === WebSocket.CLOSED ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));

/** The endpoint's counts, totals per account (by user id) and for the loopback address. */
function counts(server: TestServer) {
  const { pendingUpgrades, byAccount, byAddress } = server.server.collab.socketCounts();
  return { pendingUpgrades, byAccount, address: Object.values(byAddress).reduce((sum, n) => sum + n, 0) };
}

describe('sockets per account and per address', () => {
  const PER_ACCOUNT = 3;
  const PER_ADDRESS = 5;
  let server: TestServer;
  let member: TestAccount;
  let docId: string;
  const open: WebSocket[] = [];

  beforeAll(async () => {
    server = await startTestServer({
      env: { COLLAB_MAX_SOCKETS_PER_ACCOUNT: String(PER_ACCOUNT), COLLAB_MAX_SOCKETS_PER_ADDRESS: String(PER_ADDRESS) },
    });
    member = await addMember(server.url, server.owner.auth, server.owner.groupId, 'member', 'Member');
    docId = await createDocument(server, 'Capped');
  });
  afterAll(async () => {
    for (const socket of open) socket.terminate();
    await server.stop();
  });

  const url = () => `${server.collabUrl}/${docId}`;
  async function openOk(auth: Auth): Promise<WebSocket> {
    const result = await upgrade(url(), auth);
    if (result.status !== 'open') throw new Error(`refused: ${result.status} ${JSON.stringify(result.body)}`);
    open.push(result.socket);
    return result.socket;
  }
  async function closeAll(): Promise<void> {
    const sockets = open.splice(0);
    for (const socket of sockets) socket.close();
    await Promise.all(sockets.map(closed));
    await waitFor(() => counts(server).address === 0, 10_000, 'every slot released');
  }

  it('refuses an account past its cap with 429 naming the limit; another account still connects; closing frees a slot', async () => {
    const mine = [];
    for (let i = 0; i < PER_ACCOUNT; i++) mine.push(await openOk(server.owner.auth));
    const refused = await upgrade(url(), server.owner.auth);
    expect(refused.status).toBe(429);
    if (refused.status === 'open') return;
    expect(refused.body.error.code).toBe('too_many_connections');
    expect(refused.body.error.message).toMatch(new RegExp(`already has ${PER_ACCOUNT} collaboration sockets open .* limit per account`));
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    await openOk(member.auth);

    mine[0].close();
    await closed(mine[0]);
    await waitFor(() => counts(server).byAccount[server.owner.user.id] === PER_ACCOUNT - 1, 10_000, 'the closed socket to free its slot');
    await openOk(server.owner.auth);
    expect(counts(server).byAccount).toEqual({ [server.owner.user.id]: PER_ACCOUNT, [member.user.id]: 1 });
    await closeAll();
  });

  it('refuses an address past its cap with 429, whoever asks', async () => {
    for (let i = 0; i < PER_ACCOUNT; i++) await openOk(server.owner.auth);
    for (let i = PER_ACCOUNT; i < PER_ADDRESS; i++) await openOk(member.auth);
    const refused = await upgrade(url(), member.auth);
    expect(refused.status).toBe(429);
    if (refused.status === 'open') return;
    expect(refused.body.error).toMatchObject({ code: 'too_many_connections', message: expect.stringMatching(/already has 5 .* limit per address/) });
    // Refused before any credentials are checked: a stranger from that address is refused the same way.
    expect((await upgrade(url(), { token: 'cpat_made-up' })).status).toBe(429);
    await closeAll();
  });

  it('counts never pass the caps and come back to 0, however sockets open and close (property)', async () => {
    const accounts = [server.owner, member, await addMember(server.url, server.owner.auth, server.owner.groupId, 'observer', 'Observer')];
    type Action =
      | { kind: 'open'; who: number }
      | { kind: 'close' | 'terminate'; index: number }
      | { kind: 'abandon'; who: number }
      | { kind: 'revoke'; who: number };
    const action: fc.Arbitrary<Action> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('open' as const), who: fc.nat({ max: 2 }) }) },
      fc.record({ kind: fc.constantFrom('close' as const, 'terminate' as const), index: fc.nat() }),
      fc.record({ kind: fc.constant('abandon' as const), who: fc.nat({ max: 2 }) }),
      fc.record({ kind: fc.constant('revoke' as const), who: fc.nat({ max: 2 }) }),
    );

    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 16 }), async (actions) => {
        const live: { who: number; socket: WebSocket }[] = [];
        const model = () => {
          const byAccount: Record<string, number> = {};
          for (const { who } of live) byAccount[accounts[who].user.id] = (byAccount[accounts[who].user.id] ?? 0) + 1;
          return { pendingUpgrades: 0, byAccount, address: live.length };
        };
        // Compared with keys in order: the server's counts list accounts in the order they first connected.
        const canonical = (value: ReturnType<typeof model>) =>
          JSON.stringify({ ...value, byAccount: Object.fromEntries(Object.entries(value.byAccount).sort(([a], [b]) => a.localeCompare(b))) });
        const settled = () => waitFor(() => canonical(counts(server)) === canonical(model()), 10_000, 'the counts to match');
        try {
          for (const step of actions) {
            if (step.kind === 'open') {
              const mine = live.filter((s) => s.who === step.who).length;
              const expected = mine < PER_ACCOUNT && live.length < PER_ADDRESS ? 'open' : 429;
              const result = await upgrade(url(), accounts[step.who].auth);
              expect(result.status).toBe(expected);
              if (result.status === 'open') live.push({ who: step.who, socket: result.socket });
            } else if (step.kind === 'close' || step.kind === 'terminate') {
              if (live.length === 0) continue;
              const [{ socket }] = live.splice(step.index % live.length, 1);
              if (step.kind === 'close') socket.close();
              else socket.terminate();
              await closed(socket);
            } else if (step.kind === 'abandon') {
              // An upgrade the client gives up on while it is checked: it stops sending at once and
              // goes once the server is done with it (waiting for that keeps the next step from racing it).
              const raw = connect(server.port, '127.0.0.1');
              raw.on('error', () => {});
              raw.on('data', () => {});
              const gone = new Promise((resolve) => raw.once('close', resolve));
              raw.end(
                `GET /collab/${docId} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
                  `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n` +
                  `Authorization: Bearer ${accounts[step.who].token}\r\n\r\n`,
              );
              await gone;
            } else if (step.kind === 'revoke') {
              // The server closes them (4401), as when the person signs out everywhere.
              const { who } = step;
              const theirs = live.filter((s) => s.who === who);
              server.server.accessEvents.emit({ kind: 'credentials', userId: accounts[who].user.id });
              await Promise.all(theirs.map(({ socket }) => closed(socket)));
              live.splice(0, live.length, ...live.filter((s) => s.who !== who));
            }
            await settled();
            const now = counts(server);
            expect(now.address).toBeLessThanOrEqual(PER_ADDRESS);
            for (const n of Object.values(now.byAccount)) expect(n).toBeLessThanOrEqual(PER_ACCOUNT);
          }
        } finally {
          for (const { socket } of live.splice(0)) socket.close();
          await settled();
        }
        expect(counts(server)).toEqual({ pendingUpgrades: 0, byAccount: {}, address: 0 });
      }),
      {
        numRuns: 25,
        // Shrunk counterexample: the accounts' counts listed in another order than the model's.
        examples: [[[{ kind: 'open', who: 2 }, { kind: 'open', who: 0 }, { kind: 'open', who: 2 }, { kind: 'close', index: 0 }, { kind: 'open', who: 0 }]]],
      },
    );
  }, 240_000);
});

describe('behind a trusted proxy', () => {
  let server: TestServer;
  afterAll(() => server.stop());

  it('counts the forwarded client address, as the rest of the server sees it', async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'loopback', COLLAB_MAX_SOCKETS_PER_ADDRESS: '1' } });
    const docId = await createDocument(server, 'Behind a proxy');
    const url = `${server.collabUrl}/${docId}`;
    const first = await upgrade(url, server.owner.auth, { 'X-Forwarded-For': '198.51.100.7' });
    expect(first.status).toBe('open');
    expect((await upgrade(url, server.owner.auth, { 'X-Forwarded-For': '198.51.100.7' })).status).toBe(429);
    const other = await upgrade(url, server.owner.auth, { 'X-Forwarded-For': '203.0.113.9' });
    expect(other.status).toBe('open');
    expect(server.server.collab.socketCounts().byAddress).toEqual({ '198.51.100.7': 1, '203.0.113.9': 1 });
    for (const result of [first, other]) if (result.status === 'open') result.socket.terminate();
  });
});

describe('upgrades being checked', () => {
  /** While set, reading an access token waits for it: authorization hangs, as on a stuck database. */
  let stall: { promise: Promise<void>; release: () => void } | null = null;
  const servers: TestServer[] = [];
  afterAll(async () => {
    stall?.release();
    for (const server of servers) await server.stop();
  });

  function stallStore(): () => void {
    let release = () => {};
    stall = { promise: new Promise<void>((resolve) => (release = resolve)), release: () => release() };
    return () => {
      stall = null;
      release();
    };
  }
  async function stallingServer(env: Record<string, string>): Promise<{ server: TestServer; url: string }> {
    const server = await startTestServer({
      env,
      wrapStore: (store) => ({
        ...store,
        async getAccessTokenByHash(hash) {
          if (stall) await stall.promise;
          return store.getAccessTokenByHash(hash);
        },
      }),
    });
    servers.push(server);
    return { server, url: `${server.collabUrl}/${await createDocument(server, 'Slow store')}` };
  }
  /** Sends a complete upgrade request with the owner's token and goes away at once. */
  function abandonUpgrade(server: TestServer, url: string): void {
    const raw = connect(server.port, '127.0.0.1');
    raw.on('error', () => {});
    raw.end(
      `GET ${new URL(url).pathname} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer ${server.owner.token}\r\n\r\n`,
      () => raw.destroy(),
    );
  }
  async function openThenClose(server: TestServer, url: string): Promise<void> {
    const ok = await upgrade(url, server.owner.auth);
    expect(ok.status).toBe('open');
    if (ok.status === 'open') {
      ok.socket.close();
      await closed(ok.socket);
    }
    await waitFor(() => counts(server).address === 0, 10_000, 'its slot released');
  }

  it('refuses an upgrade whose check hangs with 503 upgrade_timeout after COLLAB_UPGRADE_TIMEOUT_MS', async () => {
    const { server, url } = await stallingServer({ COLLAB_UPGRADE_TIMEOUT_MS: '1000' });
    const resume = stallStore();
    const started = Date.now();
    const result = await upgrade(url, server.owner.auth);
    expect(result.status).toBe(503);
    if (result.status !== 'open') {
      expect(result.body.error).toMatchObject({ code: 'upgrade_timeout', message: expect.stringMatching(/within 1000 ms/) });
      expect(Number(result.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await waitFor(() => counts(server).pendingUpgrades === 0 && counts(server).address === 0, 10_000, 'nothing held');
    // A client that went away while its check hung holds nothing once the check times out.
    abandonUpgrade(server, url);
    await waitFor(() => counts(server).pendingUpgrades === 1, 10_000, 'the abandoned upgrade to be checked');
    await waitFor(() => counts(server).pendingUpgrades === 0 && counts(server).address === 0, 10_000, 'the abandoned upgrade timed out');
    // The store answers again (the stalled read finishes late and is ignored): sockets open.
    resume();
    await openThenClose(server, url);
  });

  it('refuses more upgrades than COLLAB_MAX_PENDING_UPGRADES being checked at once with 503 server_busy', async () => {
    const { server, url } = await stallingServer({ COLLAB_MAX_PENDING_UPGRADES: '2', COLLAB_UPGRADE_TIMEOUT_MS: '60000' });
    const resume = stallStore();
    const hanging = [upgrade(url, server.owner.auth), upgrade(url, server.owner.auth)];
    await waitFor(() => counts(server).pendingUpgrades === 2, 10_000, 'two upgrades being checked');
    const busy = await upgrade(url, server.owner.auth);
    expect(busy.status).toBe(503);
    if (busy.status !== 'open') expect(busy.body.error.code).toBe('server_busy');
    // Once the store answers, the two being checked open.
    resume();
    for (const result of await Promise.all(hanging)) {
      expect(result.status).toBe('open');
      if (result.status === 'open') {
        result.socket.close();
        await closed(result.socket);
      }
    }
    await waitFor(() => counts(server).pendingUpgrades === 0 && counts(server).address === 0, 10_000, 'nothing held');
    await openThenClose(server, url);
  });

  // The upgrade's socket is not read while it is checked (its bytes belong to the websocket), so
  // a client that goes away is noticed when the check ends: answered, or timed out.
  it('frees the slots of a client that goes away while its upgrade is checked, once the check ends', async () => {
    const { server, url } = await stallingServer({ COLLAB_UPGRADE_TIMEOUT_MS: '60000' });
    const resume = stallStore();
    abandonUpgrade(server, url);
    await waitFor(() => counts(server).address === 1 && counts(server).pendingUpgrades === 1, 10_000, 'the upgrade to be checked');
    resume();
    await waitFor(() => counts(server).pendingUpgrades === 0 && counts(server).address === 0, 10_000, 'the slots released');
    expect(counts(server).byAccount).toEqual({});
    await openThenClose(server, url);
  });
});

describe('HTTP deadlines', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      env: { HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000', HTTP_KEEPALIVE_TIMEOUT_MS: '300' },
    });
  });
  afterAll(() => server.stop());

  /**
   * Connects, writes `first`, then `drip` every 200 ms until the server closes the connection;
   * resolves with what the server sent and how long the connection lasted. Fails if it is still
   * open after `deadlineMs`.
   */
  function dripUntilClosed(first: string, drip: string, deadlineMs: number): Promise<{ received: string; ms: number }> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const socket: Socket = connect(server.port, '127.0.0.1');
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (received += chunk));
      socket.on('error', () => {});
      socket.write(first);
      const dripping = drip ? setInterval(() => socket.writable && socket.write(drip), 200) : undefined;
      const guard = setTimeout(() => {
        clearInterval(dripping);
        socket.destroy();
        reject(new Error(`still open after ${deadlineMs} ms`));
      }, deadlineMs);
      socket.once('close', () => {
        clearInterval(dripping);
        clearTimeout(guard);
        resolve({ received, ms: Date.now() - started });
      });
    });
  }

  it('drops an upgrade whose headers drip in, one every 200 ms, after the headers timeout (408)', async () => {
    const { received, ms } = await dripUntilClosed('GET /collab/AAAAAAAAAAAAAAAA HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n', 'X-Drip: 1\r\n', 8_000);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeGreaterThanOrEqual(900);
  });

  it('drops a request whose body drips in after the request timeout (408)', async () => {
    const { received, ms } = await dripUntilClosed(
      'POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
      ' ',
      8_000,
    );
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeGreaterThanOrEqual(1_900);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const { received } = await dripUntilClosed('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n', '', 4_000);
    expect(received).toMatch(/^HTTP\/1\.1 200/);
  });
});
