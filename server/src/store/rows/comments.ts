import type { Disposition, Stance } from '../../../../shared/api/index';
import type { CommentRecord, ThreadEventRecord, ThreadRecord } from '../comment-store';

/** A row of `SELECT ${THREAD_COLUMNS}`. */
export interface ThreadRow {
  id: string;
  doc_id: string;
  author_id: string;
  author_name: string;
  anchor_start: string;
  anchor_end: string;
  quote: string;
  stance: Stance | null;
  created_at: number;
  resolved_disposition: Disposition | null;
  resolved_reason: string;
  resolved_by: string | null;
  resolved_by_name: string | null;
  resolved_at: number | null;
}

/** A comment with its author's name. */
export interface CommentRow {
  id: string;
  thread_id: string;
  author_id: string;
  author_name: string;
  body: string;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
}

/** A mention with the mentioned person's name. */
export interface MentionRow {
  comment_id: string;
  user_id: string;
  name: string;
}

/** A thread event with the name of who caused it. */
export interface EventRow {
  thread_id: string;
  kind: 'resolved' | 'reopened';
  by_id: string;
  by_name: string;
  at: number;
  disposition: Disposition | null;
  reason: string;
}

export const THREAD_COLUMNS = `threads.*, a.name AS author_name, r.name AS resolved_by_name
  FROM threads JOIN users a ON a.id = threads.author_id LEFT JOIN users r ON r.id = threads.resolved_by`;

const date = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

/** Threads with their comments (in `comments`' order), the comments' mentions and the threads' events (in `events`' order). */
export function toThreads(threads: ThreadRow[], mentions: MentionRow[], comments: CommentRow[], events: EventRow[]): ThreadRecord[] {
  const mentionsOf = new Map<string, MentionRow[]>();
  for (const row of mentions) mentionsOf.set(row.comment_id, [...(mentionsOf.get(row.comment_id) ?? []), row]);
  const commentsOf = new Map<string, CommentRecord[]>();
  for (const row of comments) {
    const comment: CommentRecord = {
      id: row.id,
      author: { id: row.author_id, name: row.author_name },
      body: row.body,
      mentions: (mentionsOf.get(row.id) ?? []).map((m) => ({ id: m.user_id, name: m.name })),
      createdAt: new Date(row.created_at),
      editedAt: date(row.edited_at),
      deletedAt: date(row.deleted_at),
    };
    commentsOf.set(row.thread_id, [...(commentsOf.get(row.thread_id) ?? []), comment]);
  }
  const eventsOf = new Map<string, ThreadEventRecord[]>();
  for (const row of events) {
    const event: ThreadEventRecord = {
      kind: row.kind,
      by: { id: row.by_id, name: row.by_name },
      at: new Date(row.at),
      disposition: row.disposition,
      reason: row.reason,
    };
    eventsOf.set(row.thread_id, [...(eventsOf.get(row.thread_id) ?? []), event]);
  }
  return threads.map((row) => ({
    id: row.id,
    documentId: row.doc_id,
    author: { id: row.author_id, name: row.author_name },
    anchorStart: row.anchor_start,
    anchorEnd: row.anchor_end,
    quote: row.quote,
    stance: row.stance,
    createdAt: new Date(row.created_at),
    resolution:
      row.resolved_disposition === null
        ? null
        : {
            disposition: row.resolved_disposition,
            reason: row.resolved_reason,
            by: { id: row.resolved_by!, name: row.resolved_by_name! },
            at: new Date(row.resolved_at!),
          },
    comments: commentsOf.get(row.id) ?? [],
    events: eventsOf.get(row.id) ?? [],
  }));
}
