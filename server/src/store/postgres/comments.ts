import type pg from 'pg';
import type { Disposition, Stance } from '../../../../shared/api/index';
import type { CommentRecord, CommentStore, DeleteCommentResult, NewComment, ThreadEventRecord, ThreadRecord } from '../comment-store';
import { READ_SNAPSHOT, transaction } from './pool';

interface ThreadRow {
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

interface CommentRow {
  id: string;
  thread_id: string;
  author_id: string;
  author_name: string;
  body: string;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
}

interface MentionRow {
  comment_id: string;
  user_id: string;
  name: string;
}

interface EventRow {
  thread_id: string;
  kind: 'resolved' | 'reopened';
  by_id: string;
  by_name: string;
  at: number;
  disposition: Disposition | null;
  reason: string;
}

const date = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

const THREAD_COLUMNS = `threads.*, a.name AS author_name, r.name AS resolved_by_name
  FROM threads JOIN users a ON a.id = threads.author_id LEFT JOIN users r ON r.id = threads.resolved_by`;

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
        const mentions = new Map<string, MentionRow[]>();
        const mentionRows = await client.query<MentionRow>(
          `SELECT comment_mentions.comment_id, comment_mentions.user_id, users.name FROM comment_mentions
             JOIN users ON users.id = comment_mentions.user_id
             JOIN comments ON comments.id = comment_mentions.comment_id JOIN threads ON threads.id = comments.thread_id
            WHERE threads.doc_id = $1`,
          [documentId],
        );
        for (const row of mentionRows.rows) mentions.set(row.comment_id, [...(mentions.get(row.comment_id) ?? []), row]);
        const comments = new Map<string, CommentRecord[]>();
        const commentRows = await client.query<CommentRow>(
          `SELECT comments.*, users.name AS author_name FROM comments JOIN users ON users.id = comments.author_id
            WHERE comments.thread_id IN (SELECT id FROM threads WHERE doc_id = $1) ORDER BY comments.created_at, comments.seq`,
          [documentId],
        );
        for (const row of commentRows.rows) {
          const comment: CommentRecord = {
            id: row.id,
            author: { id: row.author_id, name: row.author_name },
            body: row.body,
            mentions: (mentions.get(row.id) ?? []).map((m) => ({ id: m.user_id, name: m.name })),
            createdAt: new Date(row.created_at),
            editedAt: date(row.edited_at),
            deletedAt: date(row.deleted_at),
          };
          comments.set(row.thread_id, [...(comments.get(row.thread_id) ?? []), comment]);
        }
        const events = new Map<string, ThreadEventRecord[]>();
        const eventRows = await client.query<EventRow>(
          `SELECT thread_events.*, users.name AS by_name FROM thread_events JOIN users ON users.id = thread_events.by_id
            WHERE thread_events.thread_id IN (SELECT id FROM threads WHERE doc_id = $1) ORDER BY thread_events.seq`,
          [documentId],
        );
        for (const row of eventRows.rows) {
          const event: ThreadEventRecord = {
            kind: row.kind,
            by: { id: row.by_id, name: row.by_name },
            at: new Date(row.at),
            disposition: row.disposition,
            reason: row.reason,
          };
          events.set(row.thread_id, [...(events.get(row.thread_id) ?? []), event]);
        }
        return rows.map((row) => ({
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
          comments: comments.get(row.id) ?? [],
          events: events.get(row.id) ?? [],
        }));
      },
      READ_SNAPSHOT,
    );

  return {
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
