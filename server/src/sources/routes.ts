import { Router, type Response } from 'express';
import * as Y from 'yjs';
import {
  CITE_AS_MAX_LENGTH,
  ImportSourceRequest,
  ParagraphId,
  ReimportSourceRequest,
  UpdateParagraphRequest,
  type CitedParagraph,
  type ListCitationsResponse,
  type ListParagraphsResponse,
  type Permission,
  type ReimportResponse,
  type Role,
  type SourceParagraph,
  type SourceSummary,
  UPLOAD_MAX_BODY_BYTES,
} from '../../../shared/api/index';
import { newId } from '../../../shared/protocol/index';
import { principalOf } from '../auth/index';
import { toDocumentSummary } from '../documents/index';
import { importPacer, spoolUpload, storeInSlices, type DocumentConverter } from '../export/index';
import { requireGroupRole } from '../groups/index';
import { ApiError, parseInput } from '../http/index';
import type { DocumentRecord, Store } from '../store/index';
import type { Room, RoomRegistry } from '../sync/index';
import { annotationCollection } from './annotations';
import { findParagraphElement, listParagraphs, proseMirrorOf, type LocatedParagraph } from './paragraphs';
import { readContent, requireSource } from './source-access';

export interface SourceRoutesOptions {
  store: Store;
  registry: RoomRegistry;
  converter: DocumentConverter;
  /** Where people open the app (ids in the W3C export); known once the server listens. */
  publicOrigin: () => string;
}

const UNTITLED_SOURCE = 'Untitled source';

const toParagraph = ({ pid, label, kind, level, text }: LocatedParagraph): SourceParagraph => ({ pid, label, kind, level, text });

/** Re-imports of one source run one after the other (each computes its change from the state it read). */
const reimporting = new Map<string, Promise<unknown>>();
function oneAtATime<T>(id: string, task: () => Promise<T>): Promise<T> {
  const previous = reimporting.get(id) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(task);
  const settled = next.catch(() => undefined);
  reimporting.set(id, settled);
  void settled.then(() => {
    if (reimporting.get(id) === settled) reimporting.delete(id);
  });
  return next;
}

const sameState = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

/**
 * /api/sources: importing source papers, re-importing them (pids kept), their paragraphs, label
 * corrections and the W3C Web Annotation export (see shared/api/sources.ts). Importing needs edit
 * rights in the group, like creating a draft; re-importing and correcting labels change what
 * everyone cites, so they are for co-chairs (the resolve permission).
 */
