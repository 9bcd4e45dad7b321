import type { Logger } from 'pino';
import { CloseCode } from '../../../shared/protocol/index';
import { singleProcess, type Fanout } from '../fanout/index';
import { StoreOutageLog, type DocStore } from '../store/index';
import { collectGarbage } from './idle-memory';
import { Room } from './room';
import { UnstoredBudget, type UnstoredLimits } from './unstored-budget';

export interface RoomRegistryOptions {
  store: DocStore;
  log: Logger;
  /** How long an empty room stays loaded, so a reload or a brief disconnect doesn't reload it. */
  unloadGraceMs: number;
  compactAfterUpdates: number;
  /** The other server processes serving the same documents (default: none). */
  fanout?: Fanout;
  /** Bounds on edits waiting for the store, per room and for all rooms (default: DEFAULT_UNSTORED_LIMITS). */
  unstoredLimits?: UnstoredLimits;
}

const roomChannel = (documentId: string) => `doc:${documentId}`;
/**
 * How long the process must stay without a loaded room before its heap is collected, and when the
 * second collection follows: the first frees the garbage, its pages are swept meanwhile, and the
 * second gives the emptied pages back (heap total 119 → 61 MiB in the churn bench; see collectGarbage).
 */
const IDLE_COLLECT_AFTER_MS = 1000;
const IDLE_COLLECT_AGAIN_MS = 2000;
/** Where processes say they have started: one that died may have stored changes it never sent. */
const PROCESSES_CHANNEL = 'processes';

