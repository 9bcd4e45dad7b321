/**
 * Convergence under real concurrent editing: two recorded multi-author editing sessions
 * (friendsforever: 2 agents, clownschool: 3 agents) are replayed through the real server, one
 * stock y-websocket client per author, in a random causal interleaving with random pauses,
 * random disconnects (clients keep typing offline) and two moments where everybody is offline
 * long enough for the server to unload the room. Every author must end up with the recorded
 * final text, and so must the document in SQLite, before and after a restart.
 *
 * Each txn is fed to its author's client only once the txns it was typed on (its parents) have
 * reached that client; an edit that does not reach a connected client within 10 s fails the
 * test (a lost broadcast), instead of being quietly repaired by the next reconnect.
 *
 * Reproduce a failure with CONVERGENCE_SEED=<seed printed by the failing run>.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, docFromStored, sleep, waitFor, waitForSync, type TestClient } from '../helpers/clients';
import { createDocument, startTestServer, type TestServer } from '../helpers/server';
import { prng } from '../helpers/random';
import {
  buildTxnUpdates,
  loadConcurrentTrace,
  mergedText,
  traceText,
  traceTextNode,
  type ConcurrentTrace,
  type TxnUpdates,
} from '../helpers/traces';

const TRACES = ['friendsforever', 'clownschool'] as const;


const baseSeed = process.env.CONVERGENCE_SEED ? Number(process.env.CONVERGENCE_SEED) : Math.floor(Math.random() * 2 ** 31);

/** Short description of where two long texts differ (a 21 kB diff in the output helps nobody). */
function difference(actual: string, expected: string): string | null {
  if (actual === expected) return null;
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  return (
    `lengths ${actual.length} vs expected ${expected.length}; first difference at ${i}: ` +
    `got ${JSON.stringify(actual.slice(Math.max(0, i - 20), i + 40))}, ` +
    `expected ${JSON.stringify(expected.slice(Math.max(0, i - 20), i + 40))}`
  );
}

/** Rejects if `promise` has not settled within `ms` (a hung shutdown should fail, not hang the run). */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const stopping = new WeakMap<TestServer, Promise<void>>();
/** TestServer.stop() once per server, however often cleanup asks. */
function stopServer(server: TestServer): Promise<void> {
  let stop = stopping.get(server);
  if (!stop) {
    stop = server.stop();
    stopping.set(server, stop);
  }
  return stop;
}

const generated = new Map<string, { trace: ConcurrentTrace; updates: TxnUpdates }>();
function prepared(name: string): { trace: ConcurrentTrace; updates: TxnUpdates } {
  let entry = generated.get(name);
  if (!entry) {
    const trace = loadConcurrentTrace(name);
    entry = { trace, updates: buildTxnUpdates(trace) };
    generated.set(name, entry);
  }
  return entry;
}

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('trace replay (local, no server)', () => {
  it.each(TRACES)('%s: one Yjs update per txn, applied on its parents\u2019 version, reproduces the recorded end text', (name) => {
    const { trace, updates } = prepared(name);
    expect(updates.updates.every((u) => u !== null && u.length > 0)).toBe(true);
    // The agent that made the last txn has (transitively) seen every txn.
    expect(difference(updates.finalShadowText, trace.endContent)).toBeNull();
    // And the same updates merged in any doc, without the shadows' history, give the same text.
    expect(difference(mergedText(updates), trace.endContent)).toBeNull();
  });
});

