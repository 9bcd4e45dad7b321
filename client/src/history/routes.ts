/**
 * Addresses of a document's history views. They open over the editor, which stays connected
 * beneath them (so a restore shows up in it live, and coming back keeps its place):
 * /d/<id>/versions/<versionId> (one version, read-only) and /d/<id>/compare?from=…&to=….
 */
import { documentPath, navigate, type NavigateOptions } from '../router';

export type HistoryView = { kind: 'version'; versionId: string } | { kind: 'compare' };

export interface DocumentRouteMatch {
  documentId: string;
  /** null: just the editor. */
  view: HistoryView | null;
}

/** The document pages: /d/<id>, /d/<id>/versions/<versionId>, /d/<id>/compare. */
export function matchDocumentRoute(path: string): DocumentRouteMatch | null {
  const match = /^\/d\/([^/]+)(?:\/versions\/([^/]+)|\/(compare))?\/?$/.exec(path);
  if (!match) return null;
  const documentId = decodeURIComponent(match[1]);
  if (match[2]) return { documentId, view: { kind: 'version', versionId: decodeURIComponent(match[2]) } };
  if (match[3]) return { documentId, view: { kind: 'compare' } };
  return { documentId, view: null };
}

export function versionPath(documentId: string, versionId: string): string {
  return `${documentPath(documentId)}/versions/${encodeURIComponent(versionId)}`;
}

/** `to`: a version id or 'current' (the text as it is now). */
export function comparePath(documentId: string, from: string, to = 'current'): string {
  return `${documentPath(documentId)}/compare?${new URLSearchParams({ from, to })}`;
}

/**
 * Navigates without scrolling the page: the editor beneath the history views keeps its place
 * while they are open and when coming back.
 */
export function navigateKeepingScroll(path: string, options?: NavigateOptions): void {
  const { scrollX, scrollY } = window;
  navigate(path, options);
  window.scrollTo(scrollX, scrollY);
}
