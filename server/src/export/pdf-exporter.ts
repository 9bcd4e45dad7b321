import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import type { PaperSize } from '../../../shared/api/index';
import { ApiError } from '../http/index';
import type { Store } from '../store/index';
import type { RoomRegistry } from '../sync/index';
import { BoundedWorker, OWNER_RETRY_AFTER_SECONDS, WorkerJobError } from './bounded-worker';
import { paperAnnexes, paperDate, type PaperAnnexes } from './annexes';
import { exportFontFiles } from './fonts';

export interface PdfExportOptions {
  paper: PaperSize;
  /** A table of contents after the title block (when the document has headings). */
  toc: boolean;
  /** Numbered headings; undefined: the document's own setting. */
  numbered?: boolean;
  /** "DRAFT" across every page; undefined: unless a co-chair marked the document final. */
  watermark?: boolean;
  /** Annex: every comment thread with its discussion and resolution (default: none). */
  commentsAnnex?: boolean;
  /** Annex: the group's members and former members who contributed, with their contributions (default: none). */
  participantsAnnex?: boolean;
  /** Typeset this version instead of the current content. */
  versionId?: string;
}

export interface PdfExport {
  pdf: Buffer;
  /** The title the paper carries (the version's, for a version). */
  title: string;
  pages: number;
  /** 'ua-1' when the PDF is PDF/UA-1; null when only tagged (the typesetter refused PDF/UA for this content). */
  standard: 'ua-1' | null;
}

export interface PdfExportLimits {
  /** Longest one export may typeset (default 60 s); over it, the render is stopped. */
  timeoutMs: number;
  /** Largest stored Yjs state accepted (default 32 MiB). */
  maxStateBytes: number;
  /** Largest cleaned content handed to the typesetter (default 8 MiB of JSON, ~2,000 pages). */
  maxDataBytes: number;
  /** Exports that may wait behind the running one (default 8). */
  maxQueued: number;
  /** Exports (and redlines) one account may have waiting or running (default 3); more: 429. */
  maxPerAccount: number;
  /**
   * After this long without an export the typesetter drops its caches (default 1 minute), and
   * after `idleStopMs` (default 10 minutes) its thread ends, returning its memory (≈ 100–300 MB
   * after long papers); the next export then starts cold (≈ 0.1–0.4 s more).
   */
  idleEvictMs: number;
  idleStopMs: number;
}

export const DEFAULT_PDF_EXPORT_LIMITS: PdfExportLimits = {
  timeoutMs: 60_000,
  maxStateBytes: 32 * 2 ** 20,
  maxDataBytes: 8 * 2 ** 20,
  maxQueued: 8,
  maxPerAccount: 3,
  idleEvictMs: 60_000,
  idleStopMs: 10 * 60_000,
};

/** What the template shows and puts in the PDF's metadata (see template/paper.typ). */
interface PaperMeta {
  title: string;
  group: string;
  date: string;
  dateParts: [number, number, number];
  version: string | null;
  paper: PaperSize;
  toc: boolean;
  numbered: boolean | null;
  watermark: boolean;
  /** "Final" once a co-chair marked the document final (a version: never), else "Draft". */
  status: 'Final' | 'Draft';
}

type RenderJob = { updates: Uint8Array[]; paper: PaperMeta; annexes: PaperAnnexes } | { kind: 'redline'; data: string };
type RenderResult = { pdf: Uint8Array; pages: number; standard: 'ua-1' | null };

const HTTP_STATUS: Record<string, number> = { too_large: 413, too_many_requests: 429, export_busy: 503, export_timeout: 503, export_failed: 500 };
/** The API's error for a job that failed on the worker. */
function apiErrorOf(error: WorkerJobError): ApiError {
  const status = HTTP_STATUS[error.code] ?? 500;
  return new ApiError(status, error.code, error.message, undefined, status === 429 ? OWNER_RETRY_AFTER_SECONDS : undefined);
}

/**
 * Typesets documents (their current content, or a version) as PDF papers. The Yjs state is
 * taken here; everything else (ProseMirror JSON, cleaning, Typst) happens on a worker thread,
 * one export at a time, each within a time limit, so exporting never stalls editing.
 */
export class PdfExporter {
  private readonly worker: BoundedWorker<RenderJob, RenderResult>;
  private readonly limits: PdfExportLimits;

