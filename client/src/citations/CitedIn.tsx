/**
 * "Cited in" on a source paper: a header button that shows which drafts of the group cite the
 * paper, and which of its paragraphs each cites; each draft is a link. Loaded when the source
 * opens (for the count) and again each time the list is opened (drafts change meanwhile).
 */
import { useEffect, useId, useRef, useState } from 'react';

import { listCitations } from '../api/citations';
import { documentPath, Link } from '../router';
import { messageOf } from '../ui/form-errors';
import { Icon } from '../ui/Icon';
import { useFetched } from '../ui/useFetched';
import './citations.css';

export function CitedIn({ sourceId }: { sourceId: string }) {
  const citations = useFetched((signal) => listCitations(sourceId, signal), sourceId);
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const popoverId = useId();
  const titleId = useId();
  const count = citations.data?.length ?? 0;

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const toggle = () => {
    if (!open) void citations.refresh();
    setOpen(!open);
  };

  return (
    <div
      ref={rootRef}
      className="cited-in"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          event.stopPropagation();
          setOpen(false);
          buttonRef.current?.focus();
        }
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className="header-toggle"
        aria-expanded={open}
        aria-controls={popoverId}
        aria-label={`Cited in ${count} ${count === 1 ? 'draft' : 'drafts'}`}
        data-tooltip="Drafts that cite this paper"
        onClick={toggle}
      >
        <Icon name="quote" size={20} />
        <span className="header-toggle__label">Cited in</span>
        {count > 0 && (
          <span className="count-badge" aria-hidden="true">
            {count}
          </span>
        )}
      </button>
      {open && (
        <section id={popoverId} className="cited-in__popover" aria-labelledby={titleId}>
          <h2 id={titleId} className="cited-in__title">
            Cited in
          </h2>
          {citations.data === null ? (
            citations.error ? (
              <p className="form-error" role="alert">
                Couldn’t load the drafts that cite this paper. {messageOf(citations.error)}
              </p>
            ) : (
              <p className="cited-in__note" role="status">
                Loading…
              </p>
            )
          ) : citations.data.length === 0 ? (
            <p className="cited-in__note">No draft cites this paper yet. In a draft, press Cite in the toolbar to cite one of its paragraphs.</p>
          ) : (
            <ul className="cited-in__list" aria-label="Drafts citing this paper">
              {citations.data.map((citation) => (
                <li key={citation.documentId}>
                  <Link href={documentPath(citation.documentId)} className="cited-in__draft">
                    {citation.title}
                  </Link>
                  {citation.paragraphs.length === 0 ? (
                    // The draft cites paragraphs that a re-import removed.
                    <p className="cited-in__note">Cites paragraphs that are no longer in this paper.</p>
                  ) : (
                    <ul className="cited-in__labels" aria-label="Paragraphs cited">
                      {citation.paragraphs.map((paragraph) => (
                        <li key={paragraph.pid} className="cited-in__label">
                          {paragraph.label}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
