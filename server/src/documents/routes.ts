import { Router } from 'express';
import * as Y from 'yjs';
import {
  CreateDocumentRequest,
  DocumentId,
  ListDocumentsQuery,
  UNTITLED,
  UpdateDocumentRequest,
  type DocumentSummary,
  type Permission,
  type Role,
} from '../../../shared/api/index';
import { CloseCode, META_MAP, META_TITLE, newId } from '../../../shared/protocol/index';
import { principalOf, type AccessEvents } from '../auth/index';
import { requireDocumentRole, requireGroupRole } from '../groups/index';
import { ApiError, parseInput } from '../http/index';
import { toDocumentSummary } from './summary';
import type { DocumentRecord, Store } from '../store/index';
import type { RoomRegistry } from '../sync/index';

export interface DocumentRoutesOptions {
  store: Store;
  registry: RoomRegistry;
  events: AccessEvents;
}

/** The initial content of a new document: just its title, as the first stored update. */
function initialUpdate(title: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap(META_MAP).set(META_TITLE, title);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** /api/documents: list, create, read, rename, archive and delete the documents of one's groups. */
export function documentRoutes({ store, registry, events }: DocumentRoutesOptions): Router {
  const router = Router();

  const summarize = (record: DocumentRecord, group: { name: string; role: Role }): DocumentSummary =>
    toDocumentSummary(record, group, registry.peek(record.id)?.activeEditors() ?? []);

  /** The document, its group's name and the person's role, if they have `permission`. */
  const findDocument = async (rawId: unknown, userId: string, permission: Permission | readonly Permission[] = 'read') => {
    const id = parseInput(DocumentId, rawId, 'id');
    const { record, role } = await requireDocumentRole(store, id, userId, permission);
    const group = (await store.getGroup(record.groupId!))!;
    return { record, group: { name: group.name, role } };
  };

  router.get('/', async (request, response) => {
    const { user } = principalOf(response);
    const query = parseInput(ListDocumentsQuery, request.query);
    if (query.groupId !== undefined) await requireGroupRole(store, query.groupId, user.id);
    const groups = new Map((await store.listGroupsForUser(user.id)).map((group) => [group.id, group]));
    const groupIds = query.groupId !== undefined ? [query.groupId] : [...groups.keys()];
    const records = await store.listDocuments({ archived: query.archived === 'true', groupIds });
    response.json({ documents: records.map((record) => summarize(record, groups.get(record.groupId!)!)) });
  });

  router.post('/', async (request, response) => {
    const { user } = principalOf(response);
    const body = parseInput(CreateDocumentRequest, request.body ?? {});
    const role = await requireGroupRole(store, body.groupId, user.id, 'edit');
    const title = body.title ?? UNTITLED;
    const record = await store.createDocument({ id: newId(), title, groupId: body.groupId });
    await store.appendUpdate(record.id, initialUpdate(title));
    const stored = (await store.getDocument(record.id))!;
    const group = (await store.getGroup(body.groupId))!;
    response.status(201).location(`/d/${record.id}`).json(summarize(stored, { name: group.name, role }));
  });

  router.get('/:id', async (request, response) => {
    const { record, group } = await findDocument(request.params.id, principalOf(response).user.id);
    response.json(summarize(record, group));
  });

  router.patch('/:id', async (request, response) => {
    const body = parseInput(UpdateDocumentRequest, request.body ?? {});
    const userId = principalOf(response).user.id;
    // Renaming is editing; archiving files the document away for everyone (and managers can also
    // edit); marking it final is a co-chair's call. The request needs every permission it uses.
    const needed: Permission[] = [];
    if (body.title !== undefined) needed.push('edit');
    if (body.archived !== undefined) needed.push('manage');
    if (body.final !== undefined) needed.push('resolve');
    const { record, group } = await findDocument(request.params.id, userId, needed);
    const { id } = record;
    if (body.title !== undefined) {
      const title = body.title;
      // Through the room, so open editors see the new title live; flushing stores it.
      await registry.withRoom(id, async (room) => {
        room.setTitle(title);
        await room.flush();
        if (room.hasUnstoredChanges) throw new ApiError(503, 'store_unavailable', 'the rename could not be saved yet; it will be retried');
      });
    }
    if (body.archived !== undefined || body.final !== undefined) {
      await store.updateDocument(id, {
        archived: body.archived,
        final: body.final === undefined ? undefined : body.final ? { by: userId } : null,
      });
    }
    response.json(summarize((await store.getDocument(id))!, group));
  });

  router.delete('/:id', async (request, response) => {
    const { id } = (await findDocument(request.params.id, principalOf(response).user.id, 'manage')).record;
    // Delete first, so a socket that connects meanwhile is refused (404) or is closed below.
    await store.deleteDocument(id);
    await registry.discard(id, CloseCode.DocumentDeleted, 'document deleted');
    events.emit({ kind: 'document-deleted', documentId: id });
    response.status(204).end();
  });

  return router;
}
