/**
 * The document list for the home page, refreshed every few seconds (so "edited 5 min ago" and
 * who is editing stay current) while the tab is visible, and right after any change we make.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

import { ApiError, listDocuments, type DocumentSummary } from '../api/documents';

export const POLL_INTERVAL_MS = 5000;

export interface DocumentListState {
  documents: DocumentSummary[] | null;
  /** The last refresh failed; `documents` (if any) are from an earlier one. */
  error: ApiError | null;
  loading: boolean;
  refresh: () => Promise<void>;
  /** Applies a local change immediately, before the next refresh confirms it. */
  patch: (update: (documents: DocumentSummary[]) => DocumentSummary[]) => void;
}

/** The drafts of all the person's groups, or of one group (`groupId`). */
export function useDocumentList(archived: boolean, groupId?: string): DocumentListState {
  const [documents, setDocuments] = useState<DocumentSummary[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);

  const refresh = useCallback(async () => {
    const current = ++generation.current;
    try {
      const result = await listDocuments({ archived, groupId });
      if (current !== generation.current) return;
      setDocuments(result);
      setError(null);
    } catch (caught) {
      if (current !== generation.current) return;
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'unknown', 'Something went wrong.'));
    } finally {
      if (current === generation.current) setLoading(false);
    }
  }, [archived, groupId]);

  useEffect(() => {
    setDocuments(null);
    setError(null);
    setLoading(true);
    void refresh();
    let timer: number | undefined;
    const schedule = () => {
      window.clearInterval(timer);
      if (document.visibilityState === 'visible') timer = window.setInterval(() => void refresh(), POLL_INTERVAL_MS);
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') void refresh();
      schedule();
    };
    const onOnline = () => void refresh();
    schedule();
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('online', onOnline);
    return () => {
      generation.current++;
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('online', onOnline);
    };
  }, [refresh]);

  const patch = useCallback((update: (documents: DocumentSummary[]) => DocumentSummary[]) => {
    setDocuments((previous) => (previous ? update(previous) : previous));
  }, []);

  return { documents, error, loading, refresh, patch };
}
