import type pg from 'pg';
import type { CommentStore, DeleteCommentResult, NewComment, ThreadRecord } from '../comment-store';
import { ASSIGNED_THREADS, THREAD_COLUMNS, toAssignedThread, toThreads, type AssignedThreadRow, type CommentRow, type EventRow, type MentionRow, type ThreadRow } from '../rows/comments';
import { READ_SNAPSHOT, transaction } from './pool';

/** Comment threads in PostgreSQL; a thread is read with its comments, mentions and events from one snapshot. */
export function postgresComments(pool: pg.Pool): CommentStore {
  const insertComment = async (client: pg.PoolClient, threadId: string, comment: NewComment, now: number) => {
    await client.query('INSERT INTO comments (id, thread_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5)', [
      comment.id,
      threadId,
      comment.authorId,
      comment.body,
      now,
    ]);
    await insertMentions(client, comment.id, comment.mentionIds);
  };
  const insertMentions = async (client: pg.PoolClient, commentId: string, userIds: readonly string[]) => {
    if (userIds.length === 0) return;
    await client.query('INSERT INTO comment_mentions (comment_id, user_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [commentId, userIds]);
  };

  /** Every thread of the document (or one), with its comments, mentions and events. */
  const readThreads = (documentId: string, threadId: string | null): Promise<ThreadRecord[]> =>
    transaction(
      pool,
      async (client) => {
        const { rows } = await client.query<ThreadRow>(
          threadId === null
            ? `SELECT ${THREAD_COLUMNS} WHERE threads.doc_id = $1 ORDER BY threads.created_at, threads.id`
            : `SELECT ${THREAD_COLUMNS} WHERE threads.doc_id = $1 AND threads.id = $2`,
          threadId === null ? [documentId] : [documentId, threadId],
        );
        if (rows.length === 0) return [];
        const mentions = await client.query<MentionRow>(
          `SELECT comment_mentions.comment_id, comment_mentions.user_id, users.name FROM comment_mentions
             JOIN users ON users.id = comment_mentions.user_id
             JOIN comments ON comments.id = comment_mentions.comment_id JOIN threads ON threads.id = comments.thread_id
            WHERE threads.doc_id = $1`,
          [documentId],
        );
        const comments = await client.query<CommentRow>(
          `SELECT comments.*, users.name AS author_name FROM comments JOIN users ON users.id = comments.author_id
            WHERE comments.thread_id IN (SELECT id FROM threads WHERE doc_id = $1) ORDER BY comments.created_at, comments.seq`,
          [documentId],
        );
        const events = await client.query<EventRow>(
          `SELECT thread_events.*, users.name AS by_name FROM thread_events JOIN users ON users.id = thread_events.by_id
            WHERE thread_events.thread_id IN (SELECT id FROM threads WHERE doc_id = $1) ORDER BY thread_events.seq`,
          [documentId],
        );
        return toThreads(rows, mentions.rows, comments.rows, events.rows);
      },
      READ_SNAPSHOT,
    );

  return {
    async assignThread(threadId, assignment) {
      await pool.query('UPDATE threads SET assignee_id = $1, due_date = $2, assigned_by = $3, assigned_at = $4 WHERE id = $5', [
        assignment?.assigneeId ?? null,
        assignment?.dueDate ?? null,
        assignment?.byId ?? null,
        assignment ? Date.now() : null,
        threadId,
      ]);
    },
    async listAssignedThreads(userId) {
      const { rows } = await pool.query<AssignedThreadRow>(
        `${ASSIGNED_THREADS('$1')} ORDER BY threads.due_date IS NULL, threads.due_date, threads.assigned_at`,
        [userId],
      );
      return rows.map(toAssignedThread);
    },
    async createThread(thread) {
      await transaction(pool, async (client) => {
        const now = Date.now();
        await client.query(
          'INSERT INTO threads (id, doc_id, author_id, anchor_start, anchor_end, quote, stance, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
          [thread.id, thread.documentId, thread.comment.authorId, thread.anchorStart, thread.anchorEnd, thread.quote, thread.stance ?? null, now],
        );
        await insertComment(client, thread.id, thread.comment, now);
      });
    },
    async listThreads(documentId) {
      return readThreads(documentId, null);
    },
    async getThread(documentId, threadId) {
      return (await readThreads(documentId, threadId))[0];
    },
    async addComment(threadId, comment) {
      await transaction(pool, (client) => insertComment(client, threadId, comment, Date.now()));
    },
    async editComment(commentId, { body, mentionIds }) {
      await transaction(pool, async (client) => {
        await client.query('UPDATE comments SET body = $1, edited_at = $2 WHERE id = $3', [body, Date.now(), commentId]);
        await client.query('DELETE FROM comment_mentions WHERE comment_id = $1', [commentId]);
        await insertMentions(client, commentId, mentionIds);
      });
    },
    async deleteComment(threadId, commentId) {
      return transaction<DeleteCommentResult>(pool, async (client) => {
        // Deletions in one thread wait for each other, so deleting its last two comments at once
        // removes the thread instead of leaving two traces.
        await client.query('SELECT 1 FROM threads WHERE id = $1 FOR UPDATE', [threadId]);
        const others = await client.query<{ n: number }>('SELECT count(*) AS n FROM comments WHERE thread_id = $1 AND deleted_at IS NULL AND id != $2', [
          threadId,
          commentId,
        ]);
        if (others.rows[0].n === 0) {
          await client.query('DELETE FROM threads WHERE id = $1', [threadId]);
          return { status: 'thread-deleted' };
        }
        await client.query("UPDATE comments SET body = '', deleted_at = $1 WHERE id = $2 AND thread_id = $3", [Date.now(), commentId, threadId]);
        await client.query('DELETE FROM comment_mentions WHERE comment_id = $1', [commentId]);
        return { status: 'traced' };
      });
    },
    async resolveThread(threadId, { disposition, reason, byId }) {
      await transaction(pool, async (client) => {
        const now = Date.now();
        await client.query('UPDATE threads SET resolved_disposition = $1, resolved_reason = $2, resolved_by = $3, resolved_at = $4 WHERE id = $5', [
          disposition,
          reason,
          byId,
          now,
          threadId,
        ]);
        await client.query("INSERT INTO thread_events (thread_id, kind, by_id, at, disposition, reason) VALUES ($1, 'resolved', $2, $3, $4, $5)", [
          threadId,
          byId,
          now,
          disposition,
          reason,
        ]);
      });
    },
    async reopenThread(threadId, byId) {
      await transaction(pool, async (client) => {
        await client.query("UPDATE threads SET resolved_disposition = NULL, resolved_reason = '', resolved_by = NULL, resolved_at = NULL WHERE id = $1", [
          threadId,
        ]);
        await client.query("INSERT INTO thread_events (thread_id, kind, by_id, at, disposition, reason) VALUES ($1, 'reopened', $2, $3, NULL, '')", [
          threadId,
          byId,
          Date.now(),
        ]);
      });
    },
  };
}
