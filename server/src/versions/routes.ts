import { Router, type Response } from 'express';
import {
  CompareQuery,
  CreateVersionRequest,
  DocumentId,
  VersionId,
  type Comparison,
  type Permission,
  type RestoreResponse,
  type VersionContent,
} from '../../../shared/api/index';
import { principalOf } from '../auth/index';
import { requireDocumentRole } from '../groups/index';
import { ApiError, parseInput } from '../http/index';
import type { Notifier } from '../notifications/index';
import type { Store } from '../store/index';
import { toVersionSummary, type VersionHistory } from './history';

/**
 * A document's versions: /api/documents/:id/versions (list, name, open, restore) and /compare.
 * Mounted before the documents router, with its `:id`. Naming and restoring are for co-chairs.
 */
export function versionRoutes({ store, history, notifier }: { store: Store; history: VersionHistory; notifier: Notifier }): Router {
  const router = Router({ mergeParams: true });

  const access = async (params: Record<string, string>, response: Response, permission: Permission) => {
    const { user } = principalOf(response);
    const documentId = parseInput(DocumentId, params.id, 'id');
    const { record } = await requireDocumentRole(store, documentId, user.id, permission);
    return { user, document: record };
  };

  router.get('/versions', async (request, response) => {
    const { document } = await access(request.params, response, 'read');
    response.json({ versions: (await store.listVersions(document.id)).map(toVersionSummary) });
  });

  router.post('/versions', async (request, response) => {
    const { user, document } = await access(request.params, response, 'resolve');
    const body = parseInput(CreateVersionRequest, request.body ?? {});
    const version = await history.take(document.id, { kind: 'named', ...body, createdById: user.id });
    await notifier.versionNamed(document, { id: version.id, name: version.name }, user.id);
    response.status(201).json(toVersionSummary(version));
  });

  router.get('/versions/:versionId', async (request, response) => {
    const { document } = await access(request.params, response, 'read');
    const { record, json } = await history.content(document.id, parseInput(VersionId, request.params.versionId, 'versionId'));
    const body: VersionContent = { version: toVersionSummary(record), title: record.title, content: json };
    response.json(body);
  });

  router.post('/versions/:versionId/restore', async (request, response) => {
    const { user, document } = await access(request.params, response, 'resolve');
    // A source paper changes only by re-import, which keeps its paragraph ids.
    if (document.kind === 'source') throw new ApiError(409, 'source_read_only', 'a source paper is not restored to a version; re-import it instead');
    const checkpoint = await history.restore(document.id, parseInput(VersionId, request.params.versionId, 'versionId'), user.id);
    const body: RestoreResponse = { checkpoint: toVersionSummary(checkpoint) };
    response.json(body);
  });

  router.get('/compare', async (request, response) => {
    const { document } = await access(request.params, response, 'read');
    const query = parseInput(CompareQuery, request.query);
    const result = await history.compare(document.id, query.from, query.to === 'current' ? null : query.to);
    const body: Comparison = {
      from: toVersionSummary(result.from),
      to: result.to && toVersionSummary(result.to),
      blocks: result.blocks,
      summary: result.summary,
    };
    response.json(body);
  });

  return router;
}
