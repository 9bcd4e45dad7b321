/** Typed calls to /api/documents, validated with the shared zod schemas. */
import '../zod-config';
import {
  DocumentSummary,
  ListDocumentsResponse,
  type CreateDocumentRequest,
  type ImportDocumentRequest,
  type UpdateDocumentRequest,
} from '../../../shared/api/index';
import { requestJson } from './http';

export type { DocumentSummary } from '../../../shared/api/index';
/** Who marked a document final, and when (ISO 8601). */
export type FinalMark = NonNullable<DocumentSummary['final']>;
export { ApiError } from './http';

const BASE = '/api/documents';

/** The documents of the person's groups (or of one group). */
export async function listDocuments(options: { archived: boolean; groupId?: string; signal?: AbortSignal }): Promise<DocumentSummary[]> {
  const query = new URLSearchParams({ archived: String(options.archived) });
  if (options.groupId) query.set('groupId', options.groupId);
  const response = await requestJson(`${BASE}?${query}`, ListDocumentsResponse, { signal: options.signal });
  return response.documents;
}

export function createDocument(request: CreateDocumentRequest): Promise<DocumentSummary> {
  return requestJson(BASE, DocumentSummary, { method: 'POST', body: request });
}

export function getDocument(id: string, signal?: AbortSignal): Promise<DocumentSummary> {
  return requestJson(`${BASE}/${encodeURIComponent(id)}`, DocumentSummary, { signal });
}

export function updateDocument(id: string, changes: UpdateDocumentRequest): Promise<DocumentSummary> {
  return requestJson(`${BASE}/${encodeURIComponent(id)}`, DocumentSummary, { method: 'PATCH', body: changes });
}

export function deleteDocument(id: string): Promise<void> {
  return requestJson(`${BASE}/${encodeURIComponent(id)}`, null, { method: 'DELETE' });
}

/** A new draft from a Markdown text or a Word file (base64): POST /api/documents/import. */
export function importDocument(request: ImportDocumentRequest, signal?: AbortSignal): Promise<DocumentSummary> {
  return requestJson(`${BASE}/import`, DocumentSummary, { method: 'POST', body: request, signal });
}
