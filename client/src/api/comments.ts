/** Typed calls to a document's comment threads (/api/documents/:id/threads, /report, /events). */
import '../zod-config';
import {
  ListThreadsResponse,
  ResolutionReport,
  ThreadView,
  type CommentRequest,
  type CreateThreadRequest,
  type ResolveThreadRequest,
} from '../../../shared/api/index';
import { requestJson } from './http';

export type {
  CommentView,
  Disposition,
  PersonRef,
  ReportEntry,
  ResolutionReport,
  ThreadEvent,
  ThreadView,
} from '../../../shared/api/index';

const documentBase = (documentId: string) => `/api/documents/${encodeURIComponent(documentId)}`;
const threadBase = (documentId: string, threadId: string) => `${documentBase(documentId)}/threads/${encodeURIComponent(threadId)}`;

export async function listThreads(documentId: string, signal?: AbortSignal): Promise<ThreadView[]> {
  return (await requestJson(`${documentBase(documentId)}/threads`, ListThreadsResponse, { signal })).threads;
}

export function createThread(documentId: string, request: CreateThreadRequest): Promise<ThreadView> {
  return requestJson(`${documentBase(documentId)}/threads`, ThreadView, { method: 'POST', body: request });
}

export function replyToThread(documentId: string, threadId: string, request: CommentRequest): Promise<ThreadView> {
  return requestJson(`${threadBase(documentId, threadId)}/comments`, ThreadView, { method: 'POST', body: request });
}

export function editComment(documentId: string, threadId: string, commentId: string, request: CommentRequest): Promise<ThreadView> {
  return requestJson(`${threadBase(documentId, threadId)}/comments/${encodeURIComponent(commentId)}`, ThreadView, {
    method: 'PATCH',
    body: request,
  });
}

/** The thread as it now is, or null when that was its last comment and the thread is gone (204). */
export async function deleteComment(documentId: string, threadId: string, commentId: string): Promise<ThreadView | null> {
  const result = await requestJson(`${threadBase(documentId, threadId)}/comments/${encodeURIComponent(commentId)}`, ThreadView, {
    method: 'DELETE',
  });
  return result ?? null;
}

export function resolveThread(documentId: string, threadId: string, request: ResolveThreadRequest): Promise<ThreadView> {
  return requestJson(`${threadBase(documentId, threadId)}/resolve`, ThreadView, { method: 'POST', body: request });
}

export function reopenThread(documentId: string, threadId: string): Promise<ThreadView> {
  return requestJson(`${threadBase(documentId, threadId)}/reopen`, ThreadView, { method: 'POST' });
}

export function getReport(documentId: string, signal?: AbortSignal): Promise<ResolutionReport> {
  return requestJson(`${documentBase(documentId)}/report?format=json`, ResolutionReport, { signal });
}

/** Where the report downloads from (the server answers with Content-Disposition: attachment). */
export function reportDownloadUrl(documentId: string, format: 'csv' | 'json'): string {
  return `${documentBase(documentId)}/report?format=${format}`;
}

/** The document's live stream of thread changes (server-sent events). */
export function threadEventsUrl(documentId: string): string {
  return `${documentBase(documentId)}/events`;
}
