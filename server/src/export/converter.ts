import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as Y from 'yjs';
import {
  DEFAULT_IMPORT_LIMITS,
  DOCUMENT_MAX_DEPTH,
  DOCX_MAX_XML_DEPTH,
  IMPORT_MAX_CHARS,
  TITLE_MAX_LENGTH,
  UNTITLED,
  type ImportLimits,
} from '../../../shared/api/index';
import { getDocumentSchema } from '../../../shared/schema/index';
import { ApiError } from '../http/index';
import type { Store } from '../store/index';
import type { RoomRegistry } from '../sync/index';
import { BoundedWorker, OWNER_RETRY_AFTER_SECONDS, WorkerJobError } from './bounded-worker';
import type { SpooledUpload } from './upload';

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
  | { kind: 'docx-export'; updates: Uint8Array[]; title: string }
  | ({ kind: 'import'; target: 'draft' | 'source'; format: ImportFileFormat; title?: string; untitled?: string } & FileInput)
  | ({ kind: 'reimport'; format: ImportFileFormat; title?: string; state?: Uint8Array[]; statePath?: string } & FileInput);

/** Where the worker finds the file: given (tests, scripts), or in a spooled request body (and where it writes its result). */
type FileInput = { content?: string; bodyPath?: string; resultPath?: string };

export type ImportFileFormat = 'markdown' | 'docx' | 'html' | 'text';

/** The file to import: its content, or the upload that carries it (see upload.ts). */
export type ImportFile = { content: string } | { upload: SpooledUpload };

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
  /** What an import may expand to, and what a document may hold to be imported or exported (shared/api/import.ts). */
  import: ImportLimits;
}

export const DEFAULT_CONVERTER_LIMITS: ConverterLimits = {
  timeoutMs: 30_000,
  maxStateBytes: 32 * 2 ** 20,
  maxQueued: 8,
  maxPerAccount: 3,
  maxHeapMb: 1024,
  import: DEFAULT_IMPORT_LIMITS,
};

/**
 * An imported document, ready to be stored: its title, and the Yjs updates that build it (content
 * and title), read one slice at a time (see storeInSlices).
 */
export interface ImportedContent {
  title: string;
  /** Sources: paragraphs and headings numbered. */
  paragraphCount?: number;
  updates(): AsyncGenerator<Uint8Array>;
}

/** A re-import, ready to be applied: the updates that turn the source's state into the new content, and what became of its paragraphs. */
export interface Reimported {
  kept: number;
  added: number;
  removed: number;
  total: number;
  updates(): AsyncGenerator<Uint8Array>;
}

const HTTP_STATUS: Record<string, number> = {
  invalid_content: 400,
  invalid_json: 400,
  too_large: 413,
  too_many_requests: 429,
  export_busy: 503,
  export_timeout: 503,
  export_failed: 500,
};

/** Lets the event loop serve everything else (every document's edits) before the next slice. */
export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * How fast an import is written to the store. Not faster: on SQLite every write lands in the WAL,
 * which the compaction thread checkpoints each second without stopping writers, but a log grown
 * past 4 MiB is checkpointed with a RESTART, which holds every writer (the main thread storing
 * everyone's keystrokes) while it copies and syncs what is left; at this pace the passive
 * checkpoints keep up and a RESTART finds little to do.
 */
export const IMPORT_STORE_BYTES_PER_SECOND = 4 * 2 ** 20;

/**
 * Paces slices of an import: `next(bytes)` resolves once the event loop has had a turn and, at
 * IMPORT_STORE_BYTES_PER_SECOND, the time for the bytes so far has passed.
 */
export function importPacer(): { next(bytes: number): Promise<void> } {
  const started = performance.now();
  let written = 0;
  return {
    next(bytes) {
      written += bytes;
      const wait = started + (written / IMPORT_STORE_BYTES_PER_SECOND) * 1000 - performance.now();
      return wait > 1 ? new Promise((resolve) => setTimeout(resolve, wait)) : yieldToLoop();
    },
  };
}

/**
 * Stores a new document's updates one by one, yielding to the event loop between them and pacing
 * them (importPacer): a large import reaches the store (a synchronous write on SQLite) as slices
 * of about 256 KiB, never as one write that holds up everyone's editing.
 */
export async function storeInSlices(store: Store, documentId: string, updates: AsyncIterable<Uint8Array>): Promise<number> {
  let count = 0;
  const pacer = importPacer();
  for await (const update of updates) {
    await store.appendUpdate(documentId, update);
    count++;
    await pacer.next(update.byteLength);
  }
  return count;
}

/** The worker's updates, from its message or, a slice at a time, from the file it wrote them to. */
async function* updatesOf(result: { updates?: Uint8Array[]; chunks?: [number, number][] }, resultPath: string | undefined): AsyncGenerator<Uint8Array> {
  if (result.updates) {
    yield* result.updates;
    return;
  }
  const handle = await open(resultPath!, 'r');
  try {
    for (const [offset, length] of result.chunks ?? []) {
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      if (bytesRead !== length) throw new Error(`the conversion's result is shorter than it said (${bytesRead} of ${length} bytes)`);
      yield new Uint8Array(buffer.buffer, buffer.byteOffset, length);
    }
  } finally {
    await handle.close();
  }
}

/** A document's stored updates as one file: each after its length (4 bytes, little-endian), for the worker to read. */
function stateFile(updates: Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const update of updates) {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(update.byteLength);
    parts.push(length, Buffer.from(update.buffer, update.byteOffset, update.byteLength));
  }
  return Buffer.concat(parts);
}

