import { useEffect } from 'react';
import { Link } from '../router';
import { Icon } from './Icon';

/** Shown for unknown routes and for document ids the server doesn't know. */
export function NotFoundPage({ title = 'Document not found', message }: { title?: string; message?: string }) {
  useEffect(() => {
    document.title = `${title} — Concord`;
  }, [title]);
  return (
    <main className="centered-page" aria-labelledby="not-found-title">
      <div className="centered-page__card">
        <Icon name="document" size={40} />
        <h1 id="not-found-title">{title}</h1>
        <p>{message ?? 'This link doesn’t point to a draft that exists. It may have been deleted, or the address may be mistyped.'}</p>
        <Link href="/" className="button button--primary">
          <Icon name="arrowLeft" size={18} /> All drafts
        </Link>
      </div>
    </main>
  );
}
