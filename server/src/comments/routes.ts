import { Router, type Response } from 'express';
import { fromBase64 } from 'lib0/buffer';
import * as Y from 'yjs';
import {
  AssignThreadRequest,
  can,
  CommentId,
  CommentRequest,
  CreateThreadRequest,
  DocumentId,
  ReportQuery,
  ResolveThreadRequest,
  THREAD_DELETED_EVENT,
  THREAD_EVENT,
  ThreadId,
  type Anchor,
  type Permission,
} from '../../../shared/api/index';
import { CONTENT_FRAGMENT, newId } from '../../../shared/protocol/index';
import { principalOf, type AccessEvents } from '../auth/index';
import { requireDocumentRole } from '../groups/index';
import { ApiError, parseInput } from '../http/index';
import type { DocumentRecord, Store, ThreadRecord } from '../store/index';
import type { RoomRegistry } from '../sync/index';
import type { Notifier } from '../notifications/index';
import type { DocumentEvents } from './document-events';
import { reportToCsv, resolutionReport } from './report';
import { toThreadView } from './views';

export interface CommentRoutesOptions {
  store: Store;
  registry: RoomRegistry;
  events: AccessEvents;
  documentEvents: DocumentEvents;
  /** Tells the people a change concerns (mentions, replies, assignments, decisions). */
  notifier: Notifier;
}

/** Comments on a stream are kept alive through proxies that drop idle connections. */
const EVENT_STREAM_HEARTBEAT_MS = 25_000;

/**
 * Anchors must be Yjs relative positions into the content: an item or type of the document (which
 * may still be on its way from the author's client), or the content fragment itself.
 */
function checkAnchor(anchor: Anchor): void {
  for (const [field, encoded] of Object.entries(anchor)) {
    let position: Y.RelativePosition | null = null;
    try {
      position = Y.decodeRelativePosition(fromBase64(encoded));
    } catch {
      // reported below
    }
    const pointsIntoContent = position !== null && (position.item !== null || position.type !== null || position.tname === CONTENT_FRAGMENT);
    if (!pointsIntoContent) {
      throw new ApiError(400, 'invalid_request', `anchor.${field}: not a position in the document's text`, [
        { path: `anchor.${field}`, message: "not a position in the document's text" },
      ]);
    }
  }
}

/**
 * Comment threads of a document: /api/documents/:id/threads (and comments, resolve, reopen),
 * /report (the comment-resolution report) and /events (live changes as server-sent events).
 * Mounted before the documents router, with its `:id`.
 */
