/**
 * A kill loop on PostgreSQL + Redis with two server processes that classifies every update typed:
 * nothing leaves a server (broadcast, sync step 2 reply, fan-out to the other process's clients)
 * that the store does not have, and nothing acknowledged is lost.
 *
 * Clients are raw sockets, so that nothing a client received can reach the store again through it
 * (a stock client sends its whole state back after a reconnect, which would hide a lost edit):
 * writers type paragraphs with unique tokens from a Y.Doc of their own (a fresh one per
 * connection; half of them first type a few tokens more on the last connection's, which Yjs holds
 * back on the server when the dead process lost what they build on), every client sends sync step 1s now and then (a step 2 answering a step 1
 * acknowledges what the socket sent before it) and records every token it receives. Processes are
 * killed (SIGKILL) at random, half of the time the moment a client receives edits from that
 * process, and restarted; clients reconnect to a process that is up. At the end every token is:
 *   stored;
 *   seen (a client received it) but not stored: must be 0, the durability rule;
 *   acknowledged but not stored: must be 0;
 *   sent, never seen nor acknowledged, not stored: allowed (the process died before storing it).
 *
 * KILL_LOOP_KILLS (default 15) sets the number of kills; run 150 by hand:
 *   KILL_LOOP_KILLS=150 npx vitest run tests/scale/postgres-kill-loop.test.ts
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { openPostgresStore } from '../../server/src/store/index';
import type { Auth } from '../helpers/accounts';
import { appendParagraph, docFromStored, fragmentText, sleep, waitFor } from '../helpers/clients';
import { openSocket, readSyncPayload, syncStep1Frame, updateFrame } from '../helpers/frames';
import { createTestSchema, type TestSchema } from '../helpers/postgres';
import { prng } from '../helpers/random';
import { startTestRedis, type TestRedis } from '../helpers/redis';
import { createDocument, spawnServerProcess, tempDataDir, type ServerProcess } from '../helpers/server';

const KILLS = Number(process.env.KILL_LOOP_KILLS ?? 15);
const PROCESSES = 2;
const WRITERS = 6;
const OBSERVERS = 2;

let schema: TestSchema;
let redis: TestRedis;
const dataDir = tempDataDir();
const processes: (ServerProcess | null)[] = [];
const ports: number[] = [];
let auth: Auth;

/** Starts that failed and were tried again (printed with the figures). */
const failedStarts: string[] = [];

async function start(slot: number): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      const server = await spawnServerProcess({
        dataDir,
        port: ports[slot],
        env: { DATABASE_URL: schema.connectionString, REDIS_URL: redis.url },
      });
      ports[slot] = server.port;
      processes[slot] = server;
      return server;
    } catch (error) {
      // A long run by hand on a shared machine can meet a dependency being reinstalled; a start
      // that keeps failing still fails the test.
      if (attempt === 3) throw error;
      failedStarts.push(String(error).split('\n').slice(0, 2).join(' '));
      await sleep(2000);
    }
  }
}

beforeAll(async () => {
  schema = await createTestSchema();
  redis = await startTestRedis();
}, 60_000);

afterAll(async () => {
  for (const server of processes) {
    if (!server) continue;
    server.child.kill('SIGKILL');
    await server.exited;
  }
  await redis?.stop();
  await schema?.drop();
}, 60_000);

const TOKEN = /k(\d+)-(\d+);/g;
const tokensIn = (bytes: Uint8Array): string[] => [...Buffer.from(bytes).toString('latin1').matchAll(TOKEN)].map((match) => match[0]);

const isSync = (frame: Uint8Array, type: number) => frame[0] === 0 && frame[1] === type;

/** Every token sent, acknowledged (a step 2 answered a step 1 sent after it) or received by some client. */
const sent = new Set<string>();
const acked = new Set<string>();
const seen = new Set<string>();
/** When and to which process each token was sent, and when each process was killed (for the figures). */
const sentTo = new Map<string, { slot: number; at: number }>();
const killedAt: number[][] = [];
const clients: RawClient[] = [];
const load = (slot: number) => clients.filter((client) => client.connectedTo === slot).length;

