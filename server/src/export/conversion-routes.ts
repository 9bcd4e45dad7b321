import { Router } from 'express';
import { DocumentId, IMPORT_MAX_CHARS, ImportDocumentRequest, UNTITLED, type DocumentSummary } from '../../../shared/api/index';
import { newId } from '../../../shared/protocol/index';
import { principalOf } from '../auth/index';
import { requireDocumentRole, requireGroupRole } from '../groups/index';
import { ApiError, parseInput } from '../http/index';
import type { Store } from '../store/index';
import type { DocumentConverter, ImportedDraft } from './converter';
import { attachmentDisposition } from './routes';

const DOCX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * /api/documents/:id/export.md and export.docx: the document as Markdown or as a Word file. Anyone who may read the document
 * (observers too) may export it. Mounted before the documents router, with its `:id`.
 */
export function conversionExportRoutes({ store, converter }: { store: Store; converter: DocumentConverter }): Router {
  const router = Router({ mergeParams: true });
  router.get('/export.md', async (request, response) => {
    const { user } = principalOf(response);
    const documentId = parseInput(DocumentId, (request.params as Record<string, string>).id, 'id');
    const { record } = await requireDocumentRole(store, documentId, user.id, 'read');
    const { markdown, title } = await converter.exportMarkdown(record.id);
    response.set({
      'Content-Type': 'text/markdown; charset=utf-8',
      'Content-Disposition': attachmentDisposition(title, 'md'),
      'Cache-Control': 'private, no-store',
    });
    response.send(markdown);
  });
  router.get('/export.docx', async (request, response) => {
    const { user } = principalOf(response);
    const documentId = parseInput(DocumentId, (request.params as Record<string, string>).id, 'id');
    const { record } = await requireDocumentRole(store, documentId, user.id, 'read');
    const { docx, title } = await converter.exportDocx(record.id);
    response.set({
      'Content-Type': DOCX_MEDIA_TYPE,
      'Content-Disposition': attachmentDisposition(title, 'docx'),
      'Cache-Control': 'private, no-store',
    });
    response.send(docx);
  });
  return router;
}

/**
 * POST /api/documents/import: a new draft from a Markdown or DOCX file (see shared/api/import.ts), in a
 * group where the person may edit. The content is converted completely before anything is
 * stored, and a draft whose storing fails is removed, so a failure creates nothing.
 */
export function importRoutes({ store, converter }: { store: Store; converter: DocumentConverter }): Router {
  const router = Router();
  router.post('/', async (request, response) => {
    const { user } = principalOf(response);
    const body = parseInput(ImportDocumentRequest, request.body ?? {});
    const role = await requireGroupRole(store, body.groupId, user.id, 'edit');
    if (body.content.length > IMPORT_MAX_CHARS) {
      throw new ApiError(413, 'too_large', `content is too large to import (${body.content.length} characters; the limit is ${IMPORT_MAX_CHARS})`, [
        { path: 'content', message: `at most ${IMPORT_MAX_CHARS} characters` },
      ]);
    }
    const draft: ImportedDraft = await converter.importDocument(body.format, body.content, body.title);
    const record = await store.createDocument({ id: newId(), title: draft.title, groupId: body.groupId });
    try {
      await store.appendUpdate(record.id, draft.update);
    } catch (error) {
      await store.deleteDocument(record.id).catch(() => false);
      throw error;
    }
    const stored = (await store.getDocument(record.id))!;
    const group = (await store.getGroup(body.groupId))!;
    const summary: DocumentSummary = {
      id: stored.id,
      title: stored.title.trim() || UNTITLED,
      createdAt: stored.createdAt.toISOString(),
      updatedAt: stored.updatedAt.toISOString(),
      archivedAt: stored.archivedAt?.toISOString() ?? null,
      activeEditors: [],
      groupId: body.groupId,
      groupName: group.name,
      role,
    };
    response.status(201).location(`/d/${stored.id}`).json(summary);
  });
  return router;
}