describe('concurrent trace replay through the server', () => {
  it.each(TRACES)(
    '%s: every author and the reloaded document end with the recorded text, despite reconnects',
    async (name) => {
      const seed = (baseSeed + TRACES.indexOf(name)) >>> 0;
      console.log(`[convergence] ${name}: seed ${seed} (rerun with CONVERGENCE_SEED=${baseSeed})`);
      const random = prng(seed);
      const between = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
      const { trace, updates: generatedUpdates } = prepared(name);
      const { txns, numAgents, endContent } = trace;
      const updates = generatedUpdates.updates as Uint8Array[];
      const startedAt = Date.now();

      // Small grace and compaction thresholds so room unload/reload and background compaction
      // happen during the replay (every client may be offline at once), not only at the end.
      const env = { ROOM_UNLOAD_GRACE_MS: '40', COMPACT_AFTER_UPDATES: '150' };
      let server: TestServer = await startTestServer({ env });
      cleanup.push(() => within(stopServer(server), 15_000, 'server stop'));
      const docId = await createDocument(server, `Replay of ${name}`);

      const clients: TestClient[] = [];
      for (let agent = 0; agent < numAgents; agent++) {
        const client = connectClient(server, docId);
        clients.push(client);
        cleanup.push(() => client.destroy());
      }
      await Promise.all(clients.map((client) => waitForSync(client)));
      // In-process providers must not share a BroadcastChannel: everything goes through the server.
      expect(clients.map((client) => client.provider.bcconnected)).toEqual(clients.map(() => false));

      // The shared starting paragraph enters through the first client only.
      Y.applyUpdate(clients[0].doc, generatedUpdates.base);
      await waitFor(() => clients.every((client) => traceTextNode(client.doc) !== undefined), 10_000, 'the base paragraph to reach every client');

      // Which txns have reached which client. A client has txn j once its doc contains every
      // struct and every deletion of j's update (deletions don't show in the state vector).
      const reached = clients.map(() => new Uint8Array(txns.length));
      let snapshots: (Y.Snapshot | null)[] = clients.map(() => null);
      const hasReached = (agent: number, txn: number): boolean => {
        if (reached[agent][txn]) return true;
        const snapshot = (snapshots[agent] ??= Y.snapshot(clients[agent].doc));
        if (!Y.snapshotContainsUpdate(snapshot, updates[txn])) return false;
        reached[agent][txn] = 1;
        return true;
      };

      const queues: number[][] = Array.from({ length: numAgents }, () => []);
      txns.forEach((txn, i) => queues[txn.agent].push(i));
      const next = queues.map(() => 0);

      let disconnects = 0;
      /** Offline clients and the timer that reconnects each. */
      const offline = new Map<number, NodeJS.Timeout>();
      cleanup.push(() => offline.forEach(clearTimeout));

      // Resolves on the next doc change in any client (or after `ms`), to wait for the network.
      const nextChange = (ms: number): Promise<void> =>
        new Promise((resolve) => {
          const done = (): void => {
            clearTimeout(timer);
            for (const client of clients) client.doc.off('update', done);
            resolve();
          };
          const timer = setTimeout(done, ms);
          for (const client of clients) client.doc.on('update', done);
        });

      /** Disconnects a client for `ms` (or keeps an offline one offline until then at least). */
      const goOffline = (agent: number, ms: number, extend = false): void => {
        const pending = offline.get(agent);
        if (pending && !extend) return;
        if (pending) clearTimeout(pending);
        else {
          disconnects++;
          clients[agent].provider.disconnect();
        }
        offline.set(
          agent,
          setTimeout(() => {
            offline.delete(agent);
            clients[agent].provider.connect();
          }, ms),
        );
      };
      let fed = 0;
      const blackouts = [Math.floor(txns.length / 3), Math.floor((2 * txns.length) / 3)];
      let roomUnloads = 0;
      let offlineEdits = 0;
      let appliedLastRound = 0;
      let roomWasLoaded = true;

      let lastProgress = Date.now();
      let rounds = 0;
      while (next.some((position, agent) => position < queues[agent].length)) {
        rounds++;
        snapshots = clients.map(() => null); // the network may have delivered since the last await
        const roomLoaded = server.server.registry.peek(docId) !== undefined;
        if (roomWasLoaded && !roomLoaded) roomUnloads++;
        roomWasLoaded = roomLoaded;
        // Random disconnects while people type: the client goes offline just before its next
        // chunk, so it edits offline and must resync when it reconnects. Never while the replay
        // waits (previous round idle): there a missing update must come through the live
        // connection, or the stall check below fails.
        if (appliedLastRound > 0) {
          if (random() < 0.06) goOffline(between(0, numAgents - 1), between(10, 200));
          // Twice per replay everybody is offline at once for longer than the room's unload
          // grace, so the server unloads the room and reloads it from SQLite mid-session.
          if (blackouts.length > 0 && fed >= blackouts[0]) {
            blackouts.shift();
            for (let agent = 0; agent < numAgents; agent++) goOffline(agent, between(150, 300), true);
          }
        }
        let applied = 0;
        const order = [...Array(numAgents).keys()].sort(() => random() - 0.5);
        for (const agent of order) {
          const chunk = between(20, 100);
          for (let n = 0; n < chunk && next[agent] < queues[agent].length; n++) {
            const txn = queues[agent][next[agent]];
            // An author types only on a version they have: wait until the txn's parents (by
            // other authors; their own are applied in order) have reached their client.
            if (!txns[txn].parents.every((parent) => txns[parent].agent === agent || hasReached(agent, parent))) break;
            Y.applyUpdate(clients[agent].doc, updates[txn]); // the provider sends it on
            reached[agent][txn] = 1;
            next[agent]++;
            applied++;
            if (offline.has(agent)) offlineEdits++;
          }
        }

        fed += applied;
        appliedLastRound = applied;
        if (applied > 0) {
          lastProgress = Date.now();
          if (random() < 0.5) await sleep(between(0, 8));
          else await new Promise((resolve) => setImmediate(resolve));
        } else {
          // Connected clients get each other's edits within milliseconds; 10 s means one was lost.
          if (Date.now() - lastProgress > 10_000) {
            const waiting = next.map((position, agent) => {
              const txn = queues[agent][position];
              return txn === undefined ? `agent ${agent}: done` : `agent ${agent}: txn ${txn} waits for parents ${txns[txn].parents.join(',')}`;
            });
            throw new Error(`replay stalled: an edit did not reach a connected client within 10 s (seed ${seed}, round ${rounds}): ${waiting.join('; ')}`);
          }
          await nextChange(25);
        }
      }
      const fedAt = Date.now();

      // Every author ends with the recorded text.
      await waitFor(() => offline.size === 0 && clients.every((client) => traceText(client.doc) === endContent), 10_000, 'every client to converge').catch(
        () => undefined,
      );
      const texts = clients.map((client) => traceText(client.doc));
      texts.forEach((text, agent) => expect(difference(text, endContent), `client of agent ${agent} (seed ${seed})`).toBeNull());
      // The replay really exercised what it claims to.
      expect(offlineEdits, 'txns applied while their client was offline').toBeGreaterThan(0);
      expect(roomUnloads, 'the room was unloaded and reloaded during the replay').toBeGreaterThan(0);
      console.log(
        `[convergence] ${name}: ${txns.length} txns in ${rounds} rounds, ${disconnects} disconnects, ${offlineEdits} txns typed offline, ${roomUnloads} room unloads; ` +
          `fed in ${fedAt - startedAt} ms, converged ${Date.now() - fedAt} ms later`,
      );

      // Broadcast happens only after the store has an update, so SQLite already holds it all.
      const storedNow = docFromStored(await server.store.loadContent(docId));
      expect(difference(traceText(storedNow), endContent), 'document in SQLite while the server runs').toBeNull();
      storedNow.destroy();

      // Stop the server and load the document from SQLite again, as after a restart.
      for (const client of clients) client.destroy();
      const { dataDir, port } = server;
      await within(stopServer(server), 15_000, 'graceful server stop');
      server = await startTestServer({ dataDir, port, env });
      const stored = docFromStored(await server.store.loadContent(docId));
      expect(difference(traceText(stored), endContent), 'document reloaded from SQLite after a restart').toBeNull();
      stored.destroy();

      // And a fresh editor opening the document after the restart gets it too.
      const reader = connectClient(server, docId);
      cleanup.push(() => reader.destroy());
      await waitForSync(reader);
      expect(difference(traceText(reader.doc), endContent), 'fresh client after restart').toBeNull();
    },
    45_000,
  );
});
