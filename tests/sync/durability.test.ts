/**
 * Crash and shutdown safety with the real server as a child process, really killed.
 * The clients are destroyed right after the kill, so the restarted server can only show what it
 * had stored itself — a client reconnecting would otherwise re-send what the server lost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, sleep, waitFor, waitForSync, type TestClient } from '../helpers/clients';
import WebSocket from 'ws';
import { authHeaders } from '../helpers/accounts';
import { updateFrame } from '../helpers/frames';
import { createDocument, spawnServerProcess, startTestServer, tempDataDir, type ServerProcess } from '../helpers/server';
import { join } from 'node:path';
import { openSqliteStore, type Store } from '../../server/src/store/index';

const processes: ServerProcess[] = [];
const clients: TestClient[] = [];

afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
  for (const p of processes.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
});

async function start(dataDir: string, env?: Record<string, string>): Promise<ServerProcess> {
  const server = await spawnServerProcess({ dataDir, env });
  processes.push(server);
  return server;
}

function open(server: ServerProcess, docId: string): TestClient {
  const client = connectClient(server, docId);
  clients.push(client);
  return client;
}

/** Starts typing one character per transaction into a fresh paragraph; returns a stop function. */
function startTyping(client: TestClient, everyMs: number): () => void {
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  client.doc.getXmlFragment('default').push([paragraph]);
  let n = 0;
  const timer = setInterval(() => {
    // Several keystrokes per tick, each its own transaction, like fast typing.
    for (let i = 0; i < 3; i++) text.insert(text.length, String.fromCharCode(97 + (n++ % 26)));
  }, everyMs);
  return () => clearInterval(timer);
}