/** Set by the kill loop: kill this slot's process the moment a client receives edits from it. */
let killOnFrame: { slot: number; kill: () => void } | null = null;

/** A raw-socket client: reconnects to a running process on its own, never sends what it received. */
class RawClient {
  /** Everything this client has (received and typed), for the state vectors of its step 1s. */
  readonly view = new Y.Doc();
  private socket: WebSocket | null = null;
  private slot = -1;
  /**
   * What this client types into: fresh per connection (a new Yjs client id, so nothing typed depends
   * on an edit the server may have lost), or, for a `typesAhead` client, the last connection's for
   * its first few tokens.
   */
  private typing: Y.Doc | null = null;
  private previousTyping: Y.Doc | null = null;
  private typeAheadLeft = 0;
  private unacked: string[] = [];
  /** Tokens each outstanding step 1 acknowledges once answered, oldest first. */
  private awaitingAnswers: string[][] = [];
  private typed = 0;
  running = true;
  connections = 0;

  /**
   * `typesAhead`: after a reconnect, types a few tokens more with the last connection's Yjs client
   * (never sending again what a dead process lost), so they build on edits the server may never
   * get and Yjs holds them back. A stock client does the same for a moment after each reconnect:
   * it sends what is typed before its sync step 2, which brings what they build on.
   */
  constructor(
    readonly id: number,
    private readonly docId: string,
    private readonly random: () => number,
    private readonly typesAhead = false,
  ) {}

  get connected(): boolean {
    return this.socket !== null;
  }

  /** Step 1s sent on this connection and not answered yet. */
  get unanswered(): number {
    return this.awaitingAnswers.length;
  }

  async connect(): Promise<void> {
    while (this.running && !this.socket) {
      const up = processes.map((server, slot) => (server ? slot : -1)).filter((slot) => slot >= 0);
      if (up.length === 0) {
        await sleep(50);
        continue;
      }
      // The process with the fewest clients (ties at random), so both keep some.
      const fewest = Math.min(...up.map(load));
      const least = up.filter((slot) => load(slot) === fewest);
      const slot = least[Math.floor(this.random() * least.length)];
      const server = processes[slot]!;
      const opened = await openSocket(`${server.collabUrl}/${this.docId}`, { auth }).catch(() => null);
      if (!opened || opened.status !== 'open') {
        await sleep(50);
        continue;
      }
      this.attach(opened.socket, slot);
    }
  }

  /** The process this client is connected to, or -1. */
  get connectedTo(): number {
    return this.socket ? this.slot : -1;
  }

  /** Closes the connection (the server handles what was sent before): the client reconnects to the process with the fewest clients. */
  move(): void {
    this.socket?.close();
  }

  private attach(socket: WebSocket, slot: number): void {
    this.socket = socket;
    this.slot = slot;
    this.connections++;
    const typing = this.typesAhead && this.previousTyping ? this.previousTyping : this.newTypingDoc();
    this.typeAheadLeft = this.typesAhead ? 3 : 0;
    this.typing = typing;
    socket.on('error', () => {});
    socket.on('message', (data: Buffer) => this.received(new Uint8Array(data)));
    socket.on('close', () => {
      if (this.socket !== socket) return;
      if (this.typesAhead) this.previousTyping = this.typing;
      else this.typing?.destroy();
      this.socket = null;
      this.typing = null;
      // What was sent on this socket and not acknowledged stays unacknowledged.
      this.unacked = [];
      this.awaitingAnswers = [];
      if (this.running) void this.connect();
    });
    this.askForAnswer();
  }

  private newTypingDoc(): Y.Doc {
    const typing = new Y.Doc();
    typing.on('update', (update: Uint8Array) => {
      Y.applyUpdate(this.view, update, 'typed');
      if (this.typing === typing) this.socket?.send(updateFrame(update));
    });
    return typing;
  }

