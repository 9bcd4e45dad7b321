import * as Y from 'yjs';
import { TITLE_MAX_LENGTH, UNTITLED } from '../../../shared/api/index';
import { getDocumentSchema } from '../../../shared/schema/index';
import { ApiError } from '../http/index';
import type { Store } from '../store/index';
import type { RoomRegistry } from '../sync/index';
import { BoundedWorker, OWNER_RETRY_AFTER_SECONDS, WorkerJobError } from './bounded-worker';

/**
 * The shared schema's node and mark specs as plain data (functions such as toDOM and parseDOM
 * rules dropped; content expressions, groups, attributes and their defaults, marks kept), for
 * the worker to build the same schema.
 */
export function schemaSpec(): { nodes: [string, unknown][]; marks: [string, unknown][]; topNode?: string } {
  const { spec } = getDocumentSchema();
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
  const nodes: [string, unknown][] = [];
  const marks: [string, unknown][] = [];
  spec.nodes.forEach((name, node) => nodes.push([name, plain(node)]));
  spec.marks.forEach((name, mark) => marks.push([name, plain(mark)]));
  return { nodes, marks, topNode: spec.topNode };
}

type ConvertJob =
  | { kind: 'markdown-export'; updates: Uint8Array[]; title: string }
  | { kind: 'markdown-import'; content: string; title?: string }
  | { kind: 'docx-export'; updates: Uint8Array[]; title: string }
  | { kind: 'docx-import'; content: string; title?: string }
  | { kind: 'source-parse'; format: 'markdown' | 'docx' | 'html' | 'text'; content: string; title?: string }
  | { kind: 'source-encode'; doc: ProseMirrorJson; title: string };

/** A document's content as ProseMirror JSON (of the shared schema). */
export interface ProseMirrorJson {
  type: string;
  attrs?: Record<string, unknown>;
  content?: ProseMirrorJson[];
  text?: string;
  marks?: unknown[];
}

export interface ConverterLimits {
  /** Longest one conversion may run (default 30 s). */
  timeoutMs: number;
  /** Largest stored Yjs state exported (default 32 MiB). */
  maxStateBytes: number;
  /** Conversions that may wait behind the running one (default 8). */
  maxQueued: number;
  /** Conversions one account may have waiting or running (default 3); more: 429. */
  maxPerAccount: number;
  /**
   * The conversion process's JavaScript heap (default 1024 MB): a file that needs more (a Word
   * file that unzips to gigabytes, say) fails with 413 and ends only that process.
   */
  maxHeapMb: number;
}

export const DEFAULT_CONVERTER_LIMITS: ConverterLimits = { timeoutMs: 30_000, maxStateBytes: 32 * 2 ** 20, maxQueued: 8, maxPerAccount: 3, maxHeapMb: 1024 };

/** An imported draft, ready to be stored: its title and its first Yjs update (content and title). */
export interface ImportedDraft {
  title: string;
  update: Uint8Array;
}

const HTTP_STATUS: Record<string, number> = { invalid_content: 400, too_large: 413, too_many_requests: 429, export_busy: 503, export_timeout: 503, export_failed: 500 };

/**
 * Markdown and DOCX export and import. Parsing, serializing, checking imported content against
 * the shared schema and encoding it as a Yjs update all run on a worker thread
 * (convert-worker.mjs, one job at a time, with a time bound); here only the stored state is read.
 */
export class DocumentConverter {
  private readonly worker: BoundedWorker<ConvertJob, unknown>;
  private readonly limits: ConverterLimits;

  constructor(
    private readonly deps: { store: Store; registry: RoomRegistry; onWorkerLog: (message: string) => void },
    limits: Partial<ConverterLimits> = {},
  ) {
    this.limits = { ...DEFAULT_CONVERTER_LIMITS, ...limits };
    this.worker = new BoundedWorker(new URL('./convert-worker.mjs', import.meta.url), {
      workerData: { schemaSpec: schemaSpec(), titleMax: TITLE_MAX_LENGTH, untitled: UNTITLED },
      timeoutMs: this.limits.timeoutMs,
      maxQueued: this.limits.maxQueued,
      maxPerOwner: this.limits.maxPerAccount,
      idleMs: 5 * 60_000,
      isolation: 'process',
      maxHeapMb: this.limits.maxHeapMb,
      onLog: deps.onWorkerLog,
    });
  }

