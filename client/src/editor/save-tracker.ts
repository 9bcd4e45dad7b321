/**
 * Whether the server has stored this tab's edits.
 *
 * An open socket says nothing about storage: the server stores every change before it passes it
 * on, and keeps (and retries) changes its database refuses. What it promises is that it answers
 * a sync step 1 only once everything it received before that message is stored. So after local
 * edits went out, the tracker sends a step 1, and the step 2 that answers it confirms them.
 *
 * Step 1s are sent after a pause in typing (and at most every few seconds while typing goes on),
 * one at a time, so many people typing add little load. The server answers step 1s in order, so
 * each incoming step 2 is matched with the oldest unanswered step 1 on the socket.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { messageSync, type WebsocketProvider } from 'y-websocket';
import * as syncProtocol from 'y-protocols/sync';

export type SaveState =
  /** The server confirmed it stored every edit made here. */
  | 'saved'
  /** Some edits are not confirmed yet: normal for a moment after typing, or while disconnected. */
  | 'saving'
  /** Connected, but edits have gone unconfirmed for a while: the server can't store them right now. */
  | 'unsaved';

/** Send the confirming step 1 after this long without a new edit… */
export const CONFIRM_AFTER_IDLE_MS = 800;
/** …or at the latest this long after the first edit it will confirm, while typing goes on. */
export const CONFIRM_AT_LEAST_EVERY_MS = 3000;
/** Edits unconfirmed this long while connected mean the server can't store them. */
export const UNSAVED_AFTER_MS = 5000;

/** A step 1 sent on the current socket, waiting for its step 2. */
interface PendingConfirmation {
  /** Edits up to this number are stored once the answer arrives. */
  upToEdit: number;
  /** When the oldest edit this step 1 confirms (and no earlier one does) was made; null if it confirms none. */
  oldestEditAt: number | null;
}

type MessageHandler = WebsocketProvider['messageHandlers'][number];

