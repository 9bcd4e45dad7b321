/** One draft or source paper in the list: title link (and "Final" once a co-chair marked it so, "Source paper" and its cite-as name for a source), last edit, who is in it now, and its actions. */
import { useEffect, useRef, useState, type FormEvent } from 'react';

import { TITLE_MAX_LENGTH } from '../../../shared/api/index';
import type { DocumentSummary } from '../api/documents';
import { Link, documentPath } from '../router';
import { AvatarStack } from '../ui/Avatar';
import { FinalBadge } from '../ui/FinalBadge';
import { Icon } from '../ui/Icon';
import { RelativeTime } from '../ui/RelativeTime';

interface DocumentRowProps {
  document: DocumentSummary;
  /** May rename (edit permission). */
  canRename: boolean;
  /** May archive, restore and delete (manage permission). */
  canManage: boolean;
  onRename: (title: string) => Promise<void>;
  onArchive: (archived: boolean) => Promise<void>;
  onDelete: () => void;
}

export function DocumentRow({ document: doc, canRename, canManage, onRename, onArchive, onDelete }: DocumentRowProps) {
  const [renaming, setRenaming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const archived = doc.archivedAt !== null;
  const titleId = `doc-title-${doc.id}`;

  const archive = async () => {
    setBusy(true);
    setError(null);
    try {
      await onArchive(!archived);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Something went wrong.');
      setBusy(false);
    }
  };

  return (
    <li className="document-row" aria-labelledby={titleId} data-testid="document-row">
      <div className="document-row__main">
        <Icon name="document" size={22} />
        <div className="document-row__text">
          {renaming ? (
            <RenameForm
              title={doc.title}
              onCancel={() => setRenaming(false)}
              onSave={async (title) => {
                await onRename(title);
                setRenaming(false);
              }}
            />
          ) : (
            <div className="document-row__heading">
              <Link id={titleId} href={documentPath(doc.id)} className="document-row__title">
                {doc.title}
              </Link>
              {doc.final && <FinalBadge final={doc.final} />}
              {doc.kind === 'source' && <span className="tag tag--source">Source paper</span>}
            </div>
          )}
          <div className="document-row__meta">
            {doc.kind === 'source' && doc.citeAs && <span className="document-row__cite">Cited as “{doc.citeAs}”</span>}
            {archived && doc.archivedAt ? <RelativeTime iso={doc.archivedAt} prefix="archived" /> : <RelativeTime iso={doc.updatedAt} prefix="edited" />}
            {doc.activeEditors.length > 0 && (
              <span className="document-row__editing">
                <AvatarStack people={doc.activeEditors} label={`Editing now: ${doc.activeEditors.map((person) => person.name).join(', ')}`} />
                <span className="document-row__editing-label">
                  {doc.activeEditors.length === 1 ? `${doc.activeEditors[0].name} is editing` : `${doc.activeEditors.length} editing now`}
                </span>
              </span>
            )}
          </div>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </div>
      </div>
      {!renaming && (canRename || canManage) && (
        <div className="document-row__actions" role="group" aria-label={`Actions for ${doc.title}`}>
          {!archived && canRename && (
            <button type="button" className="icon-button" aria-label={`Rename ${doc.title}`} data-tooltip="Rename" onClick={() => setRenaming(true)}>
              <Icon name="pencil" size={18} />
            </button>
          )}
          {canManage && (
            <>
              <button
                type="button"
                className="icon-button"
                aria-label={archived ? `Restore ${doc.title}` : `Archive ${doc.title}`}
                data-tooltip={archived ? 'Restore' : 'Archive'}
                onClick={archive}
                disabled={busy}
              >
                <Icon name={archived ? 'restore' : 'archive'} size={18} />
              </button>
              <button
                type="button"
                className="icon-button icon-button--danger"
                aria-label={`Delete ${doc.title} permanently`}
                data-tooltip="Delete permanently"
                onClick={onDelete}
                disabled={busy}
              >
                <Icon name="trash" size={18} />
              </button>
            </>
          )}
        </div>
      )}
    </li>
  );
}

function RenameForm({ title, onSave, onCancel }: { title: string; onSave: (title: string) => Promise<void>; onCancel: () => void }) {
  const [value, setValue] = useState(title);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    const clean = value.replace(/\s+/g, ' ').trim();
    if (!clean) {
      setError('A title can’t be empty.');
      return;
    }
    if (clean === title) {
      onCancel();
      return;
    }
    setBusy(true);
    try {
      await onSave(clean);
    } catch (caught) {
      setBusy(false);
      setError(caught instanceof Error ? caught.message : 'Could not rename.');
    }
  };

  return (
    <form className="rename-form" onSubmit={submit}>
      <input
        ref={inputRef}
        className="input rename-form__input"
        aria-label="New title"
        value={value}
        maxLength={TITLE_MAX_LENGTH}
        disabled={busy}
        aria-invalid={error ? true : undefined}
        onChange={(event) => {
          setValue(event.target.value);
          setError(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            onCancel();
          }
        }}
      />
      <button type="submit" className="button button--primary button--compact" disabled={busy}>
        Save
      </button>
      <button type="button" className="button button--compact" onClick={onCancel} disabled={busy}>
        Cancel
      </button>
      {error && (
        <p className="form-error rename-form__error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
