/**
 * /d/<id>/versions/<versionId>: one version of the document, read-only, over the editor. The text
 * is rendered by Tiptap with the document schema (no collaboration), under a banner that says
 * which version it is. From here: compare it with the current text or another version, restore it
 * (co-chairs, on a draft), or go back to the document.
 */
import { EditorContent, useEditor } from '@tiptap/react';
import { useState, type FormEvent } from 'react';

import { can } from '../../../shared/api/index';
import { createDocumentExtensions } from '../../../shared/schema/index';
import { getDocument } from '../api/documents';
import { getVersion, restoreVersion, type VersionContent, type VersionSummary } from '../api/versions';
import { FootnoteWithView } from '../editor/extensions/footnote-view';
import { FootnotesList } from '../editor/FootnotesList';
import { announce } from '../ui/announce';
import { AvatarStack } from '../ui/Avatar';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { formatDateTime } from '../ui/dates';
import { Dialog } from '../ui/Dialog';
import { messageOf } from '../ui/form-errors';
import { FormField } from '../ui/FormField';
import { Icon } from '../ui/Icon';
import { useFetched } from '../ui/useFetched';
import { HistoryLink } from './HistoryLink';
import { backToDocument, HistoryFrame } from './HistoryFrame';
import { HistoryProblem } from './HistoryProblem';
import { comparePath, navigateKeepingScroll } from './routes';
import { notifyVersionsChanged, useVersionList } from './useVersionList';
import { formatMeetingDate, listNames, versionLabel, versionOptionLabel } from './version-text';

export function VersionView({ documentId, versionId }: { documentId: string; versionId: string }) {
  const info = useFetched((signal) => getDocument(documentId, signal), documentId);
  const content = useFetched((signal) => getVersion(documentId, versionId, signal), `${documentId}/${versionId}`);
  const [choosing, setChoosing] = useState(false);
  const [restoring, setRestoring] = useState(false);
  const version = content.data?.version ?? null;
  const label = version ? versionLabel(version) : 'Version';
  // A source paper changes only by a re-import: the server refuses to restore one.
  const canRestore = can(info.data?.role, 'resolve') && info.data?.kind !== 'source';

  const restore = async () => {
    if (!version) return;
    let checkpoint: VersionSummary;
    try {
      checkpoint = await restoreVersion(documentId, version.id);
    } catch (caught) {
      throw new Error(`Couldn’t restore this version. ${messageOf(caught)}`);
    }
    announce(`Restored “${label}”. The text before it was kept as a checkpoint.`);
    // The editor beneath has the restored text already (it arrived over the live connection);
    // its history panel opens on the checkpoint, the way to undo this.
    notifyVersionsChanged({ documentId, openPanel: true, highlight: checkpoint.id });
    backToDocument(documentId);
  };

  const actions = version && (
    <>
      <HistoryLink href={comparePath(documentId, version.id)} className="button button--compact">
        <Icon name="compare" size={16} />
        Compare with current
      </HistoryLink>
      <button type="button" className="button button--compact" aria-haspopup="dialog" onClick={() => setChoosing(true)}>
        Compare with…
      </button>
      {canRestore && (
        <button type="button" className="button button--compact button--primary" aria-haspopup="dialog" onClick={() => setRestoring(true)}>
          <Icon name="undo" size={16} />
          Restore this version
        </button>
      )}
    </>
  );

  return (
    <HistoryFrame
      documentId={documentId}
      documentTitle={info.data?.title ?? content.data?.title ?? null}
      heading={label}
      pageTitle={label}
      actions={actions}
      className="version-view"
      versionId={versionId}
    >
      {content.error ? (
        <HistoryProblem error={content.error} what="this version" onRetry={() => void content.refresh()} />
      ) : !content.data ? (
        <p className="history-loading" role="status">
          Opening the version…
        </p>
      ) : (
        <VersionBody content={content.data} />
      )}

      {version && (
        <>
          <CompareWithDialog open={choosing} documentId={documentId} version={version} onClose={() => setChoosing(false)} />
          <ConfirmDialog
            open={restoring}
            title={`Restore “${label}”?`}
            message={
              <>
                The text of this version becomes the current text for everyone working on the draft, as a normal edit they see live in
                their editors. Concord first keeps a checkpoint of the text as it is now (“Before restoring {label}”), so this can be
                undone by restoring that checkpoint.
              </>
            }
            confirmLabel="Restore this version"
            onConfirm={restore}
            onClose={() => setRestoring(false)}
          />
        </>
      )}
    </HistoryFrame>
  );
}

