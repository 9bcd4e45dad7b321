import { Router } from 'express';
import * as Y from 'yjs';
import {
  CreateDocumentRequest,
  DocumentId,
  ListDocumentsQuery,
  UNTITLED,
  UpdateDocumentRequest,
  type DocumentSummary,
} from '../../../shared/api/index';
import { CloseCode, META_MAP, META_TITLE, newDocumentId } from '../../../shared/protocol/index';
import { ApiError, parseInput } from '../http/index';
import type { DocStore, DocumentRecord } from '../store/index';
import type { RoomRegistry } from '../sync/index';

export interface DocumentRoutesOptions {
  store: DocStore;
  registry: RoomRegistry;
}

/** The initial content of a new document: just its title, as the first stored update. */
function initialUpdate(title: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap(META_MAP).set(META_TITLE, title);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** /api/documents: list, create, read, rename, archive and delete documents. */
export function documentRoutes({ store, registry }: DocumentRoutesOptions): Router {
  const router = Router();

  const summarize = (record: DocumentRecord): DocumentSummary => ({
    id: record.id,
    title: record.title.trim() || UNTITLED,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    archivedAt: record.archivedAt?.toISOString() ?? null,
    activeEditors: registry.peek(record.id)?.activeEditors() ?? [],
  });

  const findDocument = async (rawId: unknown): Promise<DocumentRecord> => {
    const id = parseInput(DocumentId, rawId, 'id');
    const record = await store.getDocument(id);
    if (!record) throw new ApiError(404, 'not_found', 'no such document');
    return record;
  };

  router.get('/', async (request, response) => {
    const query = parseInput(ListDocumentsQuery, request.query);
    const records = await store.listDocuments({ archived: query.archived === 'true' });
    response.json({ documents: records.map(summarize) });
  });

  router.post('/', async (request, response) => {
    const body = parseInput(CreateDocumentRequest, request.body ?? {});
    const title = body.title ?? UNTITLED;
    const record = await store.createDocument({ id: newDocumentId(), title });
    await store.appendUpdate(record.id, initialUpdate(title));
    const stored = (await store.getDocument(record.id))!;
    response.status(201).location(`/d/${record.id}`).json(summarize(stored));
  });

  router.get('/:id', async (request, response) => {
    response.json(summarize(await findDocument(request.params.id)));
  });

  router.patch('/:id', async (request, response) => {
    const { id } = await findDocument(request.params.id);
    const body = parseInput(UpdateDocumentRequest, request.body ?? {});
    if (body.title !== undefined) {
      const title = body.title;
      // Through the room, so open editors see the new title live; flushing stores it.
      await registry.withRoom(id, async (room) => {
        room.setTitle(title);
        await room.flush();
        if (room.hasUnstoredChanges) throw new ApiError(503, 'store_unavailable', 'the rename could not be saved yet; it will be retried');
      });
    }
    if (body.archived !== undefined) await store.updateDocument(id, { archived: body.archived });
    response.json(summarize((await store.getDocument(id))!));
  });

  router.delete('/:id', async (request, response) => {
    const { id } = await findDocument(request.params.id);
    // Delete first, so a socket that connects meanwhile is refused (404) or is closed below.
    await store.deleteDocument(id);
    await registry.discard(id, CloseCode.DocumentDeleted, 'document deleted');
    response.status(204).end();
  });

  return router;
}