  constructor(
    private readonly deps: { store: Store; registry: RoomRegistry; onWorkerLog: (message: string) => void },
    limits: Partial<PdfExportLimits> = {},
  ) {
    this.limits = { ...DEFAULT_PDF_EXPORT_LIMITS, ...limits };
    const template = fileURLToPath(new URL('./template/paper.typ', import.meta.url));
    this.worker = new BoundedWorker(new URL('./pdf-worker.mjs', import.meta.url), {
      workerData: {
        template,
        // The template's folder is the typesetter's whole file system.
        workspace: fileURLToPath(new URL('./template/', import.meta.url)),
        fontFiles: exportFontFiles(),
        maxDataBytes: this.limits.maxDataBytes,
        idleEvictMs: this.limits.idleEvictMs,
      },
      timeoutMs: this.limits.timeoutMs,
      maxQueued: this.limits.maxQueued,
      maxPerOwner: this.limits.maxPerAccount,
      idleMs: this.limits.idleStopMs,
      onLog: deps.onWorkerLog,
    });
  }

  /**
   * The PDF of a document the caller may read (access is checked by the route). `owner`: the
   * account asking, whose exports wait their turn with everyone's and are capped (429).
   */
  async export(documentId: string, options: PdfExportOptions, owner?: string): Promise<PdfExport> {
    const { store } = this.deps;
    const document = await store.getDocument(documentId);
    if (!document) throw new ApiError(404, 'not_found', 'no such document');
    const group = document.groupId === null ? undefined : await store.getGroup(document.groupId);

    let updates: Uint8Array[];
    let title: string;
    let version: string | null = null;
    let date: Date;
    if (options.versionId !== undefined) {
      const found = await store.getVersion(documentId, options.versionId);
      if (!found) throw new ApiError(404, 'not_found', 'no such version of this document');
      updates = [found.state];
      title = found.record.title;
      version = found.record.name || `Checkpoint of ${found.record.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
      date = found.record.meetingDate ? new Date(`${found.record.meetingDate}T00:00:00Z`) : found.record.createdAt;
    } else {
      updates = await this.currentState(documentId);
      title = document.title;
      date = document.updatedAt;
    }
    const size = updates.reduce((sum, update) => sum + update.byteLength, 0);
    if (size > this.limits.maxStateBytes) {
      throw new ApiError(
        413,
        'too_large',
        `this document is too large to export as PDF (${(size / 2 ** 20).toFixed(1)} MiB; the limit is ${(this.limits.maxStateBytes / 2 ** 20).toFixed(0)} MiB)`,
      );
    }
    const { text: dateText, parts } = paperDate(date);
    // A version is a snapshot of a draft; only the current text of a final document is final.
    const final = document.final !== null && options.versionId === undefined;
    const annexes = await paperAnnexes(this.deps, document, { comments: options.commentsAnnex ?? false, participants: options.participantsAnnex ?? false });
    const paper: PaperMeta = {
      title,
      group: group?.name ?? '',
      date: dateText,
      dateParts: parts,
      version,
      paper: options.paper,
      toc: options.toc,
      numbered: options.numbered ?? null,
      watermark: options.watermark ?? !final,
      status: final ? 'Final' : 'Draft',
    };
    try {
      const result = await this.worker.run({ updates, paper, annexes }, { owner });
      return { pdf: Buffer.from(result.pdf.buffer, result.pdf.byteOffset, result.pdf.byteLength), title, pages: result.pages, standard: result.standard };
    } catch (error) {
      if (error instanceof WorkerJobError) throw apiErrorOf(error);
      throw error;
    }
  }

  /**
   * Typesets a redline (its template/redline.typ data, as JSON: see redline.ts) on the same
   * typesetter thread, within the same limits and queue (`owner` as for `export`).
   */
  async typesetRedline(data: string, owner?: string): Promise<{ pdf: Buffer; pages: number; standard: 'ua-1' | null }> {
    try {
      const result = await this.worker.run({ kind: 'redline', data }, { owner });
      return { pdf: Buffer.from(result.pdf.buffer, result.pdf.byteOffset, result.pdf.byteLength), pages: result.pages, standard: result.standard };
    } catch (error) {
      if (error instanceof WorkerJobError) throw apiErrorOf(error);
      throw error;
    }
  }

  close(): Promise<void> {
    return this.worker.stop();
  }

  /**
   * The document's content now, as the stored snapshot and updates (merged on the worker): an open
   * room stores its pending edits first. Encoding an open room's state here instead would cost
   * the editing loop tens of milliseconds for a long paper. Only when the store is failing (edits
   * not stored yet) is the room's state encoded, so the export still has them.
   */
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
