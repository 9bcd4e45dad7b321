/**
 * A document's versions, newest first, for the history panel and the pickers of the history
 * views. There is no live stream of versions: the list is loaded when shown, again when this
 * browser names or restores one (`notifyVersionsChanged`), when the tab comes back into view and,
 * while `poll` is on, every half minute.
 */
import { useEffect } from 'react';

import { listVersions, type VersionSummary } from '../api/versions';
import { useFetched, type Fetched } from '../ui/useFetched';

const CHANGED_EVENT = 'concord:versions-changed';
const POLL_MS = 30_000;

export interface VersionsChanged {
  documentId: string;
  /** Open the history panel (after a restore, to show the checkpoint taken before it). */
  openPanel?: boolean;
  /** A version to point out in the panel. */
  highlight?: string;
}

/** Something in this browser named or restored a version of `documentId`. */
export function notifyVersionsChanged(detail: VersionsChanged): void {
  window.dispatchEvent(new CustomEvent<VersionsChanged>(CHANGED_EVENT, { detail }));
}

export function onVersionsChanged(documentId: string, listener: (detail: VersionsChanged) => void): () => void {
  const handle = (event: Event) => {
    const detail = (event as CustomEvent<VersionsChanged>).detail;
    if (detail?.documentId === documentId) listener(detail);
  };
  window.addEventListener(CHANGED_EVENT, handle);
  return () => window.removeEventListener(CHANGED_EVENT, handle);
}

export function useVersionList(documentId: string, { poll = false }: { poll?: boolean } = {}): Fetched<VersionSummary[]> {
  const fetched = useFetched((signal) => listVersions(documentId, signal), documentId);
  const { refresh } = fetched;

  useEffect(() => onVersionsChanged(documentId, () => void refresh()), [documentId, refresh]);

  useEffect(() => {
    if (!poll) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, POLL_MS);
    const visible = () => {
      if (document.visibilityState === 'visible') void refresh();
    };
    document.addEventListener('visibilitychange', visible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', visible);
    };
  }, [poll, refresh]);

  return fetched;
}
