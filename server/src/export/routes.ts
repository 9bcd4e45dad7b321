import { Router } from 'express';
import { DocumentId, ExportPdfQuery, UNTITLED } from '../../../shared/api/index';
import { principalOf } from '../auth/index';
import { requireDocumentRole } from '../groups/index';
import { parseInput } from '../http/index';
import type { Store } from '../store/index';
import type { PdfExporter } from './pdf-exporter';

/** Percent-encoding for `filename*` (RFC 5987 leaves out ' ( ) * ! that encodeURIComponent keeps). */
const rfc5987 = (value: string): string => encodeURIComponent(value).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A download name from a title: letters, digits, spaces and ._- only; ASCII fallback beside UTF-8. */
export function attachmentDisposition(title: string, extension: string): string {
  const base = (title.trim() || UNTITLED).replace(/[^\p{L}\p{N} ._,()'-]/gu, '_').replace(/^[.\s]+/, '').slice(0, 150) || 'document';
  const filename = `${base}.${extension}`;
  return `attachment; filename="${filename.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${rfc5987(filename)}`;
}

/**
 * Exports of a document: /api/documents/:id/export.pdf. Anyone who may read the document
 * (observers too) may export it. Mounted before the documents router, with its `:id`.
 */
export function exportRoutes({ store, exporter }: { store: Store; exporter: PdfExporter }): Router {
  const router = Router({ mergeParams: true });

  router.get('/export.pdf', async (request, response) => {
    const { user } = principalOf(response);
    const documentId = parseInput(DocumentId, (request.params as Record<string, string>).id, 'id');
    const { record } = await requireDocumentRole(store, documentId, user.id, 'read');
    const query = parseInput(ExportPdfQuery, request.query);
    const result = await exporter.export(record.id, {
      paper: query.paper,
      toc: query.toc,
      numbered: query.numbered,
      watermark: query.watermark,
      commentsAnnex: query.comments,
      participantsAnnex: query.participants,
      versionId: query.version,
    }, user.id);
    response.set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': attachmentDisposition(result.title, 'pdf'),
      'Cache-Control': 'private, no-store',
      'X-Page-Count': String(result.pages),
      'X-PDF-Standard': result.standard ?? 'tagged',
    });
    response.send(result.pdf);
  });

  return router;
}
