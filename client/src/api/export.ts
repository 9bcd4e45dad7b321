/**
 * Exporting a document as a PDF: GET /api/documents/:id/export.pdf (shared/api/export.ts). The
 * answer is a file, not JSON, so this is its own fetch; failures come back as ApiError with the
 * server's code (too_large, export_busy, export_timeout, export_failed, not_found, no_access, …).
 */
import '../zod-config';
import { ApiErrorBody, type ExportPdfQueryInput, type PaperSize } from '../../../shared/api/index';
import { ApiError } from './http';

export type { PaperSize } from '../../../shared/api/index';

export interface ExportPdfOptions {
  paper: PaperSize;
  /** A table of contents after the title block. */
  toc: boolean;
  /** Headings numbered 1., 1.1, 1.1.1. */
  numbered: boolean;
  /** "DRAFT" across every page. */
  watermark: boolean;
  /** Annex: every comment thread with its discussion and resolution. */
  commentsAnnex: boolean;
  /** Annex: the group's members and former contributors, with what they contributed. */
  participantsAnnex: boolean;
  /** A version's id, for its text instead of the current one. */
  version?: string | null;
}

export interface ExportedPdf {
  pdf: Blob;
  /** The server's file name (from the title), e.g. "Strategy paper.pdf". */
  filename: string;
  /** From X-Page-Count, when the server sent it. */
  pages: number | null;
}

export function exportPdfPath(documentId: string, options: ExportPdfOptions): string {
  const query: ExportPdfQueryInput = {
    paper: options.paper,
    toc: String(options.toc) as 'true' | 'false',
    numbered: String(options.numbered) as 'true' | 'false',
    watermark: String(options.watermark) as 'true' | 'false',
  };
  // The annexes are off unless asked for: only then are they in the query.
  if (options.commentsAnnex) query.comments = 'true';
  if (options.participantsAnnex) query.participants = 'true';
  if (options.version) query.version = options.version;
  return `/api/documents/${encodeURIComponent(documentId)}/export.pdf?${new URLSearchParams(query as Record<string, string>)}`;
}

/**
 * The download name from a Content-Disposition header: `filename*=UTF-8''…` (the real title),
 * else `filename="…"` (its ASCII fallback), else `fallback`.
 */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (header) {
    const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
    if (extended) {
      try {
        const name = decodeURIComponent(extended[1].trim());
        if (name) return name;
      } catch {
        // Malformed percent-encoding: use the plain name below.
      }
    }
    const plain = /filename\s*=\s*"([^"]*)"/i.exec(header) ?? /filename\s*=\s*([^;]+)/i.exec(header);
    if (plain?.[1]?.trim()) return plain[1].trim();
  }
  return fallback;
}

export interface DownloadedFile {
  file: Blob;
  /** The server's file name (from the title), e.g. "Strategy paper.docx". */
  filename: string;
  response: Response;
}

/**
 * Fetches a file the server makes (PDF, Word, Markdown) and names it from Content-Disposition.
 * Failures come back as ApiError with the server's code; aborting `signal` rejects with an AbortError.
 */
export async function fetchFile(path: string, fallbackName: string, mimeType: string, signal?: AbortSignal): Promise<DownloadedFile> {
  let response: Response;
  try {
    response = await fetch(path, {
      headers: { Accept: `${mimeType}, application/json` },
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', navigator.onLine ? 'The server could not be reached.' : 'You are offline.');
  }

  if (!response.ok) {
    const payload = await response.json().catch(() => null);
    const parsed = ApiErrorBody.safeParse(payload);
    if (parsed.success) {
      const { code, message, fields } = parsed.data.error;
      const retryAfter = Number(response.headers.get('Retry-After'));
      throw new ApiError(response.status, code, message, fields, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
    }
    throw new ApiError(response.status, 'http_error', `The server answered ${response.status} ${response.statusText}.`.trim());
  }

  let file: Blob;
  try {
    file = await response.blob();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'The connection broke while the file was downloading.');
  }
  return {
    file: file.type === mimeType ? file : new Blob([file], { type: mimeType }),
    filename: filenameFromDisposition(response.headers.get('Content-Disposition'), fallbackName),
    response,
  };
}

/**
 * Fetches a PDF the server makes (export, redline) and names it from Content-Disposition. Failures
 * come back as ApiError with the server's code; aborting `signal` rejects with an AbortError.
 */
export async function fetchPdf(path: string, fallbackName: string, signal?: AbortSignal): Promise<ExportedPdf> {
  const { file, filename, response } = await fetchFile(path, fallbackName, 'application/pdf', signal);
  const pages = Number(response.headers.get('X-Page-Count'));
  return { pdf: file, filename, pages: Number.isInteger(pages) && pages > 0 ? pages : null };
}

/** The formats besides PDF: a Word file or Markdown text, of the current text. */
export type TextExportFormat = 'docx' | 'md';

const TEXT_EXPORT_TYPES: Record<TextExportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  md: 'text/markdown',
};

/** Fetches the document as a Word file (export.docx) or Markdown (export.md). */
export async function exportText(documentId: string, format: TextExportFormat, signal?: AbortSignal): Promise<{ file: Blob; filename: string }> {
  const path = `/api/documents/${encodeURIComponent(documentId)}/export.${format}`;
  const { file, filename } = await fetchFile(path, `document.${format}`, TEXT_EXPORT_TYPES[format], signal);
  return { file, filename };
}

/** Fetches the document (or one of its versions) as a PDF. */
export function exportPdf(documentId: string, options: ExportPdfOptions, signal?: AbortSignal): Promise<ExportedPdf> {
  return fetchPdf(exportPdfPath(documentId, options), 'document.pdf', signal);
}
