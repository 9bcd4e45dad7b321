/** Typed calls for citing source papers: their paragraphs, one cited paragraph, and the drafts that cite a source. */
import '../zod-config';
import { CitedParagraph, ListCitationsResponse, ListParagraphsResponse } from '../../../shared/api/index';
import { ApiError, requestJson } from './http';

export type { SourceParagraph } from '../../../shared/api/index';

const source = (id: string) => `/api/sources/${encodeURIComponent(id)}`;

/** Every paragraph and heading of a source, in reading order, with its pid and label. */
export function listSourceParagraphs(sourceId: string, signal?: AbortSignal): Promise<ListParagraphsResponse> {
  return requestJson(`${source(sourceId)}/paragraphs`, ListParagraphsResponse, { signal });
}

/** The drafts that cite a source, each with the paragraphs it cites. */
export async function listCitations(sourceId: string, signal?: AbortSignal): Promise<ListCitationsResponse['citations']> {
  return (await requestJson(`${source(sourceId)}/citations`, ListCitationsResponse, { signal })).citations;
}

/** A cited paragraph, or 'gone' when the source no longer has it. */
export type CitedParagraphResult = CitedParagraph | 'gone';

const CACHE_MS = 60_000;
const cache = new Map<string, { at: number; result: Promise<CitedParagraphResult> }>();

/**
 * One paragraph for a citation's hover card. Cached for a minute: a draft may cite the same
 * paragraph many times and hovering again should be instant; failures are not cached.
 */
export function getCitedParagraph(sourceId: string, pid: string): Promise<CitedParagraphResult> {
  const key = `${sourceId}\u0000${pid}`;
  const cached = cache.get(key);
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.result;
  const result = requestJson(`${source(sourceId)}/paragraphs/${encodeURIComponent(pid)}`, CitedParagraph).catch((error: unknown): CitedParagraphResult => {
    if (error instanceof ApiError && error.status === 404) return 'gone';
    cache.delete(key);
    throw error;
  });
  cache.set(key, { at: Date.now(), result });
  return result;
}