function VersionBody({ content }: { content: VersionContent }) {
  const { version } = content;
  const names = version.contributors.map((person) => person.name);
  return (
    <div className="version-body">
      <div className="history-banner" role="note">
        <Icon name="eye" size={18} />
        <p data-testid="version-banner">
          <strong>{bannerTitle(version)}</strong>
          {' · '}
          {version.meetingDate ? formatMeetingDate(version.meetingDate) : formatDateTime(version.createdAt)}
          {' · '}
          read-only
        </p>
      </div>
      <div className="version-details">
        {version.note && <p className="version-details__note">{version.note}</p>}
        <p className="version-details__meta">
          {version.kind === 'named'
            ? `Named by ${version.createdBy?.name ?? 'a co-chair'} on ${formatDateTime(version.createdAt)}`
            : version.createdBy
              ? `Taken for ${version.createdBy.name} on ${formatDateTime(version.createdAt)}`
              : `Taken automatically on ${formatDateTime(version.createdAt)}`}
          {version.meetingDate && ` · for the meeting of ${formatMeetingDate(version.meetingDate, true)}`}
        </p>
        {names.length > 0 && (
          <div className="version-details__contributors">
            <div aria-hidden="true">
              <AvatarStack people={version.contributors} label="" max={6} />
            </div>
            <span>Edits since the version before by {listNames(names)}</span>
          </div>
        )}
      </div>
      <div className="version-body__page">
        <VersionText content={content.content} label={versionLabel(version)} />
      </div>
    </div>
  );
}

function bannerTitle(version: VersionSummary): string {
  if (version.kind === 'named') return `Version: ${version.name}`;
  return version.name ? `Checkpoint: ${version.name}` : 'Automatic checkpoint';
}

/** The version's ProseMirror JSON in a read-only editor with the document's own schema and styles. */
function VersionText({ content, label }: { content: Record<string, unknown>; label: string }) {
  const editor = useEditor(
    {
      extensions: createDocumentExtensions({ footnote: FootnoteWithView }),
      content,
      editable: false,
      editorProps: {
        attributes: {
          class: 'document-text version-text',
          role: 'document',
          'aria-label': `Text of ${label}`,
          'data-testid': 'version-text',
        },
      },
      immediatelyRender: true,
      shouldRerenderOnTransaction: false,
    },
    [content],
  );
  return (
    <article className="paper version-paper" aria-label={`${label}, read-only`}>
      <EditorContent editor={editor} />
      {editor && <FootnotesList editor={editor} onEdit={() => undefined} />}
    </article>
  );
}

/** "Compare with…": another version, or the current text. */
function CompareWithDialog({ open, documentId, version, onClose }: { open: boolean; documentId: string; version: VersionSummary; onClose: () => void }) {
  return (
    <Dialog open={open} title={`Compare “${versionLabel(version)}” with…`} onClose={onClose}>
      {open && <CompareWithForm documentId={documentId} version={version} onClose={onClose} />}
    </Dialog>
  );
}

function CompareWithForm({ documentId, version, onClose }: { documentId: string; version: VersionSummary; onClose: () => void }) {
  const versions = useVersionList(documentId);
  const [other, setOther] = useState('current');
  const others = (versions.data ?? []).filter((candidate) => candidate.id !== version.id);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onClose();
    navigateKeepingScroll(comparePath(documentId, version.id, other));
  };

  return (
    <form className="form" onSubmit={submit}>
      <FormField
        label="Compare with"
        error={versions.error ? `The versions couldn’t be loaded. ${messageOf(versions.error)}` : null}
        hint="Changes are shown from the older of the two to the newer."
      >
        {(control) => (
          <select {...control} className="input" value={other} data-autofocus onChange={(event) => setOther(event.target.value)}>
            <option value="current">Current text</option>
            {others.some((candidate) => candidate.kind === 'named') && (
              <optgroup label="Named versions">
                {others
                  .filter((candidate) => candidate.kind === 'named')
                  .map((candidate) => (
                    <option key={candidate.id} value={candidate.id}>
                      {versionOptionLabel(candidate)}
                    </option>
                  ))}
              </optgroup>
            )}
            {others.some((candidate) => candidate.kind === 'checkpoint') && (
              <optgroup label="Checkpoints">
                {others
                  .filter((candidate) => candidate.kind === 'checkpoint')
                  .map((candidate) => (
                    <option key={candidate.id} value={candidate.id}>
                      {versionOptionLabel(candidate)}
                    </option>
                  ))}
              </optgroup>
            )}
          </select>
        )}
      </FormField>
      {versions.data === null && !versions.error && (
        <p className="form-hint" role="status">
          Loading the other versions…
        </p>
      )}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button button--primary">
          Compare
        </button>
      </div>
    </form>
  );
}