  private received(frame: Uint8Array): void {
    const isEdit = isSync(frame, 1) || isSync(frame, 2);
    if (!isEdit) return;
    const tokens = tokensIn(frame);
    for (const token of tokens) seen.add(token);
    if (tokens.length > 0 && killOnFrame?.slot === this.slot) {
      // The moment edits left this process: end it at once.
      killOnFrame.kill();
      killOnFrame = null;
    }
    try {
      Y.applyUpdate(this.view, readSyncPayload(frame), 'received');
    } catch {
      // Recorded above; the view only feeds state vectors.
    }
    if (isSync(frame, 1)) for (const token of this.awaitingAnswers.shift() ?? []) acked.add(token);
  }

  /** Sends a sync step 1: its answer acknowledges everything this socket sent before it. */
  askForAnswer(): void {
    if (!this.socket) return;
    this.awaitingAnswers.push(this.unacked);
    this.unacked = [];
    this.socket.send(syncStep1Frame(Y.encodeStateVector(this.view)));
  }

  type(): void {
    if (!this.typing) return;
    const token = `k${this.id}-${this.typed++};`;
    sent.add(token);
    sentTo.set(token, { slot: this.slot, at: performance.now() });
    this.unacked.push(token);
    appendParagraph(this.typing, token);
    // Typed ahead for long enough: a fresh Yjs client from now on.
    if (this.typeAheadLeft > 0 && --this.typeAheadLeft === 0) this.typing = this.newTypingDoc();
  }

  close(): void {
    this.running = false;
    const socket = this.socket;
    this.socket = null;
    socket?.terminate();
  }
}