export function commentRoutes({ store, registry, events, documentEvents, notifier }: CommentRoutesOptions): Router {
  const router = Router({ mergeParams: true });

  /** The document and the signed-in person, if they have `permission` in its group. */
  const access = async (params: Record<string, string>, response: Response, permission: Permission) => {
    const { user } = principalOf(response);
    const documentId = parseInput(DocumentId, params.id, 'id');
    const { record, role } = await requireDocumentRole(store, documentId, user.id, permission);
    return { user, document: record, role };
  };

  const findThread = async (document: DocumentRecord, rawThreadId: unknown): Promise<ThreadRecord> => {
    const thread = await store.getThread(document.id, parseInput(ThreadId, rawThreadId, 'threadId'));
    if (!thread) throw new ApiError(404, 'not_found', 'no such thread in this document');
    return thread;
  };

  /** Mentioned people must be in the document's group (a mention notifies and names them). */
  const checkMentions = async (document: DocumentRecord, mentionIds: readonly string[]) => {
    for (const id of mentionIds) {
      if (!(await store.getRole(document.groupId!, id))) {
        throw new ApiError(400, 'invalid_request', 'mentions: only members of the working group can be mentioned', [
          { path: 'mentions', message: 'only members of the working group can be mentioned' },
        ]);
      }
    }
  };

  /**
   * Sends the thread as it now is to the caller and to every open client of the document, after
   * `notify` told the people it concerns (it never fails: see Notifier).
   */
  const publishThread = async (
    response: Response,
    document: DocumentRecord,
    threadId: string,
    status = 200,
    notify?: (thread: ThreadRecord) => Promise<void>,
  ) => {
    const thread = await store.getThread(document.id, threadId);
    if (thread && notify) await notify(thread);
    if (!thread) {
      documentEvents.publish(document.id, { kind: 'thread-deleted', id: threadId });
      response.status(204).end();
      return;
    }
    const view = toThreadView(thread);
    documentEvents.publish(document.id, { kind: 'thread', thread: view });
    response.status(status).json(view);
  };

  const refuseIfResolved = (thread: ThreadRecord) => {
    if (thread.resolution) throw new ApiError(409, 'thread_resolved', 'this thread is resolved; a co-chair can reopen it');
  };

  router.get('/threads', async (request, response) => {
    const { document } = await access(request.params, response, 'read');
    response.json({ threads: (await store.listThreads(document.id)).map(toThreadView) });
  });

  router.post('/threads', async (request, response) => {
    const { user, document } = await access(request.params, response, 'comment');
    const body = parseInput(CreateThreadRequest, request.body ?? {});
    if (body.stance !== undefined && document.kind !== 'source') {
      throw new ApiError(400, 'invalid_request', 'stance: only annotations on source papers take a stance', [
        { path: 'stance', message: 'only annotations on source papers take a stance' },
      ]);
    }
    checkAnchor(body.anchor);
    await checkMentions(document, body.mentions);
    const id = newId();
    const commentId = newId();
    await store.createThread({
      id,
      documentId: document.id,
      anchorStart: body.anchor.start,
      anchorEnd: body.anchor.end,
      quote: body.quote,
      stance: body.stance ?? null,
      comment: { id: commentId, authorId: user.id, body: body.body, mentionIds: body.mentions },
    });
    await publishThread(response, document, id, 201, (thread) => notifier.commentPosted(document, thread, commentId, user.id));
  });

  router.post('/threads/:threadId/comments', async (request, response) => {
    const { user, document } = await access(request.params, response, 'comment');
    const thread = await findThread(document, request.params.threadId);
    refuseIfResolved(thread);
    const body = parseInput(CommentRequest, request.body ?? {});
    await checkMentions(document, body.mentions);
    const commentId = newId();
    await store.addComment(thread.id, { id: commentId, authorId: user.id, body: body.body, mentionIds: body.mentions });
    await publishThread(response, document, thread.id, 201, (updated) => notifier.commentPosted(document, updated, commentId, user.id));
  });

  /** The caller's own, not deleted, comment in an open thread. */
  const ownComment = async (params: Record<string, string>, response: Response) => {
    const { user, document } = await access(params, response, 'comment');
    const thread = await findThread(document, params.threadId);
    const commentId = parseInput(CommentId, params.commentId, 'commentId');
    const comment = thread.comments.find((candidate) => candidate.id === commentId);
    if (!comment || comment.deletedAt) throw new ApiError(404, 'not_found', 'no such comment in this thread');
    if (comment.author.id !== user.id) throw new ApiError(403, 'forbidden', 'only its author can change or delete a comment');
    refuseIfResolved(thread);
    return { document, thread, comment };
  };

  router.patch('/threads/:threadId/comments/:commentId', async (request, response) => {
    const { document, thread, comment } = await ownComment(request.params, response);
    const body = parseInput(CommentRequest, request.body ?? {});
    await checkMentions(document, body.mentions);
    await store.editComment(comment.id, { body: body.body, mentionIds: body.mentions });
    // People newly mentioned by the edit are told (those mentioned before were already).
    await publishThread(response, document, thread.id, 200, (updated) => notifier.commentPosted(document, updated, comment.id, comment.author.id, true));
  });

  router.delete('/threads/:threadId/comments/:commentId', async (request, response) => {
    const { document, thread, comment } = await ownComment(request.params, response);
    await store.deleteComment(thread.id, comment.id);
    await publishThread(response, document, thread.id);
  });

  router.post('/threads/:threadId/resolve', async (request, response) => {
    const { user, document } = await access(request.params, response, 'resolve');
    const thread = await findThread(document, request.params.threadId);
    const body = parseInput(ResolveThreadRequest, request.body ?? {});
    if (thread.resolution) throw new ApiError(409, 'already_resolved', 'this thread is already resolved');
    await store.resolveThread(thread.id, { disposition: body.disposition, reason: body.reason, byId: user.id });
    await publishThread(response, document, thread.id, 200, (updated) => notifier.threadDecided(document, updated, user.id));
  });

  router.post('/threads/:threadId/reopen', async (request, response) => {
    const { user, document } = await access(request.params, response, 'resolve');
    const thread = await findThread(document, request.params.threadId);
    if (!thread.resolution) throw new ApiError(409, 'not_resolved', 'this thread is open');
    await store.reopenThread(thread.id, user.id);
    await publishThread(response, document, thread.id, 200, (updated) => notifier.threadDecided(document, updated, user.id));
  });

  /**
   * Assigns the thread to a person who can act on it (a member, the secretariat or a co-chair of
   * the group), with an optional due date, or clears the assignment. Co-chairs and the
   * secretariat assign; the assignee is told (unless they assigned it to themselves).
   */
  router.put('/threads/:threadId/assignment', async (request, response) => {
    const { user, document, role } = await access(request.params, response, 'comment');
    if (!can(role, 'resolve') && !can(role, 'manage')) throw new ApiError(403, 'forbidden', 'only co-chairs and the secretariat assign threads');
    const thread = await findThread(document, request.params.threadId);
    refuseIfResolved(thread);
    const body = parseInput(AssignThreadRequest, request.body ?? {});
    if (body.assigneeId !== null && !can(await store.getRole(document.groupId!, body.assigneeId), 'edit')) {
      throw new ApiError(400, 'invalid_request', 'assigneeId: threads are assigned to members, the secretariat or co-chairs of the group', [
        { path: 'assigneeId', message: 'threads are assigned to members, the secretariat or co-chairs of the group' },
      ]);
    }
    if (body.assigneeId === null && body.dueDate !== null) {
      throw new ApiError(400, 'invalid_request', 'dueDate: an unassigned thread has no due date', [{ path: 'dueDate', message: 'an unassigned thread has no due date' }]);
    }
    await store.assignThread(thread.id, body.assigneeId === null ? null : { assigneeId: body.assigneeId, dueDate: body.dueDate, byId: user.id });
    await publishThread(response, document, thread.id, 200, (updated) => notifier.threadAssigned(document, updated, user.id));
  });

  router.get('/report', async (request, response) => {
    const { document } = await access(request.params, response, 'read');
    const { format } = parseInput(ReportQuery, request.query);
    const report = await resolutionReport(store, registry, document);
    const filename = `${report.title} - comment resolution.${format}`.replace(/[^\p{L}\p{N} ._-]/gu, '_');
    response.set('Content-Disposition', `attachment; filename="${filename.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
    if (format === 'csv') response.type('text/csv; charset=utf-8').send(reportToCsv(report));
    else response.json(report);
  });

  router.get('/events', async (request, response) => {
    const { user, document } = await access(request.params, response, 'read');
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // Tell proxies such as nginx not to buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    response.write('retry: 3000\n\n');
    const send = (event: string, data: unknown) => response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const end = () => response.end();
    const unsubscribeDocument = documentEvents.subscribe(document.id, (event) => {
      if (event.kind === 'thread') send(THREAD_EVENT, event.thread);
      else send(THREAD_DELETED_EVENT, { id: event.id });
    });
    // The stream follows the person's rights like their socket does.
    const credentialId = principalOf(response).credential.id;
    const unsubscribeAccess = events.subscribe((change) => {
      const ended =
        (change.kind === 'membership' && change.userId === user.id && change.groupId === document.groupId && change.role === null) ||
        (change.kind === 'credentials' && change.userId === user.id && (change.credentialId ?? credentialId) === credentialId) ||
        (change.kind === 'group-deleted' && change.groupId === document.groupId) ||
        (change.kind === 'document-deleted' && change.documentId === document.id);
      if (ended) end();
    });
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), EVENT_STREAM_HEARTBEAT_MS);
    response.on('close', () => {
      clearInterval(heartbeat);
      unsubscribeDocument();
      unsubscribeAccess();
    });
  });

  return router;
}