export function sourceRoutes({ store, registry, converter, publicOrigin }: SourceRoutesOptions): Router {
  const router = Router();

  const findSource = (rawId: unknown, response: Response, permission: Permission) => requireSource(store, rawId, response, permission);

  const summarize = async (record: DocumentRecord, role: Role, paragraphCount: number): Promise<SourceSummary> => {
    const group = (await store.getGroup(record.groupId!))!;
    return { ...toDocumentSummary(record, { name: group.name, role }, registry.peek(record.id)?.activeEditors() ?? []), paragraphCount };
  };

  const withContent = <T>(record: DocumentRecord, read: (doc: Y.Doc) => T): Promise<T> => readContent({ store, registry }, record, read);

  const flushOrFail = async (room: Room) => {
    await room.flush();
    if (room.hasUnstoredChanges) throw new ApiError(503, 'store_unavailable', 'the change could not be saved yet; it will be retried');
  };

  // Imports and re-imports: the body is spooled to a file (export/upload.ts) and only its small
  // fields read here; parsing, the import limits, numbering paragraphs and encoding the content
  // (or, for a re-import, the change from the current content) all happen in the conversion
  // process. This thread stores or applies the result a slice at a time.
  router.post('/import', async (request, response) => {
    const { user } = principalOf(response);
    const upload = await spoolUpload(request, { maxBytes: UPLOAD_MAX_BODY_BYTES });
    try {
      const body = parseInput(ImportSourceRequest, upload.fields);
      const role = await requireGroupRole(store, body.groupId, user.id, 'edit');
      const imported = await converter.importSource(body.format, { upload }, { title: body.title, untitled: UNTITLED_SOURCE }, user.id);
      const title = imported.title;
      const citeAs = body.citeAs ?? title.slice(0, CITE_AS_MAX_LENGTH).trim();
      const record = await store.createDocument({ id: newId(), title, groupId: body.groupId, kind: 'source', citeAs });
      try {
        await storeInSlices(store, record.id, imported.updates());
      } catch (error) {
        await store.deleteDocument(record.id).catch(() => false);
        throw error;
      }
      const stored = (await store.getDocument(record.id))!;
      response.status(201).location(`/d/${stored.id}`).json(await summarize(stored, role, imported.paragraphCount));
    } finally {
      await upload.dispose();
    }
  });

  router.post('/:id/reimport', async (request, response) => {
    const { user, record, role } = await findSource(request.params.id, response, 'resolve');
    const upload = await spoolUpload(request, { maxBytes: UPLOAD_MAX_BODY_BYTES });
    try {
      const body = parseInput(ReimportSourceRequest, upload.fields);
      const counts = await oneAtATime(record.id, () =>
        registry.withRoom(record.id, async (room) => {
          for (let attempt = 1; ; attempt++) {
            await flushOrFail(room);
            const before = Y.encodeStateVector(room.doc);
            const reimported = await converter.reimportSource(await converter.storedState(record.id), body.format, { upload }, user.id);
            // A label corrected meanwhile: compute the change again from the state that has it.
            if (attempt < 3 && !sameState(before, Y.encodeStateVector(room.doc))) continue;
            // Through the room, as the co-chair (attributed to them; open viewers see it live), a
            // slice at a time, paced as imports are stored (the room stores what it applies).
            const pacer = importPacer();
            for await (const update of reimported.updates()) {
              Y.applyUpdate(room.doc, update, { userId: user.id });
              await pacer.next(update.byteLength);
            }
            if (body.title !== undefined && body.title !== record.title) room.setTitle(body.title);
            await flushOrFail(room);
            return reimported;
          }
        }),
      );
      if (body.citeAs !== undefined) await store.updateDocument(record.id, { citeAs: body.citeAs });
      const stored = (await store.getDocument(record.id))!;
      const result: ReimportResponse = {
        source: await summarize(stored, role, counts.total),
        paragraphs: { kept: counts.kept, added: counts.added, removed: counts.removed },
      };
      response.json(result);
    } finally {
      await upload.dispose();
    }
  });

  router.get('/:id/paragraphs', async (request, response) => {
    const { record } = await findSource(request.params.id, response, 'read');
    const paragraphs = await withContent(record, (doc) => listParagraphs(proseMirrorOf(doc).pmDoc).map(toParagraph));
    const body: ListParagraphsResponse = { documentId: record.id, citeAs: record.citeAs ?? record.title, paragraphs };
    response.json(body);
  });

  router.get('/:id/paragraphs/:pid', async (request, response) => {
    const { record } = await findSource(request.params.id, response, 'read');
    const pid = parseInput(ParagraphId, request.params.pid, 'pid');
    const paragraph = await withContent(record, (doc) => listParagraphs(proseMirrorOf(doc).pmDoc).find((candidate) => candidate.pid === pid));
    if (!paragraph) throw new ApiError(404, 'not_found', 'this source no longer has that paragraph');
    const body: CitedParagraph = { ...toParagraph(paragraph), sourceId: record.id, sourceTitle: record.title, citeAs: record.citeAs ?? record.title };
    response.json(body);
  });

  router.get('/:id/citations', async (request, response) => {
    const { user, record } = await findSource(request.params.id, response, 'read');
    const cited = await store.listCitations(record.id);
    const order = new Map((await withContent(record, (doc) => listParagraphs(proseMirrorOf(doc).pmDoc))).map((p, index) => [p.pid, { index, label: p.label }]));
    const byDocument = new Map<string, string[]>();
    for (const { documentId, pid } of cited) byDocument.set(documentId, [...(byDocument.get(documentId) ?? []), pid]);
    const citations: ListCitationsResponse['citations'] = [];
    for (const [documentId, pids] of byDocument) {
      const document = await store.getDocument(documentId);
      // Only drafts the person may read: those of groups they belong to.
      if (!document || document.groupId === null || !(await store.getRole(document.groupId, user.id))) continue;
      const paragraphs = pids
        .filter((pid) => order.has(pid))
        .sort((a, b) => order.get(a)!.index - order.get(b)!.index)
        .map((pid) => ({ pid, label: order.get(pid)!.label }));
      citations.push({ documentId, title: document.title, paragraphs });
    }
    citations.sort((a, b) => a.title.localeCompare(b.title));
    const body: ListCitationsResponse = { citations };
    response.json(body);
  });

  router.patch('/:id/paragraphs/:pid', async (request, response) => {
    const { user, record } = await findSource(request.params.id, response, 'resolve');
    const pid = parseInput(ParagraphId, request.params.pid, 'pid');
    const { label } = parseInput(UpdateParagraphRequest, request.body ?? {});
    const paragraph = await registry.withRoom(record.id, async (room) => {
      if (!findParagraphElement(room.doc, pid)) throw new ApiError(404, 'not_found', 'no such paragraph in this source');
      // Through the room, as the co-chair: open viewers see the new label live.
      room.changeAs({ userId: user.id }, (doc) => findParagraphElement(doc, pid)!.setAttribute('label', label));
      await flushOrFail(room);
      return listParagraphs(proseMirrorOf(room.doc).pmDoc).find((candidate) => candidate.pid === pid)!;
    });
    response.json(toParagraph(paragraph));
  });

  router.get('/:id/annotations.jsonld', async (request, response) => {
    const { record } = await findSource(request.params.id, response, 'read');
    const threads = await store.listThreads(record.id);
    const collection = await withContent(record, (doc) => annotationCollection(doc, threads, { origin: publicOrigin(), document: record }));
    response.type('application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"').send(JSON.stringify(collection));
  });

  return router;
}