export class SaveTracker {
  private state: SaveState = 'saved';
  /** Local edits are numbered in the order they were made. */
  private lastEdit = 0;
  private lastEditAt = 0;
  private lastConfirmed = 0;
  /** When the oldest edit not covered by any pending step 1 was made. */
  private uncoveredSince: number | null = null;
  private pending: PendingConfirmation[] = [];
  /** Since when the socket is open and everything made here has gone out over it; null if not. */
  private connectedSince: number | null = null;
  private confirmTimer: ReturnType<typeof setTimeout> | null = null;
  private unsavedTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly originalSyncHandler: MessageHandler;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly provider: WebsocketProvider,
    private readonly onChange: (state: SaveState) => void,
  ) {
    this.originalSyncHandler = provider.messageHandlers[messageSync];
    provider.messageHandlers[messageSync] = (encoder, decoder, messageProvider, fromSocket, messageType) => {
      // Messages from other tabs (BroadcastChannel) say nothing about the server.
      const syncType = fromSocket ? decoding.peekVarUint(decoder) : null;
      this.originalSyncHandler(encoder, decoder, messageProvider, fromSocket, messageType);
      if (syncType === syncProtocol.messageYjsSyncStep1) this.onServerStep1();
      else if (syncType === syncProtocol.messageYjsSyncStep2) this.onStep2();
    };
    this.cleanups.push(() => {
      provider.messageHandlers[messageSync] = this.originalSyncHandler;
    });

    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      // Changes the provider applied came from the server or another tab. The rest were typed
      // here or loaded from this device's copy, which may hold edits the server never got.
      if (origin !== provider) this.onLocalEdit();
    };
    const onStatus = ({ status }: { status: string }) => {
      // The provider sends its own step 1 right after this event; its answer confirms nothing
      // new (this tab's older edits go out only in the reply to the server's step 1, later).
      if (status === 'connected') this.pending.push({ upToEdit: this.lastConfirmed, oldestEditAt: null });
    };
    const onConnectionClose = () => this.onConnectionClose();
    provider.doc.on('update', onUpdate);
    provider.on('status', onStatus);
    provider.on('connection-close', onConnectionClose);
    this.cleanups.push(() => {
      provider.doc.off('update', onUpdate);
      provider.off('status', onStatus);
      provider.off('connection-close', onConnectionClose);
    });
  }

  get saveState(): SaveState {
    return this.state;
  }

  destroy(): void {
    for (const cleanup of this.cleanups) cleanup();
    this.clearTimers();
  }

  private onLocalEdit(): void {
    const now = Date.now();
    this.lastEdit++;
    this.lastEditAt = now;
    this.uncoveredSince ??= now;
    this.scheduleConfirmation();
    this.refresh();
  }

  /**
   * Our reply to the server's step 1 (sent as soon as this returns) carries every edit made here;
   * from then on the provider sends each edit as it is made.
   */
  private onServerStep1(): void {
    this.connectedSince = Date.now();
    this.scheduleConfirmation();
    this.refresh();
  }

  private onStep2(): void {
    const answered = this.pending.shift();
    if (!answered) return;
    this.lastConfirmed = Math.max(this.lastConfirmed, answered.upToEdit);
    this.scheduleConfirmation();
    this.refresh();
  }

  private onConnectionClose(): void {
    // Unanswered step 1s won't be answered, and what was sent may not have arrived: the reply to
    // the next connection's server step 1 sends it again, and a new step 1 confirms it.
    this.uncoveredSince = this.oldestUnconfirmedEditAt();
    this.pending = [];
    this.connectedSince = null;
    this.clearTimers();
    this.refresh();
  }

  private scheduleConfirmation(): void {
    if (this.confirmTimer !== null) clearTimeout(this.confirmTimer);
    this.confirmTimer = null;
    // One step 1 at a time: while the server can't store, they would only pile up there.
    if (this.connectedSince === null || this.pending.length > 0 || this.uncoveredSince === null) return;
    const due = Math.min(this.lastEditAt + CONFIRM_AFTER_IDLE_MS, this.uncoveredSince + CONFIRM_AT_LEAST_EVERY_MS);
    this.confirmTimer = setTimeout(() => this.sendConfirmation(), Math.max(0, due - Date.now()));
  }

  private sendConfirmation(): void {
    this.confirmTimer = null;
    const socket = this.provider.ws;
    if (!socket || socket.readyState !== socket.OPEN || this.connectedSince === null) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, messageSync);
    syncProtocol.writeSyncStep1(encoder, this.provider.doc);
    socket.send(encoding.toUint8Array(encoder));
    this.pending.push({ upToEdit: this.lastEdit, oldestEditAt: this.uncoveredSince });
    this.uncoveredSince = null;
  }

  private oldestUnconfirmedEditAt(): number | null {
    if (this.lastConfirmed >= this.lastEdit) return null;
    const pending = this.pending.find((confirmation) => confirmation.upToEdit > this.lastConfirmed);
    return pending?.oldestEditAt ?? this.uncoveredSince;
  }

  private refresh(): void {
    if (this.unsavedTimer !== null) clearTimeout(this.unsavedTimer);
    this.unsavedTimer = null;
    const oldestEditAt = this.oldestUnconfirmedEditAt();
    let state: SaveState = 'saved';
    if (oldestEditAt !== null) {
      state = 'saving';
      if (this.connectedSince !== null) {
        // Only time connected counts: offline edits wait for the connection, not for storage.
        const unsavedAt = Math.max(oldestEditAt, this.connectedSince) + UNSAVED_AFTER_MS;
        const now = Date.now();
        if (now >= unsavedAt) state = 'unsaved';
        else this.unsavedTimer = setTimeout(() => this.refresh(), unsavedAt - now);
      }
    }
    if (state === this.state) return;
    this.state = state;
    this.onChange(state);
  }

  private clearTimers(): void {
    if (this.confirmTimer !== null) clearTimeout(this.confirmTimer);
    if (this.unsavedTimer !== null) clearTimeout(this.unsavedTimer);
    this.confirmTimer = null;
    this.unsavedTimer = null;
  }
}
