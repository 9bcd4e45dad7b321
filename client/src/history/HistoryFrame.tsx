/**
 * The frame of a history view (one version, or a comparison), over the editor: a bar with the way
 * back to the document, the view's title and its actions, and the view's own scrolling area.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

import { documentPath } from '../router';
import { Icon } from '../ui/Icon';
import { HistoryLink } from './HistoryLink';
import { HISTORY_TOGGLE_ID } from './useHistoryPanel';
import { navigateKeepingScroll } from './routes';
import './history.css';

interface HistoryFrameProps {
  documentId: string;
  /** The document's title, once known. */
  documentTitle: string | null;
  /** What this view shows, e.g. "2nd Draft" or "Compare versions". */
  heading: string;
  /** For the browser tab. */
  pageTitle: string;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  /** The version shown (or compared from): its panel entry gets the focus back. */
  versionId?: string;
}

/**
 * Back to the editor, keeping its place. The focus returns to the version's entry in the history
 * panel when it is there, else to the History button (unless the panel has taken it already).
 */
export function backToDocument(documentId: string, versionId?: string): void {
  navigateKeepingScroll(documentPath(documentId));
  requestAnimationFrame(() => {
    const entry = versionId ? document.querySelector<HTMLElement>(`#history-panel [data-version-id="${CSS.escape(versionId)}"] a`) : null;
    if (entry) entry.focus();
    else if (!document.activeElement || document.activeElement === document.body) document.getElementById(HISTORY_TOGGLE_ID)?.focus();
  });
}

export function HistoryFrame({ documentId, documentTitle, heading, pageTitle, actions, children, className, versionId }: HistoryFrameProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const headingId = useId();

  // A new view: announce it by moving focus to its title.
  useEffect(() => {
    headingRef.current?.focus({ preventScroll: true });
  }, []);

  useEffect(() => {
    const before = document.title;
    document.title = `${pageTitle}${documentTitle ? ` — ${documentTitle}` : ''} — Concord`;
    return () => {
      document.title = before;
    };
  }, [pageTitle, documentTitle]);

  return (
    <div className={['history-view', className].filter(Boolean).join(' ')}>
      <header className="history-bar">
        <HistoryLink
          href={documentPath(documentId)}
          className="button button--quiet history-bar__back"
          onClick={(event) => {
            if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
            event.preventDefault();
            backToDocument(documentId, versionId);
          }}
        >
          <Icon name="arrowLeft" size={18} />
          Back to document
        </HistoryLink>
        <div className="history-bar__title">
          {documentTitle && <span className="history-bar__document">{documentTitle}</span>}
          <h1 id={headingId} ref={headingRef} tabIndex={-1} className="history-bar__heading">
            {heading}
          </h1>
        </div>
        {actions && <div className="history-bar__actions">{actions}</div>}
      </header>
      <main className="history-view__scroll" aria-labelledby={headingId}>
        {children}
      </main>
    </div>
  );
}
