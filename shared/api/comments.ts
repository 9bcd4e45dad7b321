import { z } from 'zod';
import { UserId } from './auth';
import { Stance } from './sources';

/**
 * Comment threads on a document's text. They live in the server's database (not in the shared
 * Y.Doc), so the server decides who may write, edit, resolve and reopen them.
 */

/** How co-chairs close a thread, from the groups' comment-resolution tables. */
export const DISPOSITIONS = ['incorporated', 'partly-incorporated', 'not-incorporated', 'no-consensus', 'out-of-scope'] as const;
export const Disposition = z.enum(DISPOSITIONS);
export type Disposition = z.infer<typeof Disposition>;

export const DISPOSITION_LABELS: Record<Disposition, string> = {
  incorporated: 'Incorporated',
  'partly-incorporated': 'Partly incorporated',
  'not-incorporated': 'Not incorporated',
  'no-consensus': 'No consensus',
  'out-of-scope': 'Out of scope',
};

export const COMMENT_MAX_LENGTH = 5000;
export const QUOTE_MAX_LENGTH = 2000;
export const REASON_MAX_LENGTH = 2000;

export const ThreadId = z.string().regex(/^[A-Za-z0-9_-]{16}$/, 'not a thread id');
export const CommentId = z.string().regex(/^[A-Za-z0-9_-]{16}$/, 'not a comment id');

/** Plain text; links (http, https, mailto) and @mentions are recognised when shown, never as markup. */
export const CommentBody = z
  .string()
  .trim()
  .min(1, 'comment must not be empty')
  .max(COMMENT_MAX_LENGTH, `comment must be at most ${COMMENT_MAX_LENGTH} characters`);

/** People mentioned as `@Name` in the body: user ids, each a member of the document's group. */
export const Mentions = z.array(UserId).max(50, 'at most 50 mentions').default([]);

/**
 * Where a thread is anchored: Yjs relative positions (base64 of `Y.encodeRelativePosition`) of
 * the start and end of the selected text in the document's content fragment, so the anchor
 * follows the text through everyone's edits.
 */
export const Anchor = z.object({
  start: z.string().base64('start must be base64').max(1000, 'start is too long'),
  end: z.string().base64('end must be base64').max(1000, 'end is too long'),
});
export type Anchor = z.infer<typeof Anchor>;

export const PersonRef = z.object({ id: z.string(), name: z.string(), color: z.string() });
export type PersonRef = z.infer<typeof PersonRef>;

export const CommentView = z.object({
  id: CommentId,
  author: PersonRef,
  /** Empty when deleted. */
  body: z.string(),
  mentions: z.array(PersonRef),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
  /** Deleted by its author; kept as a trace while the thread has other comments. */
  deleted: z.boolean(),
});
export type CommentView = z.infer<typeof CommentView>;

export const Resolution = z.object({
  disposition: Disposition,
  reason: z.string(),
  by: PersonRef,
  at: z.string(),
});
export type Resolution = z.infer<typeof Resolution>;

/** Something that happened to a thread besides comments: resolved or reopened, by whom, when. */
export const ThreadEvent = z.object({
  kind: z.enum(['resolved', 'reopened']),
  by: PersonRef,
  at: z.string(),
  disposition: Disposition.nullable(),
  reason: z.string(),
});
export type ThreadEvent = z.infer<typeof ThreadEvent>;

export const ThreadView = z.object({
  id: ThreadId,
  documentId: z.string(),
  anchor: Anchor,
  /** The anchored text when the thread was started. */
  quote: z.string(),
  author: PersonRef,
  createdAt: z.string(),
  /** On a source paper: the annotation's stance (null: a plain comment, and always on drafts). */
  stance: Stance.nullable(),
  status: z.enum(['open', 'resolved']),
  resolution: Resolution.nullable(),
  /** Who should act on it, by when (YYYY-MM-DD), who assigned it when; null: unassigned. */
  assignment: z
    .object({ assignee: PersonRef, dueDate: z.string().nullable(), by: PersonRef, at: z.string() })
    .nullable(),
  comments: z.array(CommentView),
  events: z.array(ThreadEvent),
});
export type ThreadView = z.infer<typeof ThreadView>;

/** GET /api/documents/:id/threads (read) */
export const ListThreadsResponse = z.object({ threads: z.array(ThreadView) });
export type ListThreadsResponse = z.infer<typeof ListThreadsResponse>;

/** POST /api/documents/:id/threads (comment) → 201 ThreadView */
export const CreateThreadRequest = z
  .object({
    anchor: Anchor,
    quote: z.string().max(QUOTE_MAX_LENGTH, `quote must be at most ${QUOTE_MAX_LENGTH} characters`),
    body: CommentBody,
    mentions: Mentions,
    /** Only on a source paper (400 on a draft); without it the thread is a plain comment. */
    stance: Stance.optional(),
  })
  .strict();
export type CreateThreadRequest = z.input<typeof CreateThreadRequest>;

/**
 * POST /api/documents/:id/threads/:threadId/comments (comment) → 201 ThreadView, a reply;
 * PATCH /api/documents/:id/threads/:threadId/comments/:commentId (its author only) → 200 ThreadView, an edit.
 */
export const CommentRequest = z.object({ body: CommentBody, mentions: Mentions }).strict();
export type CommentRequest = z.input<typeof CommentRequest>;

/**
 * DELETE /api/documents/:id/threads/:threadId/comments/:commentId (its author only) → 200 ThreadView,
 * or 204 when it was the thread's only comment (the thread goes with it).
 */

/** POST /api/documents/:id/threads/:threadId/resolve (resolve: co-chairs) → 200 ThreadView */
export const ResolveThreadRequest = z
  .object({
    disposition: Disposition,
    reason: z.string().trim().max(REASON_MAX_LENGTH, `reason must be at most ${REASON_MAX_LENGTH} characters`).default(''),
  })
  .strict();
export type ResolveThreadRequest = z.input<typeof ResolveThreadRequest>;

/** POST /api/documents/:id/threads/:threadId/reopen (resolve: co-chairs) → 200 ThreadView */

/**
 * GET /api/documents/:id/events (read): a text/event-stream of what changes in the document's
 * threads, so every open client sees them live. Each event is `event: thread` with a ThreadView,
 * or `event: thread-deleted` with `{ id }`.
 */
export const THREAD_EVENT = 'thread';
export const THREAD_DELETED_EVENT = 'thread-deleted';

/** One row of the comment-resolution report. */
export const ReportEntry = z.object({
  threadId: ThreadId,
  /** Order of the anchors in the document now (threads whose text was removed come last). */
  position: z.number().int(),
  quote: z.string(),
  /** The anchored text as it reads now; null when it was removed. */
  currentText: z.string().nullable(),
  startedBy: z.string(),
  startedAt: z.string(),
  /** On a source paper: the annotation's stance; null otherwise. */
  stance: Stance.nullable(),
  discussion: z.array(z.object({ author: z.string(), at: z.string(), body: z.string(), deleted: z.boolean() })),
  status: z.enum(['open', 'resolved']),
  disposition: Disposition.nullable(),
  reason: z.string(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
});
export type ReportEntry = z.infer<typeof ReportEntry>;

/** GET /api/documents/:id/report?format=json|csv (read) */
export const ResolutionReport = z.object({
  documentId: z.string(),
  title: z.string(),
  groupName: z.string(),
  generatedAt: z.string(),
  threads: z.array(ReportEntry),
});
export type ResolutionReport = z.infer<typeof ResolutionReport>;
export const ReportQuery = z.object({ format: z.enum(['json', 'csv']).default('json') });
