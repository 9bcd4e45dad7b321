import type { Disposition, Stance } from '../../../../shared/api/index';
import type { AssignedThreadRecord, CommentRecord, ThreadEventRecord, ThreadRecord } from '../comment-store';

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
  assignee_id: string | null;
  assignee_name: string | null;
  due_date: string | null;
  assigned_by: string | null;
  assigned_by_name: string | null;
  assigned_at: number | null;
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

export const THREAD_COLUMNS = `threads.*, a.name AS author_name, r.name AS resolved_by_name,
       asg.name AS assignee_name, asb.name AS assigned_by_name
  FROM threads JOIN users a ON a.id = threads.author_id LEFT JOIN users r ON r.id = threads.resolved_by
  LEFT JOIN users asg ON asg.id = threads.assignee_id LEFT JOIN users asb ON asb.id = threads.assigned_by`;

/** Open threads assigned to a person (the first parameter) in groups they are a member of; adapters add the order. */
export const ASSIGNED_THREADS = (param: string) => `SELECT threads.id AS thread_id, threads.quote, threads.due_date, threads.assigned_at,
       threads.assigned_by, asb.name AS assigned_by_name, d.id AS doc_id, d.title AS doc_title, g.id AS group_id, g.name AS group_name,
       COALESCE((SELECT c.body FROM comments c WHERE c.thread_id = threads.id AND c.deleted_at IS NULL ORDER BY c.created_at LIMIT 1), '') AS first_comment
  FROM threads
  JOIN users asb ON asb.id = threads.assigned_by
  JOIN documents d ON d.id = threads.doc_id
  JOIN working_groups g ON g.id = d.group_id
  JOIN memberships m ON m.group_id = g.id AND m.user_id = threads.assignee_id
 WHERE threads.assignee_id = ${param} AND threads.resolved_disposition IS NULL`;

export interface AssignedThreadRow {
  thread_id: string;
  quote: string;
  due_date: string | null;
  assigned_at: number;
  assigned_by: string;
  assigned_by_name: string;
  doc_id: string;
  doc_title: string;
  group_id: string;
  group_name: string;
  first_comment: string;
}

export function toAssignedThread(row: AssignedThreadRow): AssignedThreadRecord {
  return {
    threadId: row.thread_id,
    quote: row.quote,
    firstComment: row.first_comment,
    dueDate: row.due_date,
    assignedBy: { id: row.assigned_by, name: row.assigned_by_name },
    assignedAt: new Date(row.assigned_at),
    document: { id: row.doc_id, title: row.doc_title, groupId: row.group_id, groupName: row.group_name },
  };
}

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
    assignment:
      row.assignee_id === null
        ? null
        : {
            assignee: { id: row.assignee_id, name: row.assignee_name! },
            dueDate: row.due_date,
            by: { id: row.assigned_by!, name: row.assigned_by_name! },
            at: new Date(row.assigned_at!),
          },
    comments: commentsOf.get(row.id) ?? [],
    events: eventsOf.get(row.id) ?? [],
  }));
}
