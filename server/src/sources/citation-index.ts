import type { Logger } from 'pino';
import * as Y from 'yjs';
import { CONTENT_FRAGMENT } from '../../../shared/protocol/index';
import type { CitationRecord, Store } from '../store/index';
import type { RoomRegistry } from '../sync/index';
import { readContent } from './source-access';

/** How long after a draft's last stored change its citations are read again… */
const INDEX_AFTER_MS = 1500;
/** …and at the latest this long after the first change not indexed yet, while people keep typing. */
const INDEX_WITHIN_MS = 10_000;

/** Every citation in a document's content, each (source, paragraph) once (iterative: a client may nest content arbitrarily deep). */
export function citationsIn(doc: Y.Doc): CitationRecord[] {
  const found = new Map<string, CitationRecord>();
  const stack: (Y.XmlFragment | Y.XmlElement)[] = [doc.getXmlFragment(CONTENT_FRAGMENT)];
  while (stack.length > 0) {
    for (const child of stack.pop()!.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (child.nodeName === 'citation') {
        const sourceId = child.getAttribute('sourceId');
        const pid = child.getAttribute('pid');
        if (typeof sourceId === 'string' && typeof pid === 'string' && sourceId && pid) found.set(`${sourceId}\n${pid}`, { sourceId, pid });
      } else stack.push(child);
    }
  }
  return [...found.values()];
}

/**
 * Keeps the store's citation index (which drafts cite which source paragraphs) following the
 * drafts' content: a draft's citations are read again a moment after its changes are stored.
 */
export class CitationIndexer {
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; since: number }>();
  /** The last list stored per document, so an edit that changes no citation writes nothing. */
  private readonly indexed = new Map<string, string>();

  constructor(private readonly deps: { store: Store; registry: RoomRegistry; log: Logger }) {}

  noteStored(documentId: string): void {
    const pending = this.timers.get(documentId);
    const since = pending?.since ?? Date.now();
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(
      () => {
        this.timers.delete(documentId);
        void this.index(documentId);
      },
      Math.max(0, Math.min(INDEX_AFTER_MS, since + INDEX_WITHIN_MS - Date.now())),
    );
    timer.unref();
    this.timers.set(documentId, { timer, since });
  }

  /** Indexes a document now (and what is pending, on close). */
  async index(documentId: string): Promise<void> {
    try {
      const record = await this.deps.store.getDocument(documentId);
      if (!record || record.kind !== 'draft') {
        this.indexed.delete(documentId);
        return;
      }
      const citations = await readContent(this.deps, record, citationsIn);
      const key = JSON.stringify(citations);
      if (this.indexed.get(documentId) === key) return;
      await this.deps.store.replaceCitations(documentId, citations);
      this.indexed.set(documentId, key);
    } catch (error) {
      this.deps.log.warn({ err: error, doc: documentId }, 'indexing citations failed; retried at the next change');
    }
  }

  async close(): Promise<void> {
    const pending = [...this.timers.keys()];
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(pending.map((documentId) => this.index(documentId)));
  }
}