/**
 * Markdown and DOCX export, and every import (drafts and source papers, from Markdown, Word,
 * HTML or text). Reading the upload, parsing, checking the import limits and the shared schema,
 * numbering a source's paragraphs and encoding the result as Yjs updates all run in the
 * conversion process (convert-worker.mjs, one job at a time, with a time bound); here only the
 * stored state is read and the result stored, a slice at a time.
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
      workerData: {
        schemaSpec: schemaSpec(),
        titleMax: TITLE_MAX_LENGTH,
        untitled: UNTITLED,
        limits: this.limits.import,
        importMaxChars: IMPORT_MAX_CHARS,
        maxDepth: DOCUMENT_MAX_DEPTH,
        maxXmlDepth: DOCX_MAX_XML_DEPTH,
      },
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
   * A file (Markdown text, or a DOCX file in base64; given, or in an upload) → a new draft's title
   * and Yjs updates; 400 `invalid_content` when it can't be read as that format, 413 `too_large`
   * over an import limit (the message names it).
   */
  async importDocument(format: 'markdown' | 'docx', file: string | ImportFile, title?: string, owner?: string): Promise<ImportedContent> {
    return this.importFile({ target: 'draft', format, title }, typeof file === 'string' ? { content: file } : file, owner);
  }

  /**
   * A source paper's file → its title (the given one, else the file's own, else `untitled`), its
   * paragraphs numbered, as Yjs updates; 400 for a file without text, else as importDocument.
   */
  async importSource(format: ImportFileFormat, file: ImportFile, options: { title?: string; untitled: string }, owner?: string): Promise<ImportedContent & { paragraphCount: number }> {
    const imported = await this.importFile({ target: 'source', format, title: options.title, untitled: options.untitled }, file, owner);
    return imported as ImportedContent & { paragraphCount: number };
  }

  /**
   * A re-import of a source whose current content is `state` (its stored updates): the updates that
   * turn it into the file's content (unchanged paragraphs keep their pids and their Yjs items) and
   * what became of its paragraphs. Everything runs in the conversion process: the main thread only
   * applies the result, a slice at a time.
   */
  async reimportSource(state: Uint8Array[], format: ImportFileFormat, file: ImportFile, owner?: string): Promise<Reimported> {
    const paths = await this.filePaths(file);
    let statePath: string | undefined;
    if ('upload' in file) {
      statePath = join(file.upload.dir, 'state.bin');
      await writeFile(statePath, stateFile(state));
    }
    const job: ConvertJob = { kind: 'reimport', format, ...paths, ...(statePath ? { statePath } : { state }) };
    const result = (await this.run(job, owner)) as Omit<Reimported, 'updates'> & { updates?: Uint8Array[]; chunks?: [number, number][] };
    return { kept: result.kept, added: result.added, removed: result.removed, total: result.total, updates: () => updatesOf(result, paths.resultPath) };
  }

  private async importFile(
    job: { target: 'draft' | 'source'; format: ImportFileFormat; title?: string; untitled?: string },
    file: ImportFile,
    owner: string | undefined,
  ): Promise<ImportedContent> {
    const paths = await this.filePaths(file);
    const result = (await this.run({ kind: 'import', ...job, ...paths }, owner)) as {
      title: string;
      paragraphCount?: number;
      updates?: Uint8Array[];
      chunks?: [number, number][];
    };
    return { title: result.title, paragraphCount: result.paragraphCount, updates: () => updatesOf(result, paths.resultPath) };
  }

  private async filePaths(file: ImportFile): Promise<FileInput> {
    if ('content' in file) return { content: file.content };
    return { bodyPath: file.upload.bodyPath, resultPath: join(file.upload.dir, 'result.bin') };
  }

  /**
   * The document's current content as its stored updates, after an open room has stored its
   * pending edits (as an export reads it).
   */
  storedState(documentId: string): Promise<Uint8Array[]> {
    return this.currentState(documentId);
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
        const aboutContent = error.code === 'invalid_content' || error.code === 'too_large';
        throw new ApiError(status, error.code, message, aboutContent ? [{ path: 'content', message }] : undefined, status === 429 ? OWNER_RETRY_AFTER_SECONDS : undefined);
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
