import { useEffect, type ReactNode } from 'react';
import { Link } from '../router';
import { Icon, type IconName } from './Icon';

interface MessagePageProps {
  title: string;
  message: ReactNode;
  icon?: IconName;
  /** The way on; by default a link to all drafts. */
  action?: ReactNode;
}

/** A centred card explaining why there is nothing to show here, with a way on. */
export function MessagePage({ title, message, icon = 'document', action }: MessagePageProps) {
  useEffect(() => {
    document.title = `${title} — Concord`;
  }, [title]);
  return (
    <main className="centered-page" aria-labelledby="message-page-title">
      <div className="centered-page__card">
        <Icon name={icon} size={40} />
        <h1 id="message-page-title">{title}</h1>
        <p>{message}</p>
        {action ?? (
          <Link href="/" className="button button--primary">
            <Icon name="arrowLeft" size={18} /> All drafts
          </Link>
        )}
      </div>
    </main>
  );
}

/** Shown for unknown routes and for document ids the server doesn't know. */
export function NotFoundPage({ title = 'Document not found', message }: { title?: string; message?: string }) {
  return (
    <MessagePage
      title={title}
      message={message ?? 'This link doesn’t point to a draft that exists. It may have been deleted, or the address may be mistyped.'}
    />
  );
}

/** A document of a working group the person isn't a member of (or was just removed from). */
export function NoAccessPage({ removedFrom }: { removedFrom?: string }) {
  return (
    <MessagePage
      icon="lock"
      title="No access"
      message={
        removedFrom
          ? `You’re no longer a member of ${removedFrom}, so you can’t open its drafts any more. If that’s a mistake, ask one of its co-chairs for a new invite link.`
          : 'You don’t have access to this document. It belongs to a working group you’re not a member of. Ask one of its co-chairs for an invite link.'
      }
    />
  );
}

/** While the first answer from the server is awaited. */
export function LoadingPage({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="editor-screen editor-screen--waiting" aria-busy="true">
      <p className="loading-line" role="status">
        {label}
      </p>
    </div>
  );
}
