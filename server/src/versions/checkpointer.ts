import type { Logger } from 'pino';
import { isStoreUnavailable, StoreOutageLog } from '../store/index';
import type { VersionHistory } from './history';

/**
 * Takes automatic checkpoints, so nothing needs to be named to be recoverable: after a pause in
 * a document's editing, at least every `maxIntervalMs` while it is being edited, and on shutdown
 * for documents edited since their last checkpoint.
 */
export class Checkpointer {
  private readonly edited = new Map<string, { since: number; timer: NodeJS.Timeout }>();
  /** A store that is down fails every checkpoint: logged once when that starts and once when it ends. */
  private readonly outage: StoreOutageLog;

  constructor(
    private readonly history: VersionHistory,
    private readonly options: { pauseMs: number; maxIntervalMs: number; log: Logger },
  ) {
    this.outage = new StoreOutageLog(options.log, { fields: { component: 'checkpointer' } });
  }

  /** A batch of the document's changes was stored. */
  noteStored(documentId: string): void {
    const now = Date.now();
    const entry = this.edited.get(documentId);
    if (entry) clearTimeout(entry.timer);
    const since = entry?.since ?? now;
    if (now - since >= this.options.maxIntervalMs) {
      void this.checkpoint(documentId);
      return;
    }
    const timer = setTimeout(() => void this.checkpoint(documentId), this.options.pauseMs);
    timer.unref();
    this.edited.set(documentId, { since, timer });
  }

  /** Checkpoints every document edited since its last checkpoint. */
  async close(): Promise<void> {
    await Promise.all([...this.edited.keys()].map((documentId) => this.checkpoint(documentId)));
  }

  private async checkpoint(documentId: string): Promise<void> {
    const entry = this.edited.get(documentId);
    if (entry) clearTimeout(entry.timer);
    this.edited.delete(documentId);
    try {
      await this.history.take(documentId, { kind: 'checkpoint', name: '', createdById: null });
      this.outage.succeeded();
    } catch (error) {
      // A store that is down: once per outage. Anything else is worth knowing about each time.
      if (!isStoreUnavailable(error)) this.options.log.warn({ err: error, doc: documentId }, 'automatic checkpoint failed');
      else this.outage.failed(error, 'automatic checkpoint failed', { doc: documentId });
    }
  }
}
