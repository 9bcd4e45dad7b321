/**
 * A list of drafts (or source papers) with their actions (rename, archive/restore, delete after confirmation), each
 * offered only to those whose role in the draft's group allows it.
 */
import { useState } from 'react';

import { can } from '../../../shared/api/index';
import { deleteDocument, updateDocument, type DocumentSummary } from '../api/documents';
import { deleteLocalCopy } from '../editor/local-copies';
import { announce } from '../ui/announce';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { DocumentRow } from './DocumentRow';
import type { DocumentListState } from './useDocumentList';

interface DocumentListProps {
  documents: DocumentSummary[];
  label: string;
  patch: DocumentListState['patch'];
}

export function DocumentList({ documents, label, patch }: DocumentListProps) {
  const [toDelete, setToDelete] = useState<DocumentSummary | null>(null);

  const rename = async (doc: DocumentSummary, title: string) => {
    const updated = await updateDocument(doc.id, { title });
    patch((items) => items.map((item) => (item.id === doc.id ? updated : item)));
    announce(`Renamed to ${updated.title}`);
  };

  const setArchived = async (doc: DocumentSummary, value: boolean) => {
    await updateDocument(doc.id, { archived: value });
    // It moves to the other list.
    patch((items) => items.filter((item) => item.id !== doc.id));
    announce(value ? `${doc.title} archived` : `${doc.title} restored`);
  };

  const remove = async (doc: DocumentSummary) => {
    await deleteDocument(doc.id);
    deleteLocalCopy(doc.id);
    patch((items) => items.filter((item) => item.id !== doc.id));
    announce(`${doc.title} deleted`);
  };

  return (
    <>
      <ul className="document-list" aria-label={label}>
        {documents.map((doc) => (
          <DocumentRow
            key={doc.id}
            document={doc}
            canRename={can(doc.role, 'edit')}
            canManage={can(doc.role, 'manage')}
            onRename={(title) => rename(doc, title)}
            onArchive={(value) => setArchived(doc, value)}
            onDelete={() => setToDelete(doc)}
          />
        ))}
      </ul>
      <ConfirmDialog
        open={toDelete !== null}
        title={toDelete?.kind === 'source' ? 'Delete this source paper permanently?' : 'Delete this draft permanently?'}
        message={
          toDelete && (
            <>
              “{toDelete.title}” will be deleted for everyone in {toDelete.groupName}. This can’t be undone; anyone editing it now will be
              disconnected.
            </>
          )
        }
        confirmLabel="Delete permanently"
        danger
        onConfirm={() => (toDelete ? remove(toDelete) : undefined)}
        onClose={() => setToDelete(null)}
      />
    </>
  );
}

/** Skeleton rows while the first answer is awaited. */
export function DocumentListLoading({ label = 'Loading drafts…' }: { label?: string }) {
  return (
    <div className="document-list document-list--loading" aria-busy="true">
      <p className="visually-hidden" role="status">
        {label}
      </p>
      {[0, 1, 2].map((index) => (
        <div key={index} className="skeleton-row" aria-hidden="true" />
      ))}
    </div>
  );
}
