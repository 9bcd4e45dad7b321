/**
 * The Drafts and Archived tabs of a group page. The Drafts tab lists the group's source papers
 * (imported, read-only, annotated) in a section of their own below its drafts.
 */
import { can } from '../../../shared/api/index';
import type { GroupDetail } from '../api/groups';
import { createDraftAndOpen } from '../home/create-draft';
import { DocumentList, DocumentListLoading } from '../home/DocumentList';
import { ImportButton } from '../home/ImportDialog';
import { ImportSourceButton } from '../sources/ImportSourceDialog';
import { useDocumentList } from '../home/useDocumentList';
import { messageOf } from '../ui/form-errors';
import { Icon } from '../ui/Icon';
import { useFormSubmit } from '../ui/useFormSubmit';

export function GroupDrafts({ group, archived }: { group: GroupDetail; archived: boolean }) {
  const list = useDocumentList(archived, group.id);
  const creating = useFormSubmit({ failure: 'Couldn’t create a draft.', stayBusy: true });
  const canWrite = can(group.role, 'edit');

  const newDraftButton = (
    <button type="button" className="button button--primary" onClick={() => void creating.run(() => createDraftAndOpen(group.id))} disabled={creating.busy}>
      <Icon name="plus" size={18} />
      {creating.busy ? 'Creating…' : 'New draft'}
    </button>
  );

  const { error } = list;
  // The archived tab keeps both kinds together (each row says which it is).
  const documents = archived ? list.documents : (list.documents?.filter((doc) => doc.kind === 'draft') ?? null);
  const sources = list.documents?.filter((doc) => doc.kind === 'source') ?? null;
  return (
    <>
      <section aria-label={archived ? 'Archived drafts' : 'Drafts'}>
        {!archived && canWrite && documents && documents.length > 0 && (
          <div className="tab-actions">
            <ImportButton groupId={group.id} />
            {newDraftButton}
          </div>
        )}
        {creating.general && (
          <p className="banner banner--error" role="alert">
            {creating.general}
          </p>
        )}
        {documents === null && error ? (
          <div className="empty-state empty-state--error" role="alert">
            <h2>Couldn’t load the drafts</h2>
            <p>{messageOf(error)}</p>
            <button type="button" className="button" onClick={() => void list.refresh()}>
              Try again
            </button>
          </div>
        ) : documents === null ? (
          <DocumentListLoading />
        ) : documents.length === 0 ? (
          archived ? (
            <div className="empty-state">
              <h2>No archived drafts</h2>
              <p>Drafts a co-chair archives are kept here, out of the way, until they are restored.</p>
            </div>
          ) : (
            <div className="empty-state">
              <Icon name="document" size={40} />
              <h2>No drafts yet{canWrite ? ' — create the first one' : ''}</h2>
              <p>
                {canWrite
                  ? 'Start a paper, a meeting summary or a set of proposals; everyone in the group can open it.'
                  : 'You’ll see the group’s drafts here as soon as someone starts one.'}
              </p>
              {canWrite && (
                <div className="empty-state__actions">
                  {newDraftButton}
                  <ImportButton groupId={group.id} />
                </div>
              )}
            </div>
          )
        ) : (
          <DocumentList documents={documents} label={archived ? 'Archived drafts' : 'Drafts'} patch={list.patch} />
        )}
      </section>
      {!archived && sources && (
        <section className="group-sources" aria-labelledby="group-sources-title">
          <div className="group-sources__heading">
            <h2 id="group-sources-title">Source papers</h2>
            {canWrite && <ImportSourceButton groupId={group.id} />}
          </div>
          {sources.length === 0 ? (
            <p className="group-sources__empty">
              No source papers yet.{' '}
              {canWrite
                ? 'Import the paper the group works on — the Options Paper, the Roadmap — so members can annotate its paragraphs.'
                : 'Papers the group works on will be listed here once someone imports them.'}
            </p>
          ) : (
            <DocumentList documents={sources} label="Source papers" patch={list.patch} />
          )}
        </section>
      )}
    </>
  );
}
