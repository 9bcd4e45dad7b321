import { Router } from 'express';
import { DocumentId, type VisitResponse } from '../../../shared/api/index';
import { principalOf, toPersonRef } from '../auth/index';
import { requireDocumentRole } from '../groups/index';
import { parseInput } from '../http/index';
import type { Store } from '../store/index';

/**
 * POST /api/documents/:id/visit: "since your last visit". Notes that the person opened the
 * document now and answers what changed since the time before: whether the text changed, the
 * version the text was in then (named or automatic checkpoint: the client compares from it to now,
 * with who changed what), and the threads others started since. Mounted before the documents router.
 */
export function visitRoutes({ store }: { store: Store }): Router {
  const router = Router({ mergeParams: true });
  router.post('/visit', async (request, response) => {
    const { user } = principalOf(response);
    const documentId = parseInput(DocumentId, (request.params as Record<string, string>).id, 'id');
    const { record } = await requireDocumentRole(store, documentId, user.id, 'read');
    const since = await store.recordVisit(user.id, record.id, new Date());
    const body: VisitResponse = { since: since?.toISOString() ?? null, changed: false, compareFrom: null, newThreads: [] };
    if (since) {
      const [versions, threads] = await Promise.all([store.listVersions(record.id), store.listThreads(record.id)]);
      // Newest first: the first one taken at or before the last visit holds the text as it was then.
      const then = versions.find((version) => version.createdAt.getTime() <= since.getTime());
      body.changed = record.updatedAt.getTime() > since.getTime();
      body.compareFrom = then
        ? { id: then.id, name: then.name, kind: then.kind, createdAt: then.createdAt.toISOString() }
        : null;
      body.newThreads = threads
        .filter((thread) => thread.createdAt.getTime() > since.getTime() && thread.author.id !== user.id)
        .map((thread) => ({ id: thread.id, quote: thread.quote, author: toPersonRef(thread.author), createdAt: thread.createdAt.toISOString() }));
    }
    response.json(body);
  });
  return router;
}
