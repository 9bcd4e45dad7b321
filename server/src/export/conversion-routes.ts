import { Router } from 'express';
import { DocumentId, ImportDocumentRequest, UPLOAD_MAX_BODY_BYTES } from '../../../shared/api/index';
import { newId } from '../../../shared/protocol/index';
import { principalOf } from '../auth/index';
import { toDocumentSummary } from '../documents/index';
import { requireDocumentRole, requireGroupRole } from '../groups/index';
import { parseInput } from '../http/index';
import type { Store } from '../store/index';
import { storeInSlices, type DocumentConverter } from './converter';
import { spoolUpload } from './upload';
import { attachmentDisposition } from './routes';

const DOCX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * /api/documents/:id/export.md and export.docx: the document as Markdown or as a Word file. Anyone who may read the document
 * (observers too) may export it. Mounted before the documents router, with its `:id`.
 */
export function conversionExportRoutes({ store, converter }: { store: Store; converter: DocumentConverter }): Router {
  const router = Router({ mergeParams: true });
  /** Both formats: read access, convert on the worker, send as a download named after the title. */
  const exportAs = (extension: 'md' | 'docx', mediaType: string, convert: (documentId: string, owner: string) => Promise<{ body: string | Buffer | Uint8Array; title: string }>) =>
    router.get(`/export.${extension}`, async (request, response) => {
      const { user } = principalOf(response);
      const documentId = parseInput(DocumentId, (request.params as Record<string, string>).id, 'id');
      const { record } = await requireDocumentRole(store, documentId, user.id, 'read');
      const { body, title } = await convert(record.id, user.id);
      response.set({ 'Content-Type': mediaType, 'Content-Disposition': attachmentDisposition(title, extension), 'Cache-Control': 'private, no-store' });
      response.send(body);
    });
  exportAs('md', 'text/markdown; charset=utf-8', async (id, owner) => {
    const { markdown, title } = await converter.exportMarkdown(id, owner);
    return { body: markdown, title };
  });
  exportAs('docx', DOCX_MEDIA_TYPE, async (id, owner) => {
    const { docx, title } = await converter.exportDocx(id, owner);
    return { body: docx, title };
  });
  return router;
}

/**
 * POST /api/documents/import: a new draft from a Markdown or DOCX file (see shared/api/import.ts), in a
 * group where the person may edit. The body is spooled to a file (upload.ts), only its small
 * fields read here; the conversion process reads the file, converts it completely and checks it
 * against the import limits before anything is stored; the result is stored a slice at a time,
 * and a draft whose storing fails is removed, so a failure creates nothing.
 */
export function importRoutes({ store, converter }: { store: Store; converter: DocumentConverter }): Router {
  const router = Router();
  router.post('/', async (request, response) => {
    const { user } = principalOf(response);
    const upload = await spoolUpload(request, { maxBytes: UPLOAD_MAX_BODY_BYTES });
    try {
      const body = parseInput(ImportDocumentRequest, upload.fields);
      const role = await requireGroupRole(store, body.groupId, user.id, 'edit');
      const draft = await converter.importDocument(body.format, { upload }, body.title, user.id);
      const record = await store.createDocument({ id: newId(), title: draft.title, groupId: body.groupId });
      try {
        await storeInSlices(store, record.id, draft.updates());
      } catch (error) {
        await store.deleteDocument(record.id).catch(() => false);
        throw error;
      }
      const stored = (await store.getDocument(record.id))!;
      const group = (await store.getGroup(body.groupId))!;
      const summary = toDocumentSummary(stored, { name: group.name, role }, []);
      response.status(201).location(`/d/${stored.id}`).json(summary);
    } finally {
      await upload.dispose();
    }
  });
  return router;
}