it(`kills (SIGKILL) and restarts one of ${PROCESSES} processes on PostgreSQL ${KILLS} times while raw clients type: every update seen by a client or acknowledged is stored`, async () => {
  for (let slot = 0; slot < PROCESSES; slot++) await start(slot);
  auth = processes[0]!.owner.auth;
  const docId = await createDocument(processes[0]!, 'Kill loop');
  const random = prng(KILLS * 7919 + 17);

  for (let id = 0; id < WRITERS + OBSERVERS; id++) {
    // Writers: half type from a fresh Yjs client per connection, half type ahead on the last one first.
    const client = new RawClient(id, docId, random, id < WRITERS && id % 2 === 1);
    clients.push(client);
    await client.connect();
  }

  let editing = true;
  const activity = clients.map(async (client, index) => {
    const writer = index < WRITERS;
    while (editing) {
      if (writer) client.type();
      if (!writer || random() < 0.4) client.askForAnswer();
      await sleep(writer ? 20 + random() * 50 : 50 + random() * 100);
    }
  });

  let onFrameKills = 0;
  const restartMs: number[] = [];
  const started = Date.now();
  try {
    for (let k = 0; k < KILLS; k++) {
      // Everyone types for a moment (clients of a restarted process reconnect meanwhile).
      await sleep(150 + random() * 450);
      // A process that has clients (each restarted one gets half of the other's back).
      const withClients = processes.map((_, slot) => slot).filter((slot) => processes[slot] && load(slot) > 0);
      const candidates = withClients.length > 0 ? withClients : processes.map((_, slot) => slot);
      const slot = candidates[Math.floor(random() * candidates.length)];
      const server = processes[slot]!;
      let killed = false;
      const kill = () => {
        if (killed) return;
        killed = true;
        processes[slot] = null;
        server.child.kill('SIGKILL');
        (killedAt[slot] ??= []).push(performance.now());
      };
      if (random() < 0.5) {
        // The worst moment: as edits from this process reach a client (or after a while, if none do).
        killOnFrame = { slot, kill: () => ((onFrameKills += killed ? 0 : 1), kill()) };
        const fallback = setTimeout(kill, 1000);
        await server.exited.finally(() => clearTimeout(fallback));
        killOnFrame = null;
      } else {
        kill();
        await server.exited;
      }
      const restarting = Date.now();
      await start(slot);
      restartMs.push(Date.now() - restarting);
      // Half of the other process's clients move to the restarted one, so edits keep crossing between processes.
      const others = clients.filter((client) => client.connectedTo >= 0 && client.connectedTo !== slot);
      for (const client of others.slice(0, Math.floor(others.length / 2))) client.move();
    }
  } finally {
    killOnFrame = null;
    editing = false;
    await Promise.all(activity);
  }

  // Let the last frames settle: every connected client's last step 1 answered.
  for (const client of clients) client.askForAnswer();
  await waitFor(() => clients.every((client) => !client.connected || client.unanswered === 0), 30_000, 'the last answers');
  for (const client of clients) client.close();
  for (let slot = 0; slot < PROCESSES; slot++) {
    const server = processes[slot]!;
    processes[slot] = null;
    server.child.kill('SIGKILL');
    await server.exited;
  }

  const store = await openPostgresStore({ connectionString: schema.connectionString });
  let storedText: string;
  let storedTokens: string[];
  let storedRows = 0;
  try {
    const content = await store.loadContent(docId);
    storedText = fragmentText(docFromStored(content));
    storedRows = content.updates.length;
    // Stored means in the stored bytes, as seen means in the bytes a client received: an update
    // Yjs holds back (it builds on an edit that was lost) is stored all the same.
    storedTokens = [content.snapshot, ...content.updates].flatMap((bytes) => (bytes ? tokensIn(bytes) : []));
  } finally {
    await store.close();
  }
  const stored = new Set(storedTokens);
  const phantom = [...stored].filter((token) => !sent.has(token));
  const heldBack = [...stored].filter((token) => !storedText.split('\n').includes(token));
  const seenUnstored = [...seen].filter((token) => !stored.has(token));
  const ackedUnstored = [...acked].filter((token) => !stored.has(token));
  const lostUnacknowledged = [...sent].filter((token) => !stored.has(token) && !seen.has(token) && !acked.has(token));
  // How long before its process died each lost token was sent (negative: sent after, before the client noticed).
  const beforeDeath = lostUnacknowledged
    .map((token) => {
      const { slot, at } = sentTo.get(token)!;
      const death = (killedAt[slot] ?? []).find((time) => time >= at - 1000);
      return death === undefined ? Infinity : death - at;
    })
    .sort((a, b) => a - b);
  const percentile = (p: number) => (beforeDeath.length ? Math.round(beforeDeath[Math.min(beforeDeath.length - 1, Math.floor(p * beforeDeath.length))]) : 0);

  console.log(
    `PostgreSQL kill loop: ${KILLS} kills (${onFrameKills} the moment edits reached a client) of ${PROCESSES} processes in ${Math.round((Date.now() - started) / 1000)} s (restarts took ${Math.round(restartMs.reduce((a, b) => a + b, 0) / Math.max(1, restartMs.length))} ms on average), ` +
      `${clients.reduce((sum, client) => sum + client.connections, 0)} connections; updates sent ${sent.size}, stored ${stored.size} (${heldBack.length} of them held back by Yjs: they build on a lost edit; ${storedRows} update rows after the last compaction), ` +
      `seen by a client ${seen.size}, acknowledged ${acked.size}; seen-but-unstored ${seenUnstored.length}, acknowledged-but-unstored ${ackedUnstored.length}, ` +
      `lost-unacknowledged ${lostUnacknowledged.length} (sent ${percentile(0.5)} ms before their process died at the median, ${percentile(0.9)} ms at p90; ` +
      `${beforeDeath.filter((ms) => ms < 0).length} after it, before the client noticed; ${beforeDeath.filter((ms) => ms === Infinity).length} to a process never killed)`,
  );
  if (failedStarts.length > 0) console.log(`starts tried again: ${failedStarts.length}\n  ${failedStarts.join('\n  ')}`);
  expect(phantom).toEqual([]);
  expect(seenUnstored).toEqual([]);
  expect(ackedUnstored).toEqual([]);
  // The loop did what it says: edits went through, across kills.
  expect(stored.size).toBeGreaterThan(KILLS);
}, 120_000 + KILLS * 15_000);
