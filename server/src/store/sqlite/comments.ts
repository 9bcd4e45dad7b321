import type Database from 'better-sqlite3';
import type { Disposition } from '../../../../shared/api/index';
import type { CommentStore, NewComment, ThreadRecord } from '../comment-store';
import { ASSIGNED_THREADS, THREAD_COLUMNS, toAssignedThread, toThreads, type AssignedThreadRow, type CommentRow, type EventRow, type MentionRow, type ThreadRow } from '../rows/comments';

/** Comment threads in SQLite; a thread is read with its comments, mentions and events in one read transaction. */
export function sqliteComments(db: Database.Database): CommentStore {
  const q = {
    insertThread: db.prepare(
      'INSERT INTO threads (id, doc_id, author_id, anchor_start, anchor_end, quote, stance, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    insertComment: db.prepare('INSERT INTO comments (id, thread_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)'),
    insertMention: db.prepare('INSERT OR IGNORE INTO comment_mentions (comment_id, user_id) VALUES (?, ?)'),
    deleteMentions: db.prepare('DELETE FROM comment_mentions WHERE comment_id = ?'),
    threadsOfDocument: db.prepare(`SELECT ${THREAD_COLUMNS} WHERE threads.doc_id = ? ORDER BY threads.created_at, threads.id`),
    thread: db.prepare(`SELECT ${THREAD_COLUMNS} WHERE threads.doc_id = ? AND threads.id = ?`),
    commentsOfDocument: db.prepare(
      `SELECT comments.*, users.name AS author_name FROM comments JOIN users ON users.id = comments.author_id
        WHERE comments.thread_id IN (SELECT id FROM threads WHERE doc_id = ?) ORDER BY comments.created_at, comments.rowid`,
    ),
    mentionsOfDocument: db.prepare(
      `SELECT comment_mentions.comment_id, comment_mentions.user_id, users.name FROM comment_mentions
         JOIN users ON users.id = comment_mentions.user_id
        WHERE comment_mentions.comment_id IN
              (SELECT comments.id FROM comments JOIN threads ON threads.id = comments.thread_id WHERE threads.doc_id = ?)`,
    ),
    eventsOfDocument: db.prepare(
      `SELECT thread_events.*, users.name AS by_name FROM thread_events JOIN users ON users.id = thread_events.by_id
        WHERE thread_events.thread_id IN (SELECT id FROM threads WHERE doc_id = ?) ORDER BY thread_events.seq`,
    ),
    updateComment: db.prepare('UPDATE comments SET body = ?, edited_at = ? WHERE id = ?'),
    liveCommentsOfThread: db.prepare('SELECT count(*) AS n FROM comments WHERE thread_id = ? AND deleted_at IS NULL AND id != ?'),
    traceComment: db.prepare("UPDATE comments SET body = '', deleted_at = ? WHERE id = ? AND thread_id = ?"),
    deleteThread: db.prepare('DELETE FROM threads WHERE id = ?'),
    resolve: db.prepare('UPDATE threads SET resolved_disposition = ?, resolved_reason = ?, resolved_by = ?, resolved_at = ? WHERE id = ?'),
    reopen: db.prepare("UPDATE threads SET resolved_disposition = NULL, resolved_reason = '', resolved_by = NULL, resolved_at = NULL WHERE id = ?"),
    assign: db.prepare('UPDATE threads SET assignee_id = ?, due_date = ?, assigned_by = ?, assigned_at = ? WHERE id = ?'),
    assigned: db.prepare(`${ASSIGNED_THREADS('?')} ORDER BY threads.due_date IS NULL, threads.due_date, threads.assigned_at`),
    insertEvent: db.prepare('INSERT INTO thread_events (thread_id, kind, by_id, at, disposition, reason) VALUES (?, ?, ?, ?, ?, ?)'),
  };

  const insertComment = (threadId: string, comment: NewComment, now: number) => {
    q.insertComment.run(comment.id, threadId, comment.authorId, comment.body, now);
    for (const userId of comment.mentionIds) q.insertMention.run(comment.id, userId);
  };

  /** Every thread of the document (or one), with its comments, mentions and events. */
  const readThreads = db.transaction((documentId: string, threadId: string | null): ThreadRecord[] => {
    const rows = (threadId === null ? q.threadsOfDocument.all(documentId) : q.thread.all(documentId, threadId)) as ThreadRow[];
    if (rows.length === 0) return [];
    return toThreads(
      rows,
      q.mentionsOfDocument.all(documentId) as MentionRow[],
      q.commentsOfDocument.all(documentId) as CommentRow[],
      q.eventsOfDocument.all(documentId) as EventRow[],
    );
  });

  const createThread = db.transaction((thread: Parameters<CommentStore['createThread']>[0], now: number) => {
    q.insertThread.run(thread.id, thread.documentId, thread.comment.authorId, thread.anchorStart, thread.anchorEnd, thread.quote, thread.stance ?? null, now);
    insertComment(thread.id, thread.comment, now);
  });

  const editComment = db.transaction((commentId: string, body: string, mentionIds: readonly string[], now: number) => {
    q.updateComment.run(body, now, commentId);
    q.deleteMentions.run(commentId);
    for (const userId of mentionIds) q.insertMention.run(commentId, userId);
  });

  const deleteComment = db.transaction((threadId: string, commentId: string, now: number) => {
    if ((q.liveCommentsOfThread.get(threadId, commentId) as { n: number }).n === 0) {
      q.deleteThread.run(threadId);
      return { status: 'thread-deleted' as const };
    }
    q.traceComment.run(now, commentId, threadId);
    q.deleteMentions.run(commentId);
    return { status: 'traced' as const };
  });

  const resolveThread = db.transaction((threadId: string, disposition: Disposition, reason: string, byId: string, now: number) => {
    q.resolve.run(disposition, reason, byId, now, threadId);
    q.insertEvent.run(threadId, 'resolved', byId, now, disposition, reason);
  });

  const reopenThread = db.transaction((threadId: string, byId: string, now: number) => {
    q.reopen.run(threadId);
    q.insertEvent.run(threadId, 'reopened', byId, now, null, '');
  });

  return {
    async createThread(thread) {
      createThread(thread, Date.now());
    },
    async listThreads(documentId) {
      return readThreads(documentId, null);
    },
    async getThread(documentId, threadId) {
      return readThreads(documentId, threadId)[0];
    },
    async addComment(threadId, comment) {
      db.transaction(() => insertComment(threadId, comment, Date.now()))();
    },
    async editComment(commentId, { body, mentionIds }) {
      editComment(commentId, body, mentionIds, Date.now());
    },
    async deleteComment(threadId, commentId) {
      return deleteComment(threadId, commentId, Date.now());
    },
    async resolveThread(threadId, { disposition, reason, byId }) {
      resolveThread(threadId, disposition, reason, byId, Date.now());
    },
    async reopenThread(threadId, byId) {
      reopenThread(threadId, byId, Date.now());
    },
    async assignThread(threadId, assignment) {
      if (assignment) q.assign.run(assignment.assigneeId, assignment.dueDate, assignment.byId, Date.now(), threadId);
      else q.assign.run(null, null, null, null, threadId);
    },
    async listAssignedThreads(userId) {
      return (q.assigned.all(userId) as AssignedThreadRow[]).map(toAssignedThread);
    },
  };
}