describe('durability', () => {
  it('loses nothing that was broadcast when the server is killed with SIGKILL mid-typing', async () => {
    const dataDir = tempDataDir();
    let server = await start(dataDir);
    const docId = await createDocument(server);

    for (const killAfterMs of [700, 1300, 400]) {
      const writer = open(server, docId);
      const observer = open(server, docId);
      await Promise.all([waitForSync(writer), waitForSync(observer)]);
      const stop = startTyping(writer, 2);
      await sleep(killAfterMs);

      server.child.kill('SIGKILL');
      // Everything the observer holds came from the server's broadcast.
      const broadcast = observer.text();
      stop();
      for (const c of clients.splice(0)) c.destroy();
      expect(await server.exited).toBe('SIGKILL');
      expect(broadcast.length).toBeGreaterThan(killAfterMs / 20);

      server = await start(dataDir);
      const reader = open(server, docId);
      await waitForSync(reader);
      const stored = reader.text();
      // The reader has at least everything the observer saw, character for character.
      expect(stored.length).toBeGreaterThanOrEqual(broadcast.length);
      expect(stored.startsWith(broadcast)).toBe(true);
      for (const c of clients.splice(0)) c.destroy();
    }
  });

  it('stores pending changes and closes connections cleanly on SIGTERM', async () => {
    const dataDir = tempDataDir();
    const server = await start(dataDir);
    const docId = await createDocument(server);
    const writer = open(server, docId);
    const observer = open(server, docId);
    await Promise.all([waitForSync(writer), waitForSync(observer)]);
    const closeCodes: number[] = [];
    observer.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) closeCodes.push(event.code);
    });

    const stop = startTyping(writer, 2);
    await sleep(500);
    stop();
    await waitFor(() => observer.text() === writer.text(), 5000, 'observer caught up');
    const typed = writer.text();

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.logs.some((line) => line.includes('shutdown complete'))).toBe(true);
    await waitFor(() => closeCodes.length > 0, 5000, 'close event');
    expect(closeCodes[0]).toBe(1001);
    for (const c of clients.splice(0)) c.destroy();

    const restarted = await start(dataDir);
    const reader = open(restarted, docId);
    await waitForSync(reader);
    expect(reader.text()).toBe(typed);
  });

  it('on SIGTERM handles every frame a client sent before it heard the close, and stores it', async () => {
    const dataDir = tempDataDir();
    // The drain bound is the production 2 s by default; generous here so a slow machine can't fail this.
    const server = await start(dataDir, { SHUTDOWN_DRAIN_MS: '30000' });
    const docId = await createDocument(server);
    // Raw sockets that never reconnect: what the restarted server has, it stored itself.
    const writers: { socket: WebSocket; doc: Y.Doc; sent: number; typed: number }[] = [];
    for (let i = 0; i < 6; i++) {
      const socket = new WebSocket(`${server.collabUrl}/${docId}`, { headers: authHeaders(server.owner.auth) });
      // The server's first frame (its sync step 1) says the room is loaded and this socket is in it.
      await new Promise<void>((resolve, reject) => {
        socket.once('message', () => resolve());
        socket.once('error', reject);
      });
      writers.push({ socket, doc: new Y.Doc(), sent: 0, typed: 0 });
    }
    // Each types one character per frame until its socket is no longer open: the frames sent while
    // it was open left before its answer to the server's close frame, so the server received them.
    let started!: () => void;
    const typing = new Promise<void>((resolve) => (started = resolve));
    const timers = writers.map((writer) => {
      const text = new Y.XmlText();
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [text]);
      writer.doc.on('update', (update: Uint8Array) => {
        if (writer.socket.readyState !== WebSocket.OPEN) return;
        writer.socket.send(updateFrame(update));
        writer.sent = Y.decodeStateVector(Y.encodeStateVector(writer.doc)).get(writer.doc.clientID)!;
      });
      writer.doc.getXmlFragment('default').push([paragraph]);
      return setInterval(() => {
        for (let i = 0; i < 2; i++) text.insert(text.length, String.fromCharCode(97 + (writer.typed++ % 26)));
        if (writers.every((w) => w.typed >= 100)) started();
      }, 1);
    });
    await typing;
    server.child.kill('SIGTERM');
    const closeCodes = writers.map(({ socket }) => new Promise<number>((resolve) => socket.once('close', (code) => resolve(code))));
    expect(await Promise.all(closeCodes)).toEqual(writers.map(() => 1001));
    for (const timer of timers) clearInterval(timer);
    expect(await server.exited).toBe(0);
    for (const { socket } of writers) socket.terminate();

    const restarted = await start(dataDir);
    const reader = open(restarted, docId);
    await waitForSync(reader);
    const stored = Y.decodeStateVector(Y.encodeStateVector(reader.doc));
    expect(writers.map(({ doc }) => stored.get(doc.clientID))).toEqual(writers.map(({ sent }) => sent));
  }, 60_000);

  it('on SIGTERM also drains a socket that back-pressure had stopped reading (the store was behind), and stores what it sent', async () => {
    const LIMIT = 64 * 1024;
    // The store hangs while `gated`: the first batch waits in appendUpdate, the next ones pile up
    // in the room until it passes its bound and stops reading the writer's socket.
    let gated = false;
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let inFlightBytes = 0;
    const dataDir = tempDataDir();
    const server = await startTestServer({
      dataDir,
      // A socket that is not drained is terminated after SHUTDOWN_DRAIN_MS: bounds how long this test fails.
      env: { UNSTORED_BYTES_PER_ROOM: String(LIMIT), SHUTDOWN_DRAIN_MS: '5000' },
      wrapStore: (store: Store): Store => ({
        ...store,
        async appendUpdate(id, update, attribution) {
          if (gated) {
            inFlightBytes += update.length;
            await gate;
          }
          return store.appendUpdate(id, update, attribution);
        },
      }),
    });
    let stopped = false;
    try {
      const docId = await createDocument(server);
      const socket = new WebSocket(`${server.collabUrl}/${docId}`, { headers: authHeaders(server.owner.auth) });
      await new Promise<void>((resolve, reject) => {
        socket.once('message', () => resolve());
        socket.once('error', reject);
      });
      gated = true;
      const doc = new Y.Doc();
      let frames = 0;
      let sent = 0;
      doc.on('update', (update: Uint8Array) => {
        if (socket.readyState !== WebSocket.OPEN) return;
        socket.send(updateFrame(update));
        frames++;
        sent = Y.decodeStateVector(Y.encodeStateVector(doc)).get(doc.clientID)!;
      });
      const text = new Y.XmlText();
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [text]);
      doc.getXmlFragment('default').push([paragraph]);
      // That first update is the batch the store holds (alone, so the budget counts exactly its bytes).
      await waitFor(() => inFlightBytes > 0, 10_000, 'the first batch to reach the store');
      const chunk = 'x'.repeat(1000);
      const typing = setInterval(() => text.insert(text.length, chunk), 1);
      const registry = server.server.registry;
      try {
        // More than its bound waits in the room: it has stopped reading the socket…
        await waitFor(() => registry.stats().unstoredBytes - inFlightBytes > LIMIT, 30_000, 'the room to pass its bound');
        // …and the writer sends on: 100 more frames wait, unread, in the paused socket.
        const pausedAt = frames;
        await waitFor(() => frames >= pausedAt + 100, 30_000, '100 more frames');
      } finally {
        clearInterval(typing);
      }
      const held = registry.stats().unstoredBytes;
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      const stopping = server.stop().then(() => (stopped = true));
      // The drain has read this socket to its close frame (or given up on it): let the store catch up.
      expect(await closed).toBe(1001);
      gated = false;
      openGate();
      await stopping;
      // It was not read meanwhile: the 100 frames (100 KB) were not taken in.
      expect(held - inFlightBytes).toBeLessThan(LIMIT + 64 * 1024);

      const store = openSqliteStore({ path: join(dataDir, 'concord.sqlite') });
      try {
        const content = await store.loadContent(docId);
        const stored = new Y.Doc();
        if (content.snapshot) Y.applyUpdate(stored, content.snapshot);
        for (const update of content.updates) Y.applyUpdate(stored, update);
        // Every frame the writer sent before it heard the close, the paused ones too.
        expect(Y.decodeStateVector(Y.encodeStateVector(stored)).get(doc.clientID)).toBe(sent);
      } finally {
        await store.close();
      }
    } finally {
      openGate();
      if (!stopped) await server.stop().catch(() => undefined);
    }
  }, 60_000);

  it('a graceful stop does not wait for a client that never answers the close (SHUTDOWN_DRAIN_MS, then terminated)', async () => {
    const server = await startTestServer({ env: { SHUTDOWN_DRAIN_MS: '1000' } });
    const docId = await createDocument(server);
    const connect = async () => {
      const socket = new WebSocket(`${server.collabUrl}/${docId}`, { headers: authHeaders(server.owner.auth) });
      await new Promise<void>((resolve, reject) => {
        socket.once('message', () => resolve());
        socket.once('error', reject);
      });
      return socket;
    };
    const polite = await connect();
    const deaf = await connect();
    // Reads nothing more: never sees the server's close frame, so never answers it.
    deaf.pause();
    const politeCode = new Promise<number>((resolve) => polite.once('close', (code) => resolve(code)));
    await server.stop();
    expect(await politeCode).toBe(1001);
    // The server ended the deaf one's connection: once it reads again, its socket is closed.
    const deafClosed = new Promise<void>((resolve) => deaf.once('close', () => resolve()));
    deaf.resume();
    await deafClosed;
  });
});
