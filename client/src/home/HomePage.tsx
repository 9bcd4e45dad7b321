/**
 * The home page: the person's working groups in the side column, and their drafts grouped by
 * group (Active and Archived views). New drafts are created in a group; people with no group
 * yet are told how to get one.
 */
import { useEffect, useState } from 'react';

import { can } from '../../../shared/api/index';
import type { DocumentSummary } from '../api/documents';
import type { GroupSummary } from '../api/groups';
import { GroupNav } from '../groups/GroupNav';
import { NewGroupDialog } from '../groups/NewGroupDialog';
import { RoleBadge } from '../groups/RoleBadge';
import { useGroups } from '../groups/useGroups';
import { Link, groupPath, navigate } from '../router';
import { AppHeader } from '../ui/AppHeader';
import { messageOf } from '../ui/form-errors';
import { Icon } from '../ui/Icon';
import { createDraftAndOpen } from './create-draft';
import { DocumentList, DocumentListLoading } from './DocumentList';
import { ImportButton } from './ImportDialog';
import { NewDraftDialog } from './NewDraftDialog';
import { useDocumentList, type DocumentListState } from './useDocumentList';

export function HomePage({ archived }: { archived: boolean }) {
  const groups = useGroups();
  const list = useDocumentList(archived);
  const [choosingGroup, setChoosingGroup] = useState(false);
  const [creating, setCreating] = useState<string | null>(null);
  const [createError, setCreateError] = useState<string | null>(null);

  useEffect(() => {
    document.title = archived ? 'Archived drafts — Concord' : 'Drafts — Concord';
  }, [archived]);

  const writable = (groups.data ?? []).filter((group) => can(group.role, 'edit'));

  const createIn = async (groupId: string) => {
    setCreating(groupId);
    setCreateError(null);
    try {
      await createDraftAndOpen(groupId);
    } catch (caught) {
      setCreating(null);
      setCreateError(`Couldn’t create a draft. ${messageOf(caught)}`);
    }
  };

  const newDraft = () => {
    if (writable.length === 1) void createIn(writable[0].id);
    else setChoosingGroup(true);
  };

  return (
    <div className="app-page">
      <AppHeader />
      <div className="home-layout">
        <aside className="home-sidebar">
          <GroupNav groups={groups.data} loading={groups.loading} />
        </aside>
        <main className="home-main" aria-labelledby="home-title">
          <div className="home-main__top">
            <h1 id="home-title">{archived ? 'Archived drafts' : 'Drafts'}</h1>
            {!archived && writable.length > 0 && (
              <button type="button" className="button button--primary" onClick={newDraft} disabled={creating !== null}>
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

          <HomeBody
            archived={archived}
            groups={groups.data}
            groupsError={groups.error !== null}
            list={list}
            creating={creating}
            onCreate={createIn}
            onRetry={() => {
              void groups.refresh();
              void list.refresh();
            }}
          />
        </main>
      </div>
      <NewDraftDialog open={choosingGroup} groups={writable} onClose={() => setChoosingGroup(false)} />
    </div>
  );
}

interface HomeBodyProps {
  archived: boolean;
  groups: GroupSummary[] | null;
  groupsError: boolean;
  list: DocumentListState;
  creating: string | null;
  onCreate: (groupId: string) => void;
  onRetry: () => void;
}

function HomeBody({ archived, groups, groupsError, list, creating, onCreate, onRetry }: HomeBodyProps) {
  const { documents, error } = list;

  if ((documents === null && error) || (groups === null && groupsError)) {
    const shown = error ?? null;
    return (
      <div className="empty-state empty-state--error" role="alert">
        <h2>Couldn’t load the drafts</h2>
        <p>{shown ? messageOf(shown) : 'The server can’t be reached right now.'}</p>
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      </div>
    );
  }

  if (documents === null || groups === null) return <DocumentListLoading />;

  if (groups.length === 0 && documents.length === 0) return <NoGroupsYet />;

  const sections = groupSections(groups, documents, archived);
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
      {sections.length === 0 ? (
        <div className="empty-state">
          <h2>No archived drafts</h2>
          <p>Drafts a co-chair archives are kept here, out of the way, until they are restored.</p>
          <Link href="/" className="button">
            Back to drafts
          </Link>
        </div>
      ) : (
        sections.map((section) => (
          <GroupSection
            key={section.groupId}
            section={section}
            archived={archived}
            creating={creating === section.groupId}
            showNewDraft={sections.length > 1}
            onCreate={() => onCreate(section.groupId)}
            patch={list.patch}
          />
        ))
      )}
    </>
  );
}

interface Section {
  groupId: string;
  name: string;
  role: GroupSummary['role'];
  documents: DocumentSummary[];
}

/** One section per group, in the order of the group list; archived view: only groups with archived drafts. */
function groupSections(groups: GroupSummary[], documents: DocumentSummary[], archived: boolean): Section[] {
  const sections = new Map<string, Section>();
  for (const group of groups) sections.set(group.id, { groupId: group.id, name: group.name, role: group.role, documents: [] });
  for (const doc of documents) {
    // A group joined since the group list loaded still gets its section.
    let section = sections.get(doc.groupId);
    if (!section) {
      section = { groupId: doc.groupId, name: doc.groupName, role: doc.role, documents: [] };
      sections.set(doc.groupId, section);
    }
    section.documents.push(doc);
  }
  const all = Array.from(sections.values());
  return archived ? all.filter((section) => section.documents.length > 0) : all;
}

interface GroupSectionProps {
  section: Section;
  archived: boolean;
  creating: boolean;
  /** A "New draft" in the group's heading (the page's own button suffices when there is one group). */
  showNewDraft: boolean;
  onCreate: () => void;
  patch: DocumentListState['patch'];
}

function GroupSection({ section, archived, creating, showNewDraft, onCreate, patch }: GroupSectionProps) {
  const headingId = `group-section-${section.groupId}`;
  const canWrite = can(section.role, 'edit');
  return (
    <section className="group-section" aria-labelledby={headingId} data-testid="group-section">
      <div className="group-section__header">
        <h2 id={headingId} className="group-section__title">
          <Link href={groupPath(section.groupId)}>{section.name}</Link>
        </h2>
        <RoleBadge role={section.role} />
        {!archived && canWrite && showNewDraft && section.documents.length > 0 && (
          <div className="group-section__new">
            <ImportButton groupId={section.groupId} className="button button--compact" label={`Import a draft into ${section.name}`} />
            <button type="button" className="button button--compact" onClick={onCreate} disabled={creating} aria-label={`New draft in ${section.name}`}>
              <Icon name="plus" size={16} />
              {creating ? 'Creating…' : 'New draft'}
            </button>
          </div>
        )}
      </div>
      {section.documents.length > 0 ? (
        <DocumentList documents={section.documents} label={`${archived ? 'Archived drafts' : 'Drafts'} of ${section.name}`} patch={patch} />
      ) : (
        <div className="group-section__empty">
          {canWrite ? (
            <>
              <p>No drafts yet — create the first one.</p>
              <div className="group-section__actions">
                <ImportButton groupId={section.groupId} className="button button--compact" label={`Import a draft into ${section.name}`} />
                <button type="button" className="button button--primary button--compact" onClick={onCreate} disabled={creating} aria-label={`New draft in ${section.name}`}>
                  <Icon name="plus" size={16} />
                  {creating ? 'Creating…' : 'New draft'}
                </button>
              </div>
            </>
          ) : (
            <p>No drafts in this group yet. You’ll see them here as soon as someone starts one.</p>
          )}
        </div>
      )}
    </section>
  );
}

function NoGroupsYet() {
  const [open, setOpen] = useState(false);
  return (
    <div className="empty-state">
      <Icon name="people" size={40} />
      <h2>You’re not in any working group yet</h2>
      <p>Drafts belong to working groups. Create one, or ask a co-chair for an invite link.</p>
      <button type="button" className="button button--primary" onClick={() => setOpen(true)}>
        <Icon name="plus" size={18} /> New working group
      </button>
      <NewGroupDialog
        open={open}
        onClose={() => setOpen(false)}
        onCreated={(group) => {
          setOpen(false);
          navigate(groupPath(group.id));
        }}
      />
    </div>
  );
}
