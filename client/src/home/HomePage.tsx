/**
 * The list of drafts: create (opens the new draft), rename inline, archive/restore, delete
 * permanently after confirmation. Shows who is editing each draft right now.
 */
import { useEffect, useState } from 'react';

import { createDocument, deleteDocument, updateDocument, type DocumentSummary } from '../api/documents';
import { deleteLocalCopy } from '../editor/collab-session';
import { UserButton } from '../identity/UserButton';
import { Link, documentPath, navigate } from '../router';
import { announce } from '../ui/announce';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Icon } from '../ui/Icon';
import { DocumentRow } from './DocumentRow';
import { useDocumentList } from './useDocumentList';

export function HomePage({ archived }: { archived: boolean }) {
  const list = useDocumentList(archived);
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);
  const [toDelete, setToDelete] = useState<DocumentSummary | null>(null);

  useEffect(() => {
    document.title = archived ? 'Archived drafts — Concord' : 'Drafts — Concord';
  }, [archived]);

  const create = async () => {
    setCreating(true);
    setCreateError(null);
    try {
      const created = await createDocument();
      navigate(documentPath(created.id), { state: { justCreated: true } });
    } catch (caught) {
      setCreating(false);
      setCreateError(caught instanceof Error ? `Couldn’t create a draft. ${caught.message}` : 'Couldn’t create a draft.');
    }
  };

  const rename = async (doc: DocumentSummary, title: string) => {
    const updated = await updateDocument(doc.id, { title });
    list.patch((documents) => documents.map((item) => (item.id === doc.id ? updated : item)));
    announce(`Renamed to ${updated.title}`);
  };

  const setArchived = async (doc: DocumentSummary, value: boolean) => {
    await updateDocument(doc.id, { archived: value });
    // It moves to the other list.
    list.patch((documents) => documents.filter((item) => item.id !== doc.id));
    announce(value ? `${doc.title} archived` : `${doc.title} restored`);
  };

  const remove = async (doc: DocumentSummary) => {
    await deleteDocument(doc.id);
    deleteLocalCopy(doc.id);
    list.patch((documents) => documents.filter((item) => item.id !== doc.id));
    announce(`${doc.title} deleted`);
  };

  return (
    <div className="home">
      <header className="home-header">
        <Link href="/" className="brand" aria-label="Concord, all drafts">
          <span className="brand-mark" aria-hidden="true">C</span>
          <span className="brand-name">Concord</span>
        </Link>
        <UserButton />
      </header>

      <main className="home-main" aria-labelledby="home-title">
        <div className="home-main__top">
          <h1 id="home-title">{archived ? 'Archived drafts' : 'Drafts'}</h1>
          {!archived && (
            <button type="button" className="button button--primary" onClick={create} disabled={creating}>
              <Icon name="plus" size={18} />
              {creating ? 'Creating…' : 'New draft'}
            </button>
          )}
        </div>

        <nav className="view-switch" aria-label="Which drafts">
          <Link href="/" className="view-switch__item" aria-current={archived ? undefined : 'page'}>
            Active
          </Link>
          <Link href="/archived" className="view-switch__item" aria-current={archived ? 'page' : undefined}>
            Archived
          </Link>
        </nav>

        {createError && (
          <p className="banner banner--error" role="alert">
            {createError}
          </p>
        )}

        <ListBody
          archived={archived}
          list={list}
          creating={creating}
          onCreate={create}
          onRename={rename}
          onArchive={setArchived}
          onDelete={setToDelete}
        />
      </main>

      <ConfirmDialog
        open={toDelete !== null}
        title="Delete this draft permanently?"
        message={
          toDelete && (
            <>
              “{toDelete.title}” will be deleted for everyone. This can’t be undone; anyone editing it now will be disconnected.
            </>
          )
        }
        confirmLabel="Delete permanently"
        danger
        onConfirm={() => (toDelete ? remove(toDelete) : undefined)}
        onClose={() => setToDelete(null)}
      />
    </div>
  );
}

interface ListBodyProps {
  archived: boolean;
  list: ReturnType<typeof useDocumentList>;
  creating: boolean;
  onCreate: () => void;
  onRename: (doc: DocumentSummary, title: string) => Promise<void>;
  onArchive: (doc: DocumentSummary, archived: boolean) => Promise<void>;
  onDelete: (doc: DocumentSummary) => void;
}

function ListBody({ archived, list, creating, onCreate, onRename, onArchive, onDelete }: ListBodyProps) {
  const { documents, error, loading } = list;

  if (documents === null && loading) {
    return (
      <div className="document-list document-list--loading" aria-busy="true">
        <p className="visually-hidden" role="status">
          Loading drafts…
        </p>
        {[0, 1, 2].map((index) => (
          <div key={index} className="skeleton-row" aria-hidden="true" />
        ))}
      </div>
    );
  }

  if (documents === null && error) {
    return (
      <div className="empty-state empty-state--error" role="alert">
        <h2>Couldn’t load the drafts</h2>
        <p>{error.isNetworkError ? (navigator.onLine ? 'The server can’t be reached right now.' : 'You are offline.') : error.message}</p>
        <button type="button" className="button" onClick={() => void list.refresh()}>
          Try again
        </button>
      </div>
    );
  }

  const items = documents ?? [];
  return (
    <>
      {error && (
        <p className="banner banner--warning" role="status">
          {error.isNetworkError ? 'Can’t reach the server — the list may be out of date.' : `Couldn’t refresh the list: ${error.message}`}{' '}
          <button type="button" className="link-button" onClick={() => void list.refresh()}>
            Try again
          </button>
        </p>
      )}
      {items.length === 0 ? (
        archived ? (
          <div className="empty-state">
            <h2>No archived drafts</h2>
            <p>Drafts you archive are kept here, out of the way, until you restore them.</p>
            <Link href="/" className="button">
              Back to drafts
            </Link>
          </div>
        ) : (
          <div className="empty-state">
            <Icon name="document" size={40} />
            <h2>No drafts yet — create the first one</h2>
            <p>Start a paper, a meeting summary or a set of proposals, then share its link with the group.</p>
            <button type="button" className="button button--primary" onClick={onCreate} disabled={creating}>
              <Icon name="plus" size={18} />
              {creating ? 'Creating…' : 'New draft'}
            </button>
          </div>
        )
      ) : (
        <ul className="document-list" aria-label={archived ? 'Archived drafts' : 'Drafts'}>
          {items.map((doc) => (
            <DocumentRow
              key={doc.id}
              document={doc}
              onRename={(title) => onRename(doc, title)}
              onArchive={(value) => onArchive(doc, value)}
              onDelete={() => onDelete(doc)}
            />
          ))}
        </ul>
      )}
    </>
  );
}