/**
 * Loads rooms lazily and unloads them when nobody holds them any more (after a grace period), so
 * memory follows the documents open now, not the documents ever opened.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  private readonly unloading = new Map<string, Promise<void>>();
  private readonly holders = new Map<string, number>();
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>();
  private readonly storedListeners = new Set<(documentId: string) => void>();
  /** Ends each loaded room's subscription to its document's messages from the other processes. */
  private readonly unsubscribers = new Map<string, () => void>();
  /** Rooms being unloaded (flushed, then closed): no longer in `rooms`, maybe still holding changes. */
  private readonly closingRooms = new Map<string, Room>();
  private readonly fanout: Fanout;
  private readonly unstored: UnstoredBudget;
  private readonly storeOutages: StoreOutageLog;
  private readonly stopGapWatch: () => void;
  private readonly stopProcessWatch: () => void;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: RoomRegistryOptions) {
    this.fanout = options.fanout ?? singleProcess;
    this.unstored = new UnstoredBudget(options.unstoredLimits);
    this.storeOutages = new StoreOutageLog(options.log, { fields: { component: 'rooms' } });
    this.stopGapWatch = this.fanout.onGap(() => {
      for (const room of this.rooms.values()) void room.recoverFromGap();
    });
    const started = this.fanout.subscribe(PROCESSES_CHANNEL, () => {
      for (const room of this.rooms.values()) void room.catchUp();
    });
    void started.then(() => this.fanout.publish(PROCESSES_CHANNEL, new Uint8Array([1])));
    this.stopProcessWatch = () => void started.then((unsubscribe) => unsubscribe());
  }

  /** Calls `listener` after each batch of any document's changes is stored. */
  onStored(listener: (documentId: string) => void): () => void {
    this.storedListeners.add(listener);
    return () => this.storedListeners.delete(listener);
  }

  /** The room if it is loaded now (without loading it). */
  peek(id: string): Room | undefined {
    return this.rooms.get(id);
  }

  stats(): { rooms: number; peers: number; unstoredBytes: number } {
    let peers = 0;
    for (const room of this.rooms.values()) peers += room.peerCount;
    return { rooms: this.rooms.size, peers, unstoredBytes: this.unstored.bytes };
  }

  /** Loads (or reuses) the room and holds it open until release(). */
  async acquire(id: string): Promise<Room> {
    this.holders.set(id, (this.holders.get(id) ?? 0) + 1);
    const timer = this.unloadTimers.get(id);
    if (timer) {
      clearTimeout(timer);
      this.unloadTimers.delete(id);
    }
    try {
      return await this.load(id);
    } catch (error) {
      this.release(id);
      throw error;
    }
  }

  release(id: string): void {
    const count = (this.holders.get(id) ?? 1) - 1;
    if (count > 0) {
      this.holders.set(id, count);
      return;
    }
    this.holders.delete(id);
    if (!this.rooms.has(id) || this.unloadTimers.has(id)) return;
    this.scheduleUnload(id);
  }

  private scheduleUnload(id: string): void {
    const timer = setTimeout(() => {
      this.unloadTimers.delete(id);
      const room = this.rooms.get(id);
      if (!room) return;
      // Never drop changes the store hasn't taken yet: keep the room and try again later.
      void room.flush().then(() => {
        if (room.hasUnstoredChanges) {
          this.options.log.warn({ doc: id }, 'keeping room loaded: changes not stored yet');
          if (!this.holders.has(id) && !this.unloadTimers.has(id)) this.scheduleUnload(id);
        } else if (!this.holders.has(id)) {
          void this.unload(id);
        }
      });
    }, this.options.unloadGraceMs);
    timer.unref();
    this.unloadTimers.set(id, timer);
  }

  /** Runs `use` with the room loaded, then releases it. */
  async withRoom<T>(id: string, use: (room: Room) => Promise<T> | T): Promise<T> {
    const room = await this.acquire(id);
    try {
      return await use(room);
    } finally {
      this.release(id);
    }
  }

  /** Closes a document's connections without storing what is pending (it is being deleted). */
  async discard(id: string, closeCode: number, reason: string): Promise<void> {
    const room = this.rooms.get(id) ?? (await this.loading.get(id)?.catch(() => undefined));
    this.clearTimer(id);
    this.rooms.delete(id);
    this.unsubscribe(id);
    room?.destroy(closeCode, reason);
  }

  /** Documents with changes the store has not taken (yet): loaded rooms and rooms being unloaded. */
  unstoredDocuments(): string[] {
    return [...this.rooms.values(), ...this.closingRooms.values()].filter((room) => room.hasUnstoredChanges).map((room) => room.id);
  }

  /** Flushes every room, closes every connection (clients will reconnect) and waits for compactions. */
  async closeAll(): Promise<void> {
    for (const id of this.unloadTimers.keys()) this.clearTimer(id);
    await Promise.allSettled([...this.loading.values()]);
    await Promise.all([...this.rooms.keys()].map((id) => this.unload(id, CloseCode.GoingAway, 'server shutting down')));
    await Promise.all(this.unloading.values());
    this.cancelIdleCollection();
    this.stopGapWatch();
    this.stopProcessWatch();
  }

  private async load(id: string): Promise<Room> {
    this.cancelIdleCollection();
    await this.unloading.get(id);
    const loaded = this.rooms.get(id);
    if (loaded) return loaded;
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.loadSubscribed(id).finally(() => this.loading.delete(id));
      this.loading.set(id, pending);
    }
    return pending;
  }

  /**
   * Subscribes to the document's messages from the other processes first, then loads it from
   * storage, then applies what arrived meanwhile: an update stored by another process while this
   * one was loading is in the loaded content or in what arrived (Yjs skips duplicates), never lost.
   */
  private async loadSubscribed(id: string): Promise<Room> {
    let room: Room | null = null;
    const early: Uint8Array[] = [];
    const receive = (message: Uint8Array) => {
      if (!room) return void early.push(message);
      try {
        room.receiveRemote(message);
      } catch (error) {
        this.options.log.warn({ err: error, doc: id }, 'ignored a message from another process');
      }
    };
    const unsubscribe = await this.fanout.subscribe(roomChannel(id), receive);
    try {
      room = await Room.load(id, {
        store: this.options.store,
        log: this.options.log,
        compactAfterUpdates: this.options.compactAfterUpdates,
        onStored: (documentId) => {
          for (const listener of this.storedListeners) listener(documentId);
        },
        publish: (message) => this.fanout.publish(roomChannel(id), message),
        unstored: this.unstored,
        storeOutages: this.storeOutages,
      });
    } catch (error) {
      unsubscribe();
      throw error;
    }
    this.rooms.set(id, room);
    this.unsubscribers.set(id, unsubscribe);
    for (const message of early.splice(0)) receive(message);
    // The others send their presence states (and catch up from storage, in case a process that
    // died stored changes it never sent).
    room.announce();
    return room;
  }

  private unsubscribe(id: string): void {
    this.unsubscribers.get(id)?.();
    this.unsubscribers.delete(id);
  }

  private unload(id: string, closeCode: number = CloseCode.GoingAway, reason = 'room unloaded'): Promise<void> {
    const room = this.rooms.get(id);
    if (!room) return this.unloading.get(id) ?? Promise.resolve();
    this.rooms.delete(id);
    this.closingRooms.set(id, room);
    // A new acquire() waits for this, so it loads only after the last changes are stored.
    const done = (async () => {
      await room.flush();
      this.unsubscribe(id);
      if (room.hasUnstoredChanges) {
        // Only on shutdown with a failing store; the clients keep these and re-send them on reconnect.
        this.options.log.error({ doc: id }, 'closing room with changes the store did not take');
      }
      room.destroy(closeCode, reason);
      await room.compactNow();
    })()
      .catch((error) => this.options.log.error({ err: error, doc: id }, 'unloading room failed'))
      .finally(() => {
        this.unloading.delete(id);
        this.closingRooms.delete(id);
        this.collectWhenIdle();
      });
    this.unloading.set(id, done);
    return done;
  }

  /**
   * Once no document is loaded (nobody connected, the last room unloaded) and stays so for a
   * moment, collects the heap: an idle process allocates nothing, so V8 would keep the garbage of
   * the busy minutes before (and the RSS it holds) until the next visitor.
   */
  private collectWhenIdle(): void {
    if (this.rooms.size > 0 || this.loading.size > 0 || this.unloading.size > 0 || this.idleTimer) return;
    const idle = (): boolean => this.rooms.size === 0 && this.loading.size === 0 && this.unloading.size === 0;
    const before = process.memoryUsage();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (!idle() || !collectGarbage()) return;
      this.idleTimer = setTimeout(() => {
        this.idleTimer = null;
        if (!idle()) return;
        collectGarbage();
        const after = process.memoryUsage();
        const mib = (bytes: number): number => Math.round(bytes / 2 ** 17) / 8;
        this.options.log.debug(
          { heapTotalMiB: [mib(before.heapTotal), mib(after.heapTotal)], rssMiB: [mib(before.rss), mib(after.rss)] },
          'no document loaded: heap collected',
        );
      }, IDLE_COLLECT_AGAIN_MS);
      this.idleTimer.unref();
    }, IDLE_COLLECT_AFTER_MS);
    this.idleTimer.unref();
  }

  private cancelIdleCollection(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private clearTimer(id: string): void {
    const timer = this.unloadTimers.get(id);
    if (timer) clearTimeout(timer);
    this.unloadTimers.delete(id);
  }
}
