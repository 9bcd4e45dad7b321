/**
 * One open document: the Y.Doc, its local copy in IndexedDB and its connection to the server.
 *
 * Why both: IndexedDB keeps every edit on this device the moment it is made, so a reload or a
 * lost connection loses nothing, and the editor can open the document with no network at all.
 * The websocket provider syncs with the server and the other collaborators whenever it can;
 * Yjs merges the two sides when the connection comes back.
 *
 * The session turns provider, IndexedDB and browser events into one immutable snapshot that
 * React reads with useSyncExternalStore.
 */
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import { removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';

import { CloseCode, COLLAB_PATH, CONTENT_FRAGMENT, META_MAP, META_TITLE, type AwarenessUser } from '../../../shared/protocol/index';
import { TITLE_MAX_LENGTH } from '../../../shared/api/index';
import { META_NUMBERED_HEADINGS } from '../../../shared/schema/index';
import { getDocument, ApiError } from '../api/documents';
import { SaveTracker, type SaveState } from './save-tracker';
import { deleteLocalCopy, localDatabaseName } from './local-copies';


export type ConnectionPhase =
  /** First connection attempt; nothing heard from the server yet. */
  | 'connecting'
  /** Connected and in sync with the server. */
  | 'connected'
  /** Was connected (or tried a few times) and is trying again. */
  | 'reconnecting'
  /** The browser has no network; edits are kept on this device. */
  | 'offline';

export type SessionProblem =
  /** The server refused a message as too large (close 1009): it will refuse it again. */
  | 'too-big'
  /** The server could not decode a message (close 4000/4001). */
  | 'malformed'
  /** The server closed for good with a code we don't know. */
  | 'refused';

export type SessionAccess =
  /** As far as we know, the person may open this document. */
  | 'ok'
  /** Removed from the document's group (close 4403, or the API says 403): nothing more to see here. */
  | 'revoked'
  /** The sign-in session ended (close 4401, or the API says 401). */
  | 'signed-out';

export interface Peer extends AwarenessUser {
  clientId: number;
  isSelf: boolean;
}

export interface SessionSnapshot {
  phase: ConnectionPhase;
  /** Whether the server has stored the edits made in this tab (see save-tracker.ts). */
  saveState: SaveState;
  /** The local IndexedDB copy is loaded and edits are being saved to it. */
  localReady: boolean;
  /** IndexedDB can't be used (private mode, quota, blocked): edits live only in memory. */
  localUnavailable: boolean;
  /** There is something to show: the local copy or the server's state arrived (or we gave up waiting). */
  loaded: boolean;
  /** Whether the document has any content or title in this browser yet. */
  hasContent: boolean;
  /** The document was deleted on the server: read-only, no reconnecting. */
  deleted: boolean;
  problem: SessionProblem | null;
  access: SessionAccess;
  /** Counts the server's "your role changed" closes (4009): each one means the role should be fetched again. */
  roleChanges: number;
  title: string | null;
  numberedHeadings: boolean;
  peers: Peer[];
}

/** How long to wait for IndexedDB before showing the editor anyway. */
const LOCAL_LOAD_TIMEOUT_MS = 4000;
/** After this many failed connection attempts in a row, ask the HTTP API whether the document still exists. */
const FAILURES_BEFORE_EXISTENCE_CHECK = 3;

function websocketBase(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
}

export class CollabSession {
  readonly ydoc = new Y.Doc();
  readonly provider: WebsocketProvider;
  private persistence: IndexeddbPersistence | null = null;
  private readonly meta: Y.Map<unknown>;
  private readonly listeners = new Set<() => void>();
  private snapshot: SessionSnapshot;
  private everSynced = false;
  private failedAttempts = 0;
  private lastExistenceCheck = 0;
  private destroyed = false;
  private readonly cleanups: (() => void)[] = [];
  /** Metadata written before the first sync with the server (see writeMeta). */
  private readonly pendingMeta = new Map<string, unknown>();
  /** The person may not change the document (observer): metadata writes are ignored too. */
  private readOnly = false;

  constructor(readonly documentId: string, user: AwarenessUser) {
    this.meta = this.ydoc.getMap(META_MAP);
    this.snapshot = {
      phase: navigator.onLine ? 'connecting' : 'offline',
      saveState: 'saved',
      localReady: false,
      localUnavailable: false,
      loaded: false,
      hasContent: false,
      deleted: false,
      problem: null,
      access: 'ok',
      roleChanges: 0,
      title: null,
      numberedHeadings: false,
      peers: [],
    };

    this.openLocalCopy();

    // Don't even try while the browser knows it is offline; 'online' connects.
    this.provider = new WebsocketProvider(websocketBase() + COLLAB_PATH, documentId, this.ydoc, {
      connect: navigator.onLine,
      maxBackoffTime: 5000,
    });
    this.provider.awareness.setLocalStateField('user', user);

    const saveTracker = new SaveTracker(this.provider, (saveState) => this.update({ saveState }));
    this.cleanups.push(() => saveTracker.destroy());

    const onStatus = ({ status }: { status: string }) => {
      if (status === 'connected') this.failedAttempts = 0;
      this.refresh();
    };
    const onSync = (synced: boolean) => {
      if (synced) {
        this.everSynced = true;
        this.failedAttempts = 0;
        this.flushPendingMeta();
        // A successful sync means the server accepted everything we had.
        this.update({ problem: null });
      }
      this.refresh();
    };
    const onConnectionClose = (event: CloseEvent | null) => this.onConnectionClose(event);
    const onClosed = (event: { code: number }) => {
      if (event.code === CloseCode.DocumentDeleted) this.markDeleted();
      else if (event.code === CloseCode.AccessRevoked) this.markRevoked();
      else if (event.code === CloseCode.Unauthenticated) this.markSignedOut();
      else this.update({ problem: 'refused' });
    };
    this.provider.on('status', onStatus);
    this.provider.on('sync', onSync);
    this.provider.on('connection-close', onConnectionClose);
    this.provider.on('closed', onClosed);
    this.cleanups.push(() => {
      this.provider.off('status', onStatus);
      this.provider.off('sync', onSync);
      this.provider.off('connection-close', onConnectionClose);
      this.provider.off('closed', onClosed);
    });

    const onAwarenessChange = () => this.refreshPeers();
    this.provider.awareness.on('change', onAwarenessChange);
    this.cleanups.push(() => this.provider.awareness.off('change', onAwarenessChange));

    const onMetaChange = () => this.refreshMeta();
    this.meta.observe(onMetaChange);
    this.cleanups.push(() => this.meta.unobserve(onMetaChange));
    const onDocUpdate = () => {
      if (!this.snapshot.hasContent) this.refresh();
    };
    this.ydoc.on('update', onDocUpdate);
    this.cleanups.push(() => this.ydoc.off('update', onDocUpdate));

    const onOnline = () => {
      if (!this.snapshot.deleted && this.snapshot.access === 'ok') this.provider.connect();
      this.refresh();
    };
    const onOffline = () => {
      // Without a connection there is no server value to wait for: keep the rename locally.
      this.flushPendingMeta();
      // Some browsers keep a dead socket open for a while; close it so the status is honest and
      // the provider reconnects (and resyncs) as soon as the network is back.
      this.provider.disconnect();
      this.refresh();
    };
    // Tell the others right away that we left, instead of letting our caret linger until the
    // awareness timeout.
    const onPageHide = () => removeAwarenessStates(this.provider.awareness, [this.ydoc.clientID], 'page hidden');
    // Ask before closing a tab that holds edits the server hasn't stored, when they are kept
    // nowhere else or the server can't store them right now.
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      const { saveState, localReady, deleted, access } = this.snapshot;
      if (deleted || access !== 'ok') return;
      if (saveState === 'unsaved' || (saveState === 'saving' && !localReady)) event.preventDefault();
    };
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    window.addEventListener('pagehide', onPageHide);
    window.addEventListener('beforeunload', onBeforeUnload);
    this.cleanups.push(() => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('pagehide', onPageHide);
      window.removeEventListener('beforeunload', onBeforeUnload);
    });

    const loadTimer = window.setTimeout(() => {
      if (!this.snapshot.localReady) this.update({ localUnavailable: true, loaded: true });
    }, LOCAL_LOAD_TIMEOUT_MS);
    this.cleanups.push(() => window.clearTimeout(loadTimer));

    this.refreshMeta();
    this.refreshPeers();
  }

  // --- React binding -------------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionSnapshot => this.snapshot;

  // --- Document metadata shared with every collaborator ---------------------------------------

  /** Renames the document for everyone (the server mirrors the title into its list). */
  setTitle(title: string): void {
    const clean = title.replace(/\s+/g, ' ').trim().slice(0, TITLE_MAX_LENGTH);
    if (!clean || clean === this.readMeta(META_TITLE)) return;
    this.writeMeta(META_TITLE, clean);
  }

  setNumberedHeadings(on: boolean): void {
    this.writeMeta(META_NUMBERED_HEADINGS, on);
  }

  /**
   * Yjs settles two concurrent writes of one map key by client id, not by time. A write made
   * before this browser has seen the server's value of a key (a document just created, whose
   * title the server set) would be concurrent with it and could lose; such writes wait for the
   * first sync. Offline, or once the key is known locally, they apply at once.
   */
  private writeMeta(key: string, value: unknown): void {
    if (this.readOnly) return;
    if (!this.everSynced && !this.meta.has(key) && navigator.onLine && !this.snapshot.deleted) {
      this.pendingMeta.set(key, value);
      this.refreshMeta();
      return;
    }
    this.pendingMeta.delete(key);
    this.ydoc.transact(() => this.meta.set(key, value));
  }

  private flushPendingMeta(): void {
    if (this.pendingMeta.size === 0) return;
    const pending = Array.from(this.pendingMeta);
    this.pendingMeta.clear();
    this.ydoc.transact(() => {
      for (const [key, value] of pending) if (this.meta.get(key) !== value) this.meta.set(key, value);
    });
    this.refreshMeta();
  }

  private readMeta(key: string): unknown {
    return this.pendingMeta.has(key) ? this.pendingMeta.get(key) : this.meta.get(key);
  }

  setUser(user: AwarenessUser): void {
    this.provider.awareness.setLocalStateField('user', user);
  }

  /** Observers can't change the text or the title; the server would drop their changes anyway. */
  setReadOnly(readOnly: boolean): void {
    this.readOnly = readOnly;
    if (readOnly) {
      this.pendingMeta.clear();
      this.refreshMeta();
    }
  }

  destroy(): void {
    if (this.destroyed) return;
    this.flushPendingMeta();
    this.destroyed = true;
    for (const cleanup of this.cleanups) cleanup();
    this.provider.destroy();
    this.persistence?.destroy().catch(() => undefined);
    this.ydoc.destroy();
    this.listeners.clear();
  }

  // --- Internals ------------------------------------------------------------------------------

  private openLocalCopy(): void {
    try {
      if (typeof indexedDB === 'undefined') throw new Error('no IndexedDB');
      const persistence = new IndexeddbPersistence(localDatabaseName(this.documentId), this.ydoc);
      this.persistence = persistence;
      persistence.on('synced', () => {
        if (this.destroyed) return;
        this.update({ localReady: true, loaded: true });
        this.refresh();
      });
      // y-indexeddb reports a failed open only as a rejected promise.
      (persistence as unknown as { _db?: Promise<unknown> })._db?.catch?.(() => {
        this.update({ localUnavailable: true, loaded: true });
      });
    } catch {
      this.persistence = null;
      this.snapshot = { ...this.snapshot, localUnavailable: true };
    }
  }

  private onConnectionClose(event: CloseEvent | null): void {
    if (event) {
      if (event.code === CloseCode.RoleChanged) this.update({ roleChanges: this.snapshot.roleChanges + 1 });
      else if (event.code === CloseCode.MessageTooBig) this.update({ problem: 'too-big' });
      else if (event.code === CloseCode.MalformedMessage || event.code === CloseCode.UnknownMessageType) this.update({ problem: 'malformed' });
    }
    if (!this.provider.synced) this.failedAttempts += 1;
    this.refresh();
    if (
      event &&
      navigator.onLine &&
      this.failedAttempts >= FAILURES_BEFORE_EXISTENCE_CHECK &&
      Date.now() - this.lastExistenceCheck > 15_000
    ) {
      // A document deleted (or access lost, or the session ended) while we were away can't tell
      // us so over the socket (the upgrade is refused): ask the API.
      this.lastExistenceCheck = Date.now();
      getDocument(this.documentId).catch((error: unknown) => {
        if (!(error instanceof ApiError) || this.destroyed) return;
        if (error.status === 404) this.markDeleted();
        else if (error.status === 403) this.markRevoked();
        else if (error.status === 401) this.markSignedOut();
      });
    }
  }

  private markDeleted(): void {
    if (this.snapshot.deleted) return;
    this.stop();
    // The local copy of a deleted document is of no use and shouldn't linger on the device.
    const persistence = this.persistence;
    this.persistence = null;
    if (persistence) persistence.clearData().catch(() => undefined);
    else deleteLocalCopy(this.documentId);
    this.update({ deleted: true });
    this.refresh();
  }

  /** Removed from the group: stop, and don't keep the group's text on this device. */
  private markRevoked(): void {
    if (this.snapshot.access === 'revoked') return;
    this.stop();
    const persistence = this.persistence;
    this.persistence = null;
    if (persistence) persistence.clearData().catch(() => undefined);
    else deleteLocalCopy(this.documentId);
    this.update({ access: 'revoked' });
  }

  /** The session ended: stop; the local copy stays (signing in again continues from it). */
  private markSignedOut(): void {
    if (this.snapshot.access === 'signed-out') return;
    this.stop();
    this.update({ access: 'signed-out' });
  }

  private stop(): void {
    this.provider.shouldConnect = false;
    this.provider.disconnect();
  }

  private refresh(): void {
    if (this.destroyed) return;
    const provider = this.provider;
    let phase: ConnectionPhase;
    if (!navigator.onLine) phase = 'offline';
    else if (provider.wsconnected && provider.synced) phase = 'connected';
    else if (this.everSynced || this.failedAttempts >= 2) phase = 'reconnecting';
    else phase = 'connecting';
    const fragment = this.ydoc.getXmlFragment(CONTENT_FRAGMENT);
    const hasContent = fragment.length > 0 || this.meta.size > 0;
    this.update({ phase, hasContent, loaded: this.snapshot.loaded || provider.synced });
  }

  private refreshMeta(): void {
    const title = this.readMeta(META_TITLE);
    const numbered = this.readMeta(META_NUMBERED_HEADINGS);
    this.update({ title: typeof title === 'string' ? title : null, numberedHeadings: numbered === true });
  }

  private refreshPeers(): void {
    const peers: Peer[] = [];
    this.provider.awareness.getStates().forEach((state, clientId) => {
      const user = (state as { user?: Partial<AwarenessUser> }).user;
      if (!user || typeof user.name !== 'string' || !user.name.trim()) return;
      peers.push({
        clientId,
        name: user.name.trim().slice(0, 60),
        color: typeof user.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(user.color) ? user.color : '#455A64',
        isSelf: clientId === this.ydoc.clientID,
        ...(user.viewing === true ? { viewing: true as const } : {}),
      });
    });
    peers.sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name) || a.clientId - b.clientId);
    const same =
      peers.length === this.snapshot.peers.length &&
      peers.every((peer, index) => {
        const old = this.snapshot.peers[index];
        return old.clientId === peer.clientId && old.name === peer.name && old.color === peer.color && old.viewing === peer.viewing;
      });
    // Awareness changes on every caret move; only re-render when the people change.
    if (!same) this.update({ peers });
  }

  private update(changes: Partial<SessionSnapshot>): void {
    let changed = false;
    for (const key of Object.keys(changes) as (keyof SessionSnapshot)[]) {
      if (this.snapshot[key] !== changes[key]) changed = true;
    }
    if (!changed || this.destroyed) return;
    this.snapshot = { ...this.snapshot, ...changes };
    for (const listener of this.listeners) listener();
  }
}
