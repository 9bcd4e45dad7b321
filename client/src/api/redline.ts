/**
 * A comparison as a redline PDF: GET /api/documents/:id/compare.pdf?from&to (shared/api/export.ts,
 * ComparePdfQuery), fetched like the export (fetchPdf).
 */
import '../zod-config';
import type { ComparePdfQueryInput } from '../../../shared/api/index';
import { fetchPdf, type ExportedPdf } from './export';

export function redlinePdfPath(documentId: string, from: string, to: string): string {
  const query: ComparePdfQueryInput = { from, to };
  return `/api/documents/${encodeURIComponent(documentId)}/compare.pdf?${new URLSearchParams(query as Record<string, string>)}`;
}

/** Fetches the redline. Aborting `signal` rejects with an AbortError (DOMException), like fetch. */
export function downloadRedlinePdf(documentId: string, from: string, to: string, signal?: AbortSignal): Promise<ExportedPdf> {
  return fetchPdf(redlinePdfPath(documentId, from, to), 'redline.pdf', signal);
}