  /**
   * The document as Markdown (access is checked by the route). `owner` (here and below): the
   * account asking, whose conversions wait their turn with everyone's and are capped (429).
   */
  async exportMarkdown(documentId: string, owner?: string): Promise<{ markdown: string; title: string }> {
    const { updates, title } = await this.documentState(documentId);
    const { markdown } = (await this.run({ kind: 'markdown-export', updates, title }, owner)) as { markdown: string };
    return { markdown, title };
  }

  /** The document as a Word file (access is checked by the route). */
  async exportDocx(documentId: string, owner?: string): Promise<{ docx: Buffer; title: string }> {
    const { updates, title } = await this.documentState(documentId);
    const { docx } = (await this.run({ kind: 'docx-export', updates, title }, owner)) as { docx: Uint8Array };
    return { docx: Buffer.from(docx.buffer, docx.byteOffset, docx.byteLength), title };
  }

  /**
   * A file's content (Markdown text, or a DOCX file in base64) → a new draft's title and first
   * update; 400 `invalid_content` when it can't be read as that format.
   */
  async importDocument(format: 'markdown' | 'docx', content: string, title?: string, owner?: string): Promise<ImportedDraft> {
    const kind = format === 'docx' ? 'docx-import' : 'markdown-import';
    return (await this.run({ kind, content, title }, owner)) as ImportedDraft;
  }

  /**
   * A source paper's file → its title (from the file when it has one) and content as ProseMirror
   * JSON checked against the schema; 400 `invalid_content` when it can't be read as that format.
   */
  async parseSource(format: 'markdown' | 'docx' | 'html' | 'text', content: string, title?: string, owner?: string): Promise<{ title: string; doc: ProseMirrorJson }> {
    return (await this.run({ kind: 'source-parse', format, content, title }, owner)) as { title: string; doc: ProseMirrorJson };
  }

  /** Content (ProseMirror JSON) and title → a Yjs update that holds both (a new document's first update). */
  async encodeContent(doc: ProseMirrorJson, title: string, owner?: string): Promise<Uint8Array> {
    return ((await this.run({ kind: 'source-encode', doc, title }, owner)) as { update: Uint8Array }).update;
  }

  private async documentState(documentId: string): Promise<{ updates: Uint8Array[]; title: string }> {
    const document = await this.deps.store.getDocument(documentId);
    if (!document) throw new ApiError(404, 'not_found', 'no such document');
    const updates = await this.currentState(documentId);
    const size = updates.reduce((sum, update) => sum + update.byteLength, 0);
    if (size > this.limits.maxStateBytes) {
      throw new ApiError(413, 'too_large', `this document is too large to export (${(size / 2 ** 20).toFixed(1)} MiB; the limit is ${(this.limits.maxStateBytes / 2 ** 20).toFixed(0)} MiB)`);
    }
    return { updates, title: document.title };
  }

  close(): Promise<void> {
    return this.worker.stop();
  }

  private async run(job: ConvertJob, owner: string | undefined): Promise<unknown> {
    try {
      return await this.worker.run(job, { owner });
    } catch (error) {
      if (error instanceof WorkerJobError) {
        const status = HTTP_STATUS[error.code] ?? 500;
        // BoundedWorker words its timeout for the typesetter.
        const message = error.code === 'export_timeout' ? `the conversion took longer than ${Math.round(this.limits.timeoutMs / 1000)} s and was stopped` : error.message;
        throw new ApiError(status, error.code, message, status === 400 ? [{ path: 'content', message }] : undefined, status === 429 ? OWNER_RETRY_AFTER_SECONDS : undefined);
      }
      throw error;
    }
  }

  /** As PdfExporter: the stored state, after an open room has stored its pending edits. */
  private async currentState(documentId: string): Promise<Uint8Array[]> {
    const room = this.deps.registry.peek(documentId);
    if (room) {
      await room.flush();
      if (room.hasUnstoredChanges) return [Y.encodeStateAsUpdate(room.doc)];
    }
    const content = await this.deps.store.loadContent(documentId);
    return [...(content.snapshot ? [content.snapshot] : []), ...content.updates];
  }
}
