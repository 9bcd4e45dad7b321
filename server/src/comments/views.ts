import type { CommentView, ThreadView } from '../../../shared/api/index';
import { toPersonRef as person } from '../auth/index';
import type { CommentRecord, ThreadRecord } from '../store/index';

function toCommentView(comment: CommentRecord): CommentView {
  const deleted = comment.deletedAt !== null;
  return {
    id: comment.id,
    author: person(comment.author),
    body: deleted ? '' : comment.body,
    mentions: deleted ? [] : comment.mentions.map(person),
    createdAt: comment.createdAt.toISOString(),
    editedAt: comment.editedAt?.toISOString() ?? null,
    deleted,
  };
}

export function toThreadView(thread: ThreadRecord): ThreadView {
  return {
    id: thread.id,
    documentId: thread.documentId,
    anchor: { start: thread.anchorStart, end: thread.anchorEnd },
    quote: thread.quote,
    author: person(thread.author),
    createdAt: thread.createdAt.toISOString(),
    stance: thread.stance,
    status: thread.resolution ? 'resolved' : 'open',
    resolution: thread.resolution && {
      disposition: thread.resolution.disposition,
      reason: thread.resolution.reason,
      by: person(thread.resolution.by),
      at: thread.resolution.at.toISOString(),
    },
    assignment: thread.assignment && {
      assignee: person(thread.assignment.assignee),
      dueDate: thread.assignment.dueDate,
      by: person(thread.assignment.by),
      at: thread.assignment.at.toISOString(),
    },
    comments: thread.comments.map(toCommentView),
    events: thread.events.map((event) => ({
      kind: event.kind,
      by: person(event.by),
      at: event.at.toISOString(),
      disposition: event.disposition,
      reason: event.reason,
    })),
  };
}
