import { Router } from 'express';
import { ComparePdfQuery, DocumentId } from '../../../shared/api/index';
import { principalOf } from '../auth/index';
import { requireDocumentRole } from '../groups/index';
import { parseInput } from '../http/index';
import type { Store } from '../store/index';
import type { VersionHistory } from '../versions/index';
import type { PdfExporter } from './pdf-exporter';
import { redlineData } from './redline';
import { attachmentDisposition } from './routes';

/**
 * A comparison as a redline PDF: /api/documents/:id/compare.pdf?from&to&paper. Anyone who may
 * read the document (observers too) may download it, as they may see the comparison. Mounted
 * before the documents router, with its `:id`.
 */
export function redlineRoutes({ store, history, exporter }: { store: Store; history: VersionHistory; exporter: PdfExporter }): Router {
  const router = Router({ mergeParams: true });

  router.get('/compare.pdf', async (request, response) => {
    const { user } = principalOf(response);
    const documentId = parseInput(DocumentId, (request.params as Record<string, string>).id, 'id');
    const { record } = await requireDocumentRole(store, documentId, user.id, 'read');
    const query = parseInput(ComparePdfQuery, request.query);
    const comparison = await history.compare(record.id, query.from, query.to === 'current' ? null : query.to);
    const group = record.groupId === null ? undefined : await store.getGroup(record.groupId);
    const { data, fileTitle } = redlineData({
      title: comparison.to?.title ?? record.title,
      group: group?.name ?? '',
      from: comparison.from,
      to: comparison.to,
      currentAt: record.updatedAt,
      blocks: comparison.blocks,
      summary: comparison.summary,
      paper: query.paper,
      generatedAt: new Date(),
    });
    const result = await exporter.typesetRedline(data, user.id);
    response.set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': attachmentDisposition(fileTitle, 'pdf'),
      'Cache-Control': 'private, no-store',
      'X-Page-Count': String(result.pages),
      'X-PDF-Standard': result.standard ?? 'tagged',
    });
    response.send(result.pdf);
  });

  return router;
}
