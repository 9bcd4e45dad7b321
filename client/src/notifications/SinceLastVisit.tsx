/**
 * "Since your last visit": opening a document tells the server (which notes the time) and, when
 * something changed since the person last had it open, a bar under the header says so: the text
 * changed (with a link to compare the version of then with now, who changed what) and the threads
 * others started meanwhile (each opens its thread). Dismissable; shown once per opening.
 */
import { useEffect, useState } from 'react';

import { recordVisit, type VisitResponse } from '../api/notifications';
import { comparePath } from '../history/routes';
import { documentPath, Link } from '../router';
import { Icon } from '../ui/Icon';
import { formatRelative } from '../ui/RelativeTime';

export function SinceLastVisit({ documentId }: { documentId: string }) {
  const [visit, setVisit] = useState<VisitResponse | null>(null);
  const [dismissed, setDismissed] = useState(false);

  useEffect(() => {
    let current = true;
    setVisit(null);
    setDismissed(false);
    recordVisit(documentId).then(
      (answer) => {
        if (current) setVisit(answer);
      },
      () => undefined, // offline or no access: the editor says so; this bar is a courtesy
    );
    return () => {
      current = false;
    };
  }, [documentId]);

  if (!visit?.since || dismissed || (!visit.changed && visit.newThreads.length === 0)) return null;
  const threads = visit.newThreads;
  return (
    <section className="since-visit" aria-label="Since your last visit" data-testid="since-last-visit">
      <Icon name="history" size={18} />
      <div className="since-visit__text">
        <strong>Since your last visit</strong> {formatRelative(new Date(visit.since))}:{' '}
        {visit.changed && (
          <>
            the text changed
            {visit.compareFrom && (
              <>
                {' '}
                (<Link href={comparePath(documentId, visit.compareFrom.id)}>compare with then</Link>)
              </>
            )}
            {threads.length > 0 ? '; ' : '.'}
          </>
        )}
        {threads.length > 0 && (
          <>
            {threads.length === 1 ? '1 new thread' : `${threads.length} new threads`}:{' '}
            {threads.slice(0, 3).map((thread, index) => (
              <span key={thread.id}>
                {index > 0 && ', '}
                <Link href={`${documentPath(documentId)}?thread=${encodeURIComponent(thread.id)}`}>
                  {thread.author.name} on “{thread.quote.length > 40 ? `${thread.quote.slice(0, 39)}…` : thread.quote || '(no text)'}”
                </Link>
              </span>
            ))}
            {threads.length > 3 && ` and ${threads.length - 3} more`}.
          </>
        )}
      </div>
      <button type="button" className="icon-button icon-button--small" aria-label="Dismiss" data-tooltip="Dismiss" onClick={() => setDismissed(true)}>
        <Icon name="close" size={16} />
      </button>
    </section>
  );
}
