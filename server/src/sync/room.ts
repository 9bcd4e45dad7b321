import type { Logger } from 'pino';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { can, TITLE_MAX_LENGTH } from '../../../shared/api/index';
import { CloseCode, META_MAP, META_TITLE, type AwarenessUser } from '../../../shared/protocol/index';
import { StoreOutageLog, type Attribution, type DocStore } from '../store/index';
import { closePeerAfterError, type Peer } from './peer';
import {
  encodeAwarenessMessage,
  encodeAwarenessUpdate,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  ProtocolError,
  type AwarenessEntry,
  type ClientMessage,
} from './protocol';
import { OutgoingFrames } from './outgoing-frames';
import { decodeRoomMessage, encodeRoomMessage } from './room-messages';
import { UnstoredBudget } from './unstored-budget';

export interface RoomOptions {
  store: DocStore;
  log: Logger;
  /** Fold stored updates into a snapshot once this many have been appended since the last one. */
  compactAfterUpdates: number;
  /** Told after each batch of changes is stored (e.g. to take checkpoints after a pause in editing). */
  onStored?: (documentId: string) => void;
  /** Sends a message to this document's rooms in the other server processes (see room-messages.ts). */
  publish?: (message: Uint8Array) => void;
  /** Bytes of edits waiting for the store, shared by the process's rooms (default: this room's own). */
  unstored?: UnstoredBudget;
  /** Logs a store outage once, not once per retry of every room (shared by the process's rooms). */
  storeOutages?: StoreOutageLog;
}

/** A connection may own a few awareness ids (a client that recreates its Y.Doc gets a new one). */
const MAX_AWARENESS_IDS_PER_PEER = 4;
const STORE_RETRY_MS = 1000;
/**
 * The batching window of a large room: a batch is taken this long × the time its last broadcasts
 * took after the first change of the batch arrived (smoothed), at most BATCH_WINDOW_MAX_MS; below
 * BATCH_WINDOW_MIN_MS of broadcasting (a room of a few hundred connections) a batch is everything
 * of one event-loop turn, as in any room. See `batchWindowMs`.
 */
const BATCH_WINDOW_PER_BROADCAST_MS = 1;
const BATCH_WINDOW_MIN_MS = 1;
const BATCH_WINDOW_MAX_MS = 40;

/** A sync step 1 waiting for its answer (the step 2), and the answer once taken. */
interface PendingAnswer {
  peer: Peer;
  stateVector: Uint8Array;
  /** Updates received before the step 1: the answer waits until the store has them all. */
  target: number;
  /** The step 2, taken when the doc held exactly what the batch ending at `batchEnd` stores. */
  frame: Uint8Array | null;
  batchEnd: number;
}

/** Marks changes the server itself makes (e.g. a rename through the HTTP API). */
const SERVER_ORIGIN = Symbol('server');
/** Marks changes that come from another server process, which has stored them already. */
const REMOTE_ORIGIN = Symbol('remote');

/**
 * What Yjs holds back in a doc: updates (structs, deletions) that build on changes the doc has not
 * seen. It emits no update event for them, yet hands them out with every state it encodes (so in
 * every sync step 2), and lets them in with whichever later change brings what they build on.
 */
interface HeldBack {
  structs: Uint8Array | null;
  deletions: Uint8Array | null;
}

function heldBackIn(doc: Y.Doc): HeldBack {
  return { structs: doc.store.pendingStructs?.update ?? null, deletions: doc.store.pendingDs };
}

const holdsBack = (held: HeldBack): boolean => held.structs !== null || held.deletions !== null;

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Yjs replaces the held-back structs' update whenever it adds to them or lets some in; deletions are re-encoded each time. */
const heldBackChanged = (before: HeldBack, after: HeldBack): boolean =>
  before.structs !== after.structs || !sameBytes(before.deletions, after.deletions);

const isPeer = (origin: unknown): origin is Peer => typeof origin === 'object' && origin !== null && 'access' in origin;

/** Origin of a change a person makes through the server rather than over their socket (e.g. restoring a version). */
export interface PersonOrigin {
  readonly userId: string;
}

