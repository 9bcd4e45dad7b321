import type { Response } from 'express';
import * as Y from 'yjs';
import { DocumentId, type Permission } from '../../../shared/api/index';
import { principalOf } from '../auth/index';
import { requireDocumentRole } from '../groups/index';
import { ApiError, parseInput } from '../http/index';
import type { DocumentRecord, Store } from '../store/index';
import type { RoomRegistry } from '../sync/index';

/** The source, the caller and their role in its group, if they have `permission`; 404 for a draft. */
export async function requireSource(store: Store, rawId: unknown, response: Response, permission: Permission) {
  const { user } = principalOf(response);
  const id = parseInput(DocumentId, rawId, 'id');
  const { record, role } = await requireDocumentRole(store, id, user.id, permission);
  if (record.kind !== 'source') throw new ApiError(404, 'not_found', 'no such source paper (this document is a draft)');
  return { user, record, role };
}

/** Runs `read` on a document's content: the open room's, else the stored one (read once and let go). */
export async function readContent<T>(deps: { store: Store; registry: RoomRegistry }, record: DocumentRecord, read: (doc: Y.Doc) => T): Promise<T> {
  const live = deps.registry.peek(record.id);
  if (live) return read(live.doc);
  const content = await deps.store.loadContent(record.id);
  const doc = new Y.Doc();
  try {
    if (content.snapshot) Y.applyUpdate(doc, content.snapshot);
    for (const update of content.updates) Y.applyUpdate(doc, update);
    return read(doc);
  } finally {
    doc.destroy();
  }
}
