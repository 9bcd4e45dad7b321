/** Typed calls to a document's version history (/api/documents/:id/versions, /compare). */
import '../zod-config';
import { Comparison, ListVersionsResponse, RestoreResponse, VersionContent, VersionSummary, type CreateVersionRequest } from '../../../shared/api/index';
import { requestJson } from './http';

export type { CompareBlock, CompareRun, Comparison, ContributionSummary, VersionContent, VersionSummary } from '../../../shared/api/index';

const documentBase = (documentId: string) => `/api/documents/${encodeURIComponent(documentId)}`;

/** Newest first: named versions and automatic checkpoints. */
export async function listVersions(documentId: string, signal?: AbortSignal): Promise<VersionSummary[]> {
  return (await requestJson(`${documentBase(documentId)}/versions`, ListVersionsResponse, { signal })).versions;
}

/** Names the document's current state (co-chairs). */
export function createVersion(documentId: string, request: CreateVersionRequest): Promise<VersionSummary> {
  return requestJson(`${documentBase(documentId)}/versions`, VersionSummary, { method: 'POST', body: request });
}

export function getVersion(documentId: string, versionId: string, signal?: AbortSignal): Promise<VersionContent> {
  return requestJson(`${documentBase(documentId)}/versions/${encodeURIComponent(versionId)}`, VersionContent, { signal });
}

/** `to`: another version's id, or 'current' for the text as it is now. The server orders the two older → newer. */
export function compareVersions(documentId: string, from: string, to: string, signal?: AbortSignal): Promise<Comparison> {
  const query = new URLSearchParams({ from, to });
  return requestJson(`${documentBase(documentId)}/compare?${query}`, Comparison, { signal });
}

/** Makes the version the current text for everyone (co-chairs); returns the checkpoint taken of the text before. */
export async function restoreVersion(documentId: string, versionId: string): Promise<VersionSummary> {
  const path = `${documentBase(documentId)}/versions/${encodeURIComponent(versionId)}/restore`;
  return (await requestJson(path, RestoreResponse, { method: 'POST' })).checkpoint;
}