/** The person behind a transaction's origin: a connection's, or a PersonOrigin's. */
function userIdOf(origin: unknown): string | null {
  if (typeof origin !== 'object' || origin === null) return null;
  if ('access' in origin) return (origin as Peer).access.userId;
  if ('userId' in origin) return (origin as PersonOrigin).userId;
  return null;
}

/**
 * One open document: its Y.Doc, awareness and connected peers.
 *
 * Changes are batched: every update the doc integrates during one turn of the event loop is
 * merged, appended to the store, and only once the store has it broadcast to every peer as one
 * frame. Batching is what keeps latency flat with hundreds of editors (one store write and one
 * frame per peer per turn instead of one per keystroke per peer).
 */
export class Room {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  private readonly peers = new Set<Peer>();
  private readonly awarenessOwners = new Map<number, Peer>();
  /**
   * The person each awareness id ever belonged to in this room: when a connection drops, only the
   * same person (reconnecting) may take its id back, never someone else in the gap.
   */
  private readonly awarenessIdUsers = new Map<number, string>();
  private readonly warnedReadOnlyPeers = new WeakSet<Peer>();

  private pendingUpdates: Uint8Array[] = [];
  /** Bytes of pendingUpdates, counted in the process's budget. */
  private pendingBytes = 0;
  private readonly unstored: UnstoredBudget;
  private readonly storeOutages: StoreOutageLog;
  /** Connections not read from until the store catches up (back-pressure), and the budget subscription that resumes them. */
  private readonly heldPeers = new Set<Peer>();
  private stopWaitingForRelief: (() => void) | null = null;
  private pendingUpdateOrigins = new Set<unknown>();
  /** Who made the pending updates; stored with them. */
  private pendingAttribution: Attribution = { clients: [], deletions: [] };
  private readonly attributedClients = new Set<number>();
  private pendingAwareness = new Set<number>();
  /** Changes from other processes, to pass on to this process's peers (not to store again). */
  private pendingRemoteUpdates: Uint8Array[] = [];
  /** Awareness ids whose change came from this process's peers, to pass on to the other processes. */
  private pendingPublishedAwareness = new Set<number>();
  private catchingUp: Promise<void> | null = null;
  private catchUpAgain = false;
  private titleChanged = false;
  private flushScheduled = false;
  /** How long broadcasting a batch to every peer took, smoothed (ms of wall time). */
  private broadcastMs = 0;
  private flushChain: Promise<void> = Promise.resolve();
  private storeRetryTimer: NodeJS.Timeout | null = null;

  private updatesSinceSnapshot: number;
  private compaction: Promise<void> | null = null;
  private closedWith: { code: number; reason: string } | null = null;
  /** Doc updates integrated so far, how many of them the store has, and where the batch being stored ends. */
  private receivedCount = 0;
  private storedCount = 0;
  private storingUntil: number | null = null;
  /** Sync step 1s waiting for their answer until the store has what the answer carries. */
  private pendingAnswers: PendingAnswer[] = [];
  /** While a change from another process or from storage is applied: whether Yjs held back edits here before it. */
  private heldBackBeforeRemote = false;
  /** Such changes, passed on once the store has every update received before them (`until`). */
  private remoteAwaitingStore: { update: Uint8Array; until: number }[] = [];

