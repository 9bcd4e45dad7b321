/** Typed calls to /api/sources: importing and re-importing a source paper, correcting a paragraph's label, the W3C annotation export. */
import '../zod-config';
import { ReimportResponse, SourceParagraph, SourceSummary, type ImportSourceRequest, type ReimportSourceRequest } from '../../../shared/api/index';
import { requestJson } from './http';

export type { SourceSummary } from '../../../shared/api/index';

const BASE = '/api/sources';

/** A new source paper from a file (text, or base64 for Word): POST /api/sources/import. */
export function importSource(request: ImportSourceRequest, signal?: AbortSignal): Promise<SourceSummary> {
  return requestJson(`${BASE}/import`, SourceSummary, { method: 'POST', body: request, signal });
}

/** A new version of a source's file (co-chairs): POST /api/sources/:id/reimport. Paragraphs that match keep their ids. */
export function reimportSource(sourceId: string, request: ReimportSourceRequest, signal?: AbortSignal): Promise<ReimportResponse> {
  return requestJson(`${BASE}/${encodeURIComponent(sourceId)}/reimport`, ReimportResponse, { method: 'POST', body: request, signal });
}

/** A co-chair's correction of a paragraph's label; open viewers get it live through the document. */
export function updateParagraphLabel(sourceId: string, pid: string, label: string): Promise<SourceParagraph> {
  return requestJson(`${BASE}/${encodeURIComponent(sourceId)}/paragraphs/${encodeURIComponent(pid)}`, SourceParagraph, {
    method: 'PATCH',
    body: { label },
  });
}

/** Where the source's annotations download from, as a W3C Web Annotation collection. */
export function annotationsDownloadUrl(sourceId: string): string {
  return `${BASE}/${encodeURIComponent(sourceId)}/annotations.jsonld`;
}
