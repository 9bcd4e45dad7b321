import type { Disposition, Stance } from '../../../shared/api/index';

/** Storage contract for comment threads. People are returned with their current name. */
export interface PersonRecord {
  id: string;
  name: string;
}

export interface CommentRecord {
  id: string;
  author: PersonRecord;
  body: string;
  mentions: PersonRecord[];
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
}

export interface ThreadEventRecord {
  kind: 'resolved' | 'reopened';
  by: PersonRecord;
  at: Date;
  disposition: Disposition | null;
  reason: string;
}

export interface ThreadRecord {
  id: string;
  documentId: string;
  author: PersonRecord;
  anchorStart: string;
  anchorEnd: string;
  quote: string;
  /** An annotation's stance on a source paper; null for plain comments. */
  stance: Stance | null;
  createdAt: Date;
  resolution: { disposition: Disposition; reason: string; by: PersonRecord; at: Date } | null;
  /** Who should act on the thread, by when (a calendar date, YYYY-MM-DD), and who assigned it when. */
  assignment: ThreadAssignmentRecord | null;
  /** In the order they were written. */
  comments: CommentRecord[];
  events: ThreadEventRecord[];
}

export interface ThreadAssignmentRecord {
  assignee: PersonRecord;
  dueDate: string | null;
  by: PersonRecord;
  at: Date;
}

/** An open thread assigned to a person, with where it is (for their "Assigned to me" list). */
export interface AssignedThreadRecord {
  threadId: string;
  quote: string;
  /** The thread's first comment (empty if deleted). */
  firstComment: string;
  dueDate: string | null;
  assignedBy: PersonRecord;
  assignedAt: Date;
  document: { id: string; title: string; groupId: string; groupName: string };
}

export interface NewComment {
  id: string;
  authorId: string;
  body: string;
  mentionIds: readonly string[];
}

export type DeleteCommentResult =
  /** Other comments remain: the deleted one stays as a trace. */
  | { status: 'traced' }
  /** It was the only remaining comment: the thread is gone too. */
  | { status: 'thread-deleted' };

export interface CommentStore {
  createThread(thread: {
    id: string;
    documentId: string;
    anchorStart: string;
    anchorEnd: string;
    quote: string;
    /** Default null. */
    stance?: Stance | null;
    comment: NewComment;
  }): Promise<void>;
  listThreads(documentId: string): Promise<ThreadRecord[]>;
  /** The thread, if it belongs to that document. */
  getThread(documentId: string, threadId: string): Promise<ThreadRecord | undefined>;
  addComment(threadId: string, comment: NewComment): Promise<void>;
  editComment(commentId: string, changes: { body: string; mentionIds: readonly string[] }): Promise<void>;
  deleteComment(threadId: string, commentId: string): Promise<DeleteCommentResult>;
  resolveThread(threadId: string, resolution: { disposition: Disposition; reason: string; byId: string }): Promise<void>;
  reopenThread(threadId: string, byId: string): Promise<void>;
  /** Assigns the thread to a person (replacing any assignment), or clears it (null). */
  assignThread(threadId: string, assignment: { assigneeId: string; dueDate: string | null; byId: string } | null): Promise<void>;
  /** Open threads assigned to the person in documents of groups they are a member of, due first (no date last). */
  listAssignedThreads(userId: string): Promise<AssignedThreadRecord[]>;
}