  private constructor(
    readonly id: string,
    doc: Y.Doc,
    storedUpdates: number,
    private readonly options: RoomOptions,
  ) {
    this.doc = doc;
    this.unstored = options.unstored ?? new UnstoredBudget();
    this.storeOutages = options.storeOutages ?? new StoreOutageLog(options.log);
    this.updatesSinceSnapshot = storedUpdates;
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE_ORIGIN) {
        // Stored elsewhere; but it may have let in edits Yjs held back here, which this process
        // may not have stored yet (see applyStoredElsewhere).
        if (this.heldBackBeforeRemote && this.storedCount < this.receivedCount) this.remoteAwaitingStore.push({ update, until: this.receivedCount });
        else this.pendingRemoteUpdates.push(update);
        this.scheduleFlush();
        return;
      }
      this.keepForStore(update, origin);
    });
    doc.on('afterTransaction', (transaction: Y.Transaction) => this.attribute(transaction));
    doc.getMap(META_MAP).observe((event) => {
      if (event.keysChanged.has(META_TITLE)) this.titleChanged = true;
    });
    this.awareness.on('update', (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      for (const ids of [change.added, change.updated, change.removed]) {
        for (const id of ids) {
          this.pendingAwareness.add(id);
          // Only what this process's connections said; not other processes' (they sent it) nor timeouts.
          if (isPeer(origin)) this.pendingPublishedAwareness.add(id);
        }
      }
      this.scheduleFlush();
    });
  }

  static async load(id: string, options: RoomOptions): Promise<Room> {
    const content = await options.store.loadContent(id);
    const doc = new Y.Doc();
    doc.transact(() => {
      if (content.snapshot) Y.applyUpdate(doc, content.snapshot);
      for (const update of content.updates) Y.applyUpdate(doc, update);
    });
    const room = new Room(id, doc, content.updates.length, options);
    room.maybeCompact();
    return room;
  }

  get peerCount(): number {
    return this.peers.size;
  }

  /** Whether this connection's edits are taken: its person may edit, and the document takes edits from sockets. */
  private canEdit(peer: Peer): boolean {
    return can(peer.access.role, 'edit') && !peer.access.readOnlyDocument;
  }

  /** Names and colours of the people who have this document open and may edit it (once each, however many tabs). */
  activeEditors(): AwarenessUser[] {
    const editors = new Map<string, AwarenessUser>();
    for (const [clientId, state] of this.awareness.getStates()) {
      const user = (state as { user?: Partial<AwarenessUser> }).user;
      const person = this.awarenessIdUsers.get(clientId) ?? `client:${clientId}`;
      if (user && typeof user.name === 'string' && typeof user.color === 'string' && user.viewing !== true) {
        editors.set(person, { name: user.name, color: user.color });
      }
    }
    return [...editors.values()];
  }

  addPeer(peer: Peer): void {
    if (this.closedWith) {
      // The room was closed (e.g. its document deleted) while this connection waited for it.
      peer.close(this.closedWith.code, this.closedWith.reason);
      return;
    }
    this.peers.add(peer);
    // Same opening as the reference server: our state vector, then everyone's presence.
    peer.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    this.sendAllAwareness(peer);
  }

  removePeer(peer: Peer): void {
    if (!this.peers.delete(peer)) return;
    this.heldPeers.delete(peer);
    this.pendingAnswers = this.pendingAnswers.filter((answer) => answer.peer !== peer);
    const owned = [...peer.awarenessClientIds];
    for (const clientId of owned) this.awarenessOwners.delete(clientId);
    awarenessProtocol.removeAwarenessStates(this.awareness, owned, peer);
  }

  /**
   * Applies one decoded client message, within the sender's rights. Throws ProtocolError for
   * content that must close the socket.
   */
  receive(peer: Peer, message: ClientMessage): void {
    // Access ended (removed, signed out): the socket is closing; nothing more from it counts.
    if (!can(peer.access.role, 'read')) return;
    switch (message.kind) {
      case 'sync-step-1':
        this.answerSyncStep1(peer, message.stateVector);
        return;
      case 'sync-step-2':
      case 'update':
        if (this.canEdit(peer)) this.applyClientUpdate(peer, message.update);
        else this.dropReadOnlyUpdate(peer, message.update);
        return;
      case 'awareness':
        this.applyClientAwareness(peer, message.entries);
        return;
      case 'query-awareness':
        this.sendAllAwareness(peer);
        return;
    }
  }

  /**
   * Applies a message from this document's room in another server process. Throws on a message
   * it can't read (the caller logs it).
   */
  receiveRemote(bytes: Uint8Array): void {
    if (this.destroyed) return;
    const message = decodeRoomMessage(bytes);
    switch (message.kind) {
      case 'update':
        this.applyStoredElsewhere(() => Y.applyUpdate(this.doc, message.update, REMOTE_ORIGIN));
        return;
      case 'awareness':
        awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, REMOTE_ORIGIN);
        return;
      case 'resync':
        // The other process may have lost our presence states too.
        this.publishLocalAwareness();
        void this.catchUp();
        return;
    }
  }

  /**
   * After messages between the processes may have been lost: catch up from storage, and ask the
   * other processes to do the same (they may have missed ours; storage has everything).
   */
  recoverFromGap(): Promise<void> {
    this.announce();
    this.publishLocalAwareness();
    return this.catchUp();
  }

  /** Asks this document's rooms in the other processes to catch up from storage and send their presence. */
  announce(): void {
    this.options.publish?.(encodeRoomMessage({ kind: 'resync' }));
  }

  /** Applies whatever the store has that this room lacks (Yjs skips what it has). Coalesced. */
  catchUp(): Promise<void> {
    if (this.catchingUp) {
      this.catchUpAgain = true;
      return this.catchingUp;
    }
    this.catchingUp = (async () => {
      do {
        this.catchUpAgain = false;
        const content = await this.options.store.loadContent(this.id);
        if (this.destroyed) return;
        this.applyStoredElsewhere(() =>
          this.doc.transact(() => {
            if (content.snapshot) Y.applyUpdate(this.doc, content.snapshot, REMOTE_ORIGIN);
            for (const update of content.updates) Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
          }, REMOTE_ORIGIN),
        );
      } while (this.catchUpAgain && !this.destroyed);
    })()
      .catch((error: unknown) => {
        this.storeOutages.failed(error, 'catching up from storage failed', { doc: this.id });
      })
      .finally(() => {
        this.catchingUp = null;
      });
    return this.catchingUp;
  }

  private publishLocalAwareness(): void {
    const local = [...this.awarenessOwners.keys()].filter((id) => this.awareness.getStates().has(id));
    if (local.length > 0) this.options.publish?.(encodeRoomMessage({ kind: 'awareness', update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, local) }));
  }

  /** Sets the title as a normal document change, seen live by every editor. */
  setTitle(title: string): void {
    this.doc.transact(() => this.doc.getMap(META_MAP).set(META_TITLE, title), SERVER_ORIGIN);
  }

  /**
   * Makes a change as `origin`'s person that everyone sees live, e.g. restoring a version. It is
   * made on a copy under a fresh Yjs client id, so it is attributed to that person alone.
   */
  changeAs(origin: PersonOrigin, change: (doc: Y.Doc) => void): void {
    const draft = new Y.Doc();
    Y.applyUpdate(draft, Y.encodeStateAsUpdate(this.doc));
    const before = Y.encodeStateVector(draft);
    draft.transact(() => change(draft));
    Y.applyUpdate(this.doc, Y.encodeStateAsUpdate(draft, before), origin);
    draft.destroy();
  }

  /** Persists and broadcasts everything pending; resolves when done (or when the store refused it). */
  flush(): Promise<void> {
    this.flushChain = this.flushChain
      .then(() => this.flushOnce())
      .catch((error: unknown) => {
        // A bug, not a store failure (flushOnce keeps and retries those): say so, keep the room's
        // chain usable, and try what is still pending again later.
        this.options.log.error({ err: error, doc: this.id }, 'flushing changes failed');
        this.retryFlushLater();
      });
    return this.flushChain;
  }

  /**
   * Answers a sync step 1 with what the client lacks, sent only once the store has all of it: the
   * answer carries every update received before the step 1 (so a client that sent updates and then
   * a step 1 knows, on getting the step 2, that its updates are stored) and nothing unstored, not
   * even others' edits that arrived while those were being stored.
   *
   * So the answer is taken from the doc at a moment it holds exactly what is stored or being
   * stored (when a batch is taken, or now), and sent when that batch is stored.
   */
  private answerSyncStep1(peer: Peer, stateVector: Uint8Array): void {
    const answer: PendingAnswer = { peer, stateVector, target: this.receivedCount, frame: null, batchEnd: 0 };
    try {
      if (this.storedCount >= answer.target) {
        // Nothing received is unstored: the doc holds only what the store has.
        peer.send(this.syncStep2For(answer));
        return;
      }
      if (this.storingUntil === this.receivedCount) this.prepareAnswer(answer, this.storingUntil);
    } catch (error) {
      closePeerAfterError(peer, error, this.options.log, 'answering sync step 1 failed');
      return;
    }
    this.pendingAnswers.push(answer);
    this.scheduleFlush();
  }

  private syncStep2For(answer: PendingAnswer): Uint8Array {
    return encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, answer.stateVector));
  }

  /** Takes the answer now, to be sent once the batch ending at `batchEnd` is stored. */
  private prepareAnswer(answer: PendingAnswer, batchEnd: number): void {
    try {
      answer.frame = this.syncStep2For(answer);
      answer.batchEnd = batchEnd;
    } catch (error) {
      this.pendingAnswers = this.pendingAnswers.filter((other) => other !== answer);
      closePeerAfterError(answer.peer, error, this.options.log, 'answering sync step 1 failed');
    }
  }

  private get destroyed(): boolean {
    return this.closedWith !== null;
  }

  /** True while some change the doc holds has not reached the store (the store is failing). */
  get hasUnstoredChanges(): boolean {
    return this.pendingUpdates.length > 0;
  }

  /** Closes every peer and frees the doc. Call flush() first to keep pending changes. */
  destroy(closeCode: number, reason: string): void {
    if (this.destroyed) return;
    this.closedWith = { code: closeCode, reason };
    this.pendingAnswers = [];
    this.unstored.change(-this.pendingBytes);
    this.pendingBytes = 0;
    this.stopWaitingForRelief?.();
    this.heldPeers.clear();
    if (this.storeRetryTimer) clearTimeout(this.storeRetryTimer);
    for (const peer of this.peers) peer.close(closeCode, reason);
    this.peers.clear();
    this.awareness.destroy();
    this.doc.destroy();
  }

  /** Compacts what is left in the store's update log; resolves when the store has it. */
  async compactNow(): Promise<void> {
    await this.compaction;
    if (this.updatesSinceSnapshot > 0) {
      this.startCompaction();
      await this.compaction;
    }
  }

  /** Queues a change of this process's for the store (broadcast once stored). */
  private keepForStore(update: Uint8Array, origin: unknown): void {
    this.receivedCount++;
    this.pendingUpdates.push(update);
    this.pendingBytes += update.length;
    this.unstored.change(update.length);
    this.pendingUpdateOrigins.add(origin);
    this.scheduleFlush();
  }

  /**
   * Applies a change another process stored (fan-out) or the store holds (catch-up). If Yjs held
   * back edits here, the change may let some in, and the doc's update event then carries them
   * under this change's origin. They were queued for the store when they arrived
   * (applyClientUpdate), so the change is passed on once the store has everything received before
   * it, not at once: stored once, sent after.
   */
  private applyStoredElsewhere(apply: () => void): void {
    this.heldBackBeforeRemote = holdsBack(heldBackIn(this.doc));
    try {
      apply();
    } finally {
      this.heldBackBeforeRemote = false;
    }
  }

  /** Passes on the changes from elsewhere that waited for the store to have what was received before them. */
  private releaseRemoteAwaitingStore(): void {
    if (this.remoteAwaitingStore.length === 0) return;
    const waiting = this.remoteAwaitingStore;
    this.remoteAwaitingStore = waiting.filter((entry) => entry.until > this.storedCount);
    for (const entry of waiting) if (entry.until <= this.storedCount) this.pendingRemoteUpdates.push(entry.update);
    if (this.pendingRemoteUpdates.length > 0) this.scheduleFlush();
  }

  private applyClientUpdate(peer: Peer, update: Uint8Array): void {
    const before = heldBackIn(this.doc);
    try {
      Y.applyUpdate(this.doc, update, peer);
    } catch (error) {
      // Whatever Yjs integrated before failing was emitted as a doc update and is kept;
      // the connection that sent the broken update is closed.
      throw new ProtocolError(`invalid Yjs update: ${(error as Error).message}`, CloseCode.MalformedMessage);
    }
    // Yjs held back (some of) it: it builds on edits this doc lacks (sent ahead of them, or lost
    // with a process that died). No update event carries it, but every sync step 2 from now on
    // does, so it is stored as received (a client's stored update can wait for what it builds on
    // in the store as well as here).
    const after = heldBackIn(this.doc);
    if (holdsBack(after) && heldBackChanged(before, after)) this.keepForStore(update, peer);
    if (this.unstored.isOver(this.pendingBytes)) this.holdBack(peer);
  }

  /**
   * The store is behind: stop reading this connection until it catches up. Its edits wait in the
   * client (which keeps them until the server confirms) instead of piling up here.
   */
  private holdBack(peer: Peer): void {
    if (this.heldPeers.has(peer)) return;
    if (this.heldPeers.size === 0) {
      this.options.log.warn(
        { doc: this.id, unstoredBytes: this.pendingBytes, processUnstoredBytes: this.unstored.bytes, limits: this.unstored.limits },
        'the store is behind: not reading from editors who keep sending until it catches up',
      );
      this.stopWaitingForRelief = this.unstored.onRelief(() => this.releaseHeldPeers());
    }
    this.heldPeers.add(peer);
    peer.pauseReading();
  }

  private releaseHeldPeers(): void {
    if (this.heldPeers.size === 0 || this.unstored.isOver(this.pendingBytes)) return;
    for (const peer of this.heldPeers) peer.resumeReading();
    this.heldPeers.clear();
    this.stopWaitingForRelief?.();
    this.stopWaitingForRelief = null;
    this.options.log.info({ doc: this.id }, 'the store caught up: reading from every editor again');
  }

  /** Notes who made a transaction's insertions (new client ids) and deletions, to store with the batch. */
  private attribute(transaction: Y.Transaction): void {
    const userId = userIdOf(transaction.origin);
    if (userId === null) return;
    for (const [clientId, clock] of transaction.afterState) {
      if (clock > (transaction.beforeState.get(clientId) ?? 0) && !this.attributedClients.has(clientId)) {
        this.attributedClients.add(clientId);
        this.pendingAttribution.clients.push({ clientId, userId });
      }
    }
    transaction.deleteSet.clients.forEach((ranges, clientId) => {
      for (const range of ranges) this.pendingAttribution.deletions.push({ clientId, clock: range.clock, length: range.len, userId });
    });
  }

  /**
   * A read-only connection's change is neither applied, stored nor broadcast. The stock client
   * sends one legitimately (its sync step 2 carries whatever it has locally), so this is not a
   * protocol error; it is logged once per connection in case it is a crafted one.
   */
  private dropReadOnlyUpdate(peer: Peer, update: Uint8Array): void {
    if (this.warnedReadOnlyPeers.has(peer)) return;
    this.warnedReadOnlyPeers.add(peer);
    this.options.log.info(
      { doc: this.id, peer: peer.id, user: peer.access.userId, role: peer.access.role, bytes: update.length },
      'dropped a document change from a read-only connection',
    );
  }

  private applyClientAwareness(peer: Peer, entries: AwarenessEntry[]): void {
    const accepted: AwarenessEntry[] = [];
    // Presence shows the name the server knows, never one the client claims, and whether the
    // person can only read (so an observer is never listed as editing).
    const user: AwarenessUser = { name: peer.access.name, color: peer.access.color, ...(this.canEdit(peer) ? {} : { viewing: true as const }) };
    const withServerName = (entry: AwarenessEntry): AwarenessEntry => (entry.state === null ? entry : { ...entry, state: { ...entry.state, user } });
    for (const entry of entries) {
      const owner = this.awarenessOwners.get(entry.clientId);
      if (owner === peer) {
        accepted.push(withServerName(entry));
      } else if (
        owner === undefined &&
        entry.state !== null &&
        peer.awarenessClientIds.size < MAX_AWARENESS_IDS_PER_PEER &&
        (this.awarenessIdUsers.get(entry.clientId) ?? peer.access.userId) === peer.access.userId
      ) {
        this.awarenessOwners.set(entry.clientId, peer);
        this.awarenessIdUsers.set(entry.clientId, peer.access.userId);
        peer.awarenessClientIds.add(entry.clientId);
        accepted.push(withServerName(entry));
      } else if (owner !== undefined) {
        // Stock clients echo others' entries (same clock, a no-op); a forged one must not land either way.
        this.options.log.debug({ doc: this.id, peer: peer.id, clientId: entry.clientId }, 'awareness entry for another connection\'s client id dropped');
      }
    }
    if (accepted.length > 0) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessUpdate(accepted), peer);
    }
  }

  private sendAllAwareness(peer: Peer): void {
    const clientIds = [...this.awareness.getStates().keys()];
    if (clientIds.length === 0) return;
    peer.send(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clientIds)));
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.destroyed) return;
    this.flushScheduled = true;
    const run = (): void => {
      this.flushScheduled = false;
      void this.flush();
    };
    const windowMs = this.batchWindowMs();
    if (windowMs === 0) setImmediate(run);
    else setTimeout(run, windowMs);
  }

  private async flushOnce(): Promise<void> {
    if (this.destroyed) return;
    // What this batch sends to every peer, in order, as one write per peer (see broadcast).
    const frames: Uint8Array[] = [];
    let stored: { frame: Uint8Array; soleOrigin: unknown } | null = null;
    const storing = this.pendingUpdates.length > 0 && !this.storeRetryTimer;
    if (this.pendingRemoteUpdates.length > 0) {
      // Stored by the process they come from: only passed on to this process's peers.
      const updates = this.pendingRemoteUpdates;
      this.pendingRemoteUpdates = [];
      frames.push(encodeUpdate(updates.length === 1 ? updates[0] : Y.mergeUpdates(updates)));
      // In a small room not held back while this process stores its own batch; in a large one sent
      // with it, in the same write per peer (two broadcasts would cost twice as much as one).
      if (storing && this.batchWindowMs() === 0) this.broadcast(frames.splice(0));
    }
    if (storing) {
      const updates = this.pendingUpdates;
      const origins = this.pendingUpdateOrigins;
      const attribution = this.pendingAttribution;
      // Merged before anything is taken out of pending, so a failure here loses nothing.
      const merged = updates.length === 1 ? updates[0] : Y.mergeUpdates(updates);
      this.pendingAttribution = { clients: [], deletions: [] };
      const batchEnd = this.receivedCount;
      const batchBytes = this.pendingBytes;
      this.pendingUpdates = [];
      this.pendingBytes = 0;
      this.pendingUpdateOrigins = new Set();
      // The doc holds exactly what is stored or in this batch: the moment to take the answers this batch completes.
      this.storingUntil = batchEnd;
      for (const answer of [...this.pendingAnswers]) if (answer.frame === null && answer.target <= batchEnd) this.prepareAnswer(answer, batchEnd);
      try {
        await this.options.store.appendUpdate(this.id, merged, attribution);
        if (this.titleChanged) {
          this.titleChanged = false;
          const title = String(this.doc.getMap(META_MAP).get(META_TITLE) ?? '').slice(0, TITLE_MAX_LENGTH);
          await this.options.store.updateDocument(this.id, { title });
        }
      } catch (error) {
        if (this.destroyed) {
          this.unstored.change(-batchBytes);
          return;
        }
        // Not stored means not broadcast: keep the batch and try again shortly.
        this.storeOutages.failed(error, 'storing edits failed; retrying every second', { doc: this.id });
        this.pendingUpdates = [merged, ...this.pendingUpdates];
        this.pendingBytes += merged.length;
        this.unstored.change(merged.length - batchBytes);
        for (const origin of origins) this.pendingUpdateOrigins.add(origin);
        this.pendingAttribution = {
          clients: [...attribution.clients, ...this.pendingAttribution.clients],
          deletions: [...attribution.deletions, ...this.pendingAttribution.deletions],
        };
        // Answers taken for this batch would carry what the store lacks: take them again with the next.
        this.storingUntil = null;
        for (const answer of this.pendingAnswers) if (answer.batchEnd === batchEnd) answer.frame = null;
        this.retryFlushLater();
        this.broadcast(frames); // other processes' updates (stored by them), if any were held for this batch
        return;
      }
      this.unstored.change(-batchBytes);
      this.storeOutages.succeeded();
      if (this.destroyed) return;
      this.storedCount = batchEnd;
      this.storingUntil = null;
      this.releaseRemoteAwaitingStore();
      this.pendingAnswers = this.pendingAnswers.filter((answer) => {
        if (answer.frame === null || answer.batchEnd !== batchEnd) return true;
        if (this.peers.has(answer.peer)) answer.peer.send(answer.frame);
        return false;
      });
      this.updatesSinceSnapshot++;
      const frame = encodeUpdate(merged);
      frames.push(frame);
      stored = { frame, soleOrigin: origins.size === 1 ? origins.values().next().value : undefined };
      this.options.publish?.(encodeRoomMessage({ kind: 'update', update: merged }));
      this.options.onStored?.(this.id);
      this.maybeCompact();
      this.releaseHeldPeers();
    }
    if (this.pendingAwareness.size > 0) {
      const clientIds = [...this.pendingAwareness];
      this.pendingAwareness = new Set();
      // Awareness goes to its sender too: the stock client counts it as a sign of life and
      // reconnects after 30 s without any incoming message (it renews its state every 15 s).
      frames.push(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clientIds)));
    }
    this.broadcast(frames, stored);
    if (this.pendingPublishedAwareness.size > 0) {
      const clientIds = [...this.pendingPublishedAwareness];
      this.pendingPublishedAwareness = new Set();
      this.options.publish?.(encodeRoomMessage({ kind: 'awareness', update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, clientIds) }));
    }
  }

  private retryFlushLater(): void {
    if (this.storeRetryTimer || this.destroyed) return;
    this.storeRetryTimer = setTimeout(() => {
      this.storeRetryTimer = null;
      void this.flush();
    }, STORE_RETRY_MS);
  }

  /**
   * Sends `frames` to every peer, framed once for all and in one write per peer (OutgoingFrames):
   * with thousands of peers the write per peer is what a batch costs, so everything a batch sends
   * goes in one. The peer that made all of the stored update (`stored.soleOrigin`) gets the other
   * frames only: it has that update already.
   */
  private broadcast(frames: readonly Uint8Array[], stored: { frame: Uint8Array; soleOrigin: unknown } | null = null): void {
    if (frames.length === 0 || this.peers.size === 0) return;
    const started = performance.now();
    const everyone = new OutgoingFrames(frames);
    let withoutOwn: OutgoingFrames | null = null;
    for (const peer of this.peers) {
      if (stored !== null && peer === stored.soleOrigin) {
        withoutOwn ??= new OutgoingFrames(frames.filter((frame) => frame !== stored.frame));
        if (withoutOwn.frames.length > 0) peer.sendFrames(withoutOwn);
      } else {
        peer.sendFrames(everyone);
      }
    }
    const took = performance.now() - started;
    // Smoothed, so that one slow broadcast (a garbage collection) does not set the next window alone.
    this.broadcastMs = this.broadcastMs === 0 ? took : this.broadcastMs * 0.8 + took * 0.2;
  }

  /**
   * How long to gather changes into one batch. In a room of thousands, broadcasting a batch means
   * one socket write per peer (~5–10 µs each on a loopback socket, the kernel's receiving side
   * included), so 5,000 peers take 25–50 ms per batch; batching per event-loop turn would then
   * spend the whole loop broadcasting small batches, reading the next keystrokes only in between,
   * and queue. So a large room waits, from the first change of a batch, about as long as its
   * broadcasts take (BATCH_WINDOW_PER_BROADCAST_MS ×): at most half the loop goes to broadcasting,
   * and a keystroke waits at most one window plus one broadcast. It adapts to the room's size
   * and to the machine (a busy machine's slower broadcasts make for fewer, larger batches). A small
   * room (broadcasts under BATCH_WINDOW_MIN_MS) batches per event-loop turn.
   */
  private batchWindowMs(): number {
    const window = this.broadcastMs * BATCH_WINDOW_PER_BROADCAST_MS;
    return window < BATCH_WINDOW_MIN_MS ? 0 : Math.min(BATCH_WINDOW_MAX_MS, window);
  }

  private maybeCompact(): void {
    if (this.compaction === null && this.updatesSinceSnapshot >= this.options.compactAfterUpdates) this.startCompaction();
  }

  private startCompaction(): void {
    this.compaction = this.options.store
      .compact(this.id)
      .then((folded) => {
        this.updatesSinceSnapshot = Math.max(0, this.updatesSinceSnapshot - folded);
      })
      .catch((error: unknown) => {
        this.storeOutages.failed(error, 'compaction failed', { doc: this.id });
      })
      .finally(() => {
        this.compaction = null;
      });
  }
}
