/**
 * The editor screen for one document: this is where Tiptap, the Y.Doc and the provider meet.
 * Header (title with its "Final" badge, connection, presence, comments, history, export, copy link), toolbar, the page with the text and
 * its footnotes, the comments panel beside it, and the dialogs for links and notes. A source paper
 * is read-only for everyone: the source bar replaces the toolbar, and its margin shows paragraph
 * labels and annotation counts (sources/).
 */
import { EditorContent, useEditor, type Editor } from '@tiptap/react';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';

import { can, UNTITLED } from '../../../shared/api/index';
import type { AwarenessUser } from '../../../shared/protocol/index';
import { UserMenu } from '../account/UserMenu';
import { NotificationBell, SinceLastVisit } from '../notifications/index';
import type { FinalMark } from '../api/documents';
import { CitationPicker } from '../citations/CitationPicker';
import { CitedIn } from '../citations/CitedIn';
import { CommentsPanel } from '../comments/CommentsPanel';
import { SelectionCommentButton } from '../comments/SelectionCommentButton';
import { useComments, useCommentsBridge } from '../comments/useComments';
import { ExportButton } from '../export/ExportDialog';
import { FindBar, FindHighlights, useFind } from '../find/index';
import { useWordCount, WordCountDialog } from '../word-count/index';
import { OutlinePanel, OutlineToggle, useOutline } from '../outline/index';
import { HistoryPanel, HistoryToggle } from '../history/HistoryPanel';
import { useHistoryPanel } from '../history/useHistoryPanel';
import { Priorities } from '../priorities/Priorities';
import { TallyInsertion } from '../priorities/TallyInsertion';
import { Link, documentPath, groupPath } from '../router';
import { LabelEditor } from '../sources/LabelEditor';
import { SourceBar } from '../sources/SourceBar';
import { SourceMargin } from '../sources/source-margin';
import { useSourceMarginBridge, useSourceView } from '../sources/useSourceView';
import '../sources/sources.css';
import { CopyLinkButton } from '../ui/CopyLinkButton';
import { FinalBadge } from '../ui/FinalBadge';
import { Icon } from '../ui/Icon';
import type { DocumentAccess } from './access-cache';
import { CollabSession, type SessionSnapshot } from './collab-session';
import { ConnectionStatus, describeConnection } from './ConnectionStatus';
import { listFootnotes, type FootnoteEntry } from '../../../shared/schema/index';
import { createEditorExtensions, setHeadingNumbering, syncSelectionFromDom } from './extensions/index';
import { FootnoteDialog, type FootnoteDialogState } from './FootnoteDialog';
import { FootnotesList } from './FootnotesList';
import { LinkBubble } from './LinkBubble';
import { LinkDialog } from './LinkDialog';
import { PresenceList } from './PresenceList';
import { TitleField } from './TitleField';
import { isMac, shortcutLabel } from './shortcuts';
import { asUndoStep } from './undo-steps';
import { Toolbar, type ToolbarHandle } from './Toolbar';

interface WorkspaceProps {
  documentId: string;
  /** The signed-in person's name and colour (the server sets the same on its side). */
  user: AwarenessUser;
  /** The person's role and the document's group; null when unknown (opened offline for the first time). */
  access: DocumentAccess | null;
  /** Title from the API, shown until the shared title arrives. */
  initialTitle: string | null;
  /** Set when a co-chair marked the document final; null for a draft (or when unknown, offline). */
  final: FinalMark | null;
  justCreated: boolean;
  /** Ask the server for the document's summary again (its final status may have changed). */
  onRefreshSummary: () => void;
  /** Mark the document final or a draft again (offered to co-chairs only). */
  onSetFinal: (final: boolean) => Promise<void>;
  /** The server said the person's role changed: ask for it again. */
  onRoleChanged: () => void;
  /** The person was removed from the group. */
  onRevoked: () => void;
  /** The sign-in session ended. */
  onSignedOut: () => void;
}

export function DocumentWorkspace(props: WorkspaceProps) {
  const [session, setSession] = useState<CollabSession | null>(null);
  const userRef = useRef(props.user);
  userRef.current = props.user;

  useEffect(() => {
    const created = new CollabSession(props.documentId, userRef.current);
    setSession(created);
    return () => {
      created.destroy();
      setSession(null);
    };
  }, [props.documentId]);

  const { name, color } = props.user;
  useEffect(() => {
    session?.setUser({ name, color });
  }, [session, name, color]);

  if (!session) return <div className="editor-screen editor-screen--waiting" />;
  return <CollaborativeEditor {...props} session={session} />;
}

function CollaborativeEditor(props: WorkspaceProps & { session: CollabSession }) {
  const { documentId, user, access, initialTitle, final, justCreated, session } = props;
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);
  // Observers read along: the server would drop their changes, so the editor doesn't offer any.
  const viewOnly = access !== null && !can(access.role, 'edit');
  // Nobody edits a source paper (the server drops every change to one).
  const source = access?.kind === 'source';
  const readOnly = viewOnly || source || snapshot.deleted || snapshot.access !== 'ok';
  const callbacks = useRef(props);
  callbacks.current = props;
  const toolbarRef = useRef<ToolbarHandle>(null);
  const [linkOpen, setLinkOpen] = useState(false);
  const [citeOpen, setCiteOpen] = useState(false);
  const [footnote, setFootnote] = useState<FootnoteDialogState | null>(null);
  const editorRef = useRef<Editor | null>(null);
  const paperRef = useRef<HTMLElement>(null);
  const commentsBridge = useCommentsBridge();
  const sourceBridge = useSourceMarginBridge();

  // Extension callbacks are fixed when the editor is created; they go through refs/state setters.
  const openFootnoteAt = useCallback((pos: number) => {
    const editor = editorRef.current;
    if (!editor) return;
    const entry = listFootnotes(editor.state.doc).find((item) => item.pos === pos);
    if (entry) setFootnote({ pos: entry.pos, number: entry.number, note: entry.note });
  }, []);

  const editor = useEditor(
    {
      extensions: [
        ...createEditorExtensions({
          session,
          user,
          onLink: () => setLinkOpen(true),
          onFootnote: () => setFootnote({ pos: null, number: null, note: '' }),
          onEditFootnote: openFootnoteAt,
          onCite: () => setCiteOpen(true),
          onFocusToolbar: () => toolbarRef.current?.focus(),
          onActivateThread: commentsBridge.onActivate,
          onLocateThreads: commentsBridge.onLocate,
        }),
        // After the comment highlights, whose thread locations it reads.
        SourceMargin.configure(sourceBridge.options),
        FindHighlights,
      ],
      editorProps: {
        attributes: {
          id: 'document-editor',
          class: 'document-text',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': 'Document text',
          spellcheck: 'true',
        },
      },
      editable: !readOnly,
      // Content comes from Yjs; rendering on the first pass avoids a flash of nothing.
      immediatelyRender: true,
      shouldRerenderOnTransaction: false,
    },
    [session],
  );
  editorRef.current = editor;

  const contentReady = snapshot.loaded && (snapshot.hasContent || snapshot.phase === 'connected');
  const comments = useComments({
    documentId,
    role: access?.role ?? null,
    groupId: access?.groupId ?? null,
    editor,
    ydoc: session.ydoc,
    bridge: commentsBridge,
    contentReady,
    source,
  });
  // A deleted document, or one the person can no longer open, takes no comments.
  const canStartThread = comments.canComment && !snapshot.deleted && snapshot.access === 'ok';
  const sourceView = useSourceView({
    enabled: source,
    editor,
    comments,
    canCorrectLabels: source && access !== null && can(access.role, 'resolve') && !snapshot.deleted && snapshot.access === 'ok',
    canAnnotate: canStartThread,
    paperRef,
    contentReady,
    bridge: sourceBridge,
  });
  // Version history: one side panel at a time, so it and the comments panel take turns.
  const history = useHistoryPanel({
    documentId,
    role: access?.role ?? null,
    otherPanelOpen: comments.panelOpen,
    closeOtherPanel: () => comments.setPanelOpen(false),
  });

  // Everyone finds; only those who may change the text replace.
  const find = useFind(editor, { canReplace: !readOnly });
  const wordCount = useWordCount(editor);
  const outline = useOutline({ onFocusText: () => focusTextRef.current() });

  useEffect(() => {
    session.setReadOnly(viewOnly || source);
  }, [session, viewOnly, source]);

  useEffect(() => {
    if (editor && !editor.isDestroyed && editor.isEditable === readOnly) editor.setEditable(!readOnly);
  }, [editor, readOnly]);

  useEffect(() => {
    if (snapshot.roleChanges > 0) callbacks.current.onRoleChanged();
  }, [snapshot.roleChanges]);

  useEffect(() => {
    if (snapshot.access === 'revoked') callbacks.current.onRevoked();
    else if (snapshot.access === 'signed-out') callbacks.current.onSignedOut();
  }, [snapshot.access]);

  useEffect(() => {
    if (editor && !editor.isDestroyed) setHeadingNumbering(editor.view, snapshot.numberedHeadings);
  }, [editor, snapshot.numberedHeadings]);

  const title = snapshot.title ?? initialTitle ?? UNTITLED;
  useEffect(() => {
    document.title = `${title} — Concord`;
  }, [title]);

  // Synchronous (Tiptap's focus command waits a frame), so keys pressed right after a dialog
  // closes already go to the text, at the selection it had.
  const focusText = () => {
    if (!editor || editor.isDestroyed) return;
    editor.view.focus();
    editor.commands.scrollIntoView();
  };
  const focusTextRef = useRef(focusText);
  focusTextRef.current = focusText;
  const openLinkDialog = () => {
    if (editor) syncSelectionFromDom(editor.view);
    setLinkOpen(true);
  };
  const openCitationPicker = () => {
    if (editor) syncSelectionFromDom(editor.view);
    setCiteOpen(true);
  };
  const openNewFootnote = () => {
    if (editor) syncSelectionFromDom(editor.view);
    setFootnote({ pos: null, number: null, note: '' });
  };
  const url = `${location.origin}${documentPath(documentId)}`;
  const threadsNoun = source ? 'Annotations' : 'Comments';

  const saveFootnote = (note: string) => {
    if (!editor || !footnote) return;
    const { pos } = footnote;
    asUndoStep(editor, () => {
      if (pos === null) editor.chain().insertFootnote(note).run();
      else editor.chain().updateFootnote(pos, note).run();
    });
    setFootnote(null);
  };

  const deleteFootnote = () => {
    if (!editor || footnote?.pos == null) return;
    const pos = footnote.pos;
    const node = editor.state.doc.nodeAt(pos);
    if (node?.type.name === 'footnote') asUndoStep(editor, () => editor.chain().deleteRange({ from: pos, to: pos + node.nodeSize }).run());
    setFootnote(null);
  };

  const editEntry = (entry: FootnoteEntry) => setFootnote({ pos: entry.pos, number: entry.number, note: entry.note });

  return (
    <div className="editor-screen">
      <a className="skip-link" href="#document-editor" onClick={(event) => { event.preventDefault(); focusText(); }}>
        Skip to document text
      </a>
      <header className="editor-header">
        <Link href="/" className="editor-header__home" aria-label="All drafts" data-tooltip="All drafts">
          <Icon name="arrowLeft" size={20} />
          <span className="brand-mark" aria-hidden="true">C</span>
        </Link>
        <div className={final ? 'editor-header__title editor-header__title--final' : 'editor-header__title'}>
          {access && (
            <>
              <Link href={groupPath(access.groupId)} className="editor-header__group" data-tooltip="Open the working group">
                {access.groupName}
              </Link>
              <span className="editor-header__slash" aria-hidden="true">
                /
              </span>
            </>
          )}
          <TitleField
            title={title}
            readOnly={readOnly}
            autoSelect={justCreated && !readOnly}
            onRename={(next) => session.setTitle(next)}
            onDone={focusText}
          />
          {final && <FinalBadge final={final} />}
        </div>
        <div className="editor-header__side">
          <ConnectionStatus snapshot={snapshot} />
          <PresenceList peers={snapshot.peers} />
          {source && access && !snapshot.deleted && (
            <>
              <CitedIn sourceId={documentId} />
              <Priorities sourceId={documentId} citeAs={access.citeAs ?? title} role={access.role} groupId={access.groupId} />
            </>
          )}
          <button
            type="button"
            className="header-toggle comments-toggle"
            aria-expanded={comments.panelOpen}
            aria-controls="comments-panel"
            aria-label={`${threadsNoun}, ${comments.openCount} open`}
            data-tooltip={comments.panelOpen ? `Hide ${threadsNoun.toLowerCase()}` : `Show ${threadsNoun.toLowerCase()}`}
            onClick={() => comments.setPanelOpen(!comments.panelOpen)}
          >
            <Icon name="comment" size={20} />
            <span className="header-toggle__label">{threadsNoun}</span>
            {comments.openCount > 0 && (
              <span className="count-badge" aria-hidden="true">
                {comments.openCount}
              </span>
            )}
          </button>
          <OutlineToggle outline={outline} />
          {!snapshot.deleted && <HistoryToggle history={history} />}
          {!snapshot.deleted && (
            <ExportButton
              documentId={documentId}
              numberedHeadings={snapshot.numberedHeadings}
              final={final}
              hasCommentThreads={comments.state.threads.length > 0}
              onOpen={props.onRefreshSummary}
              // A source paper is imported as it is: there is no draft to declare final.
              onSetFinal={access && can(access.role, 'resolve') && !source ? props.onSetFinal : undefined}
            />
          )}
          {!snapshot.deleted && <CopyLinkButton url={url} />}
          <NotificationBell />
          <UserMenu />
        </div>
      </header>
      {!snapshot.deleted && <SinceLastVisit documentId={documentId} />}

      {source && access ? (
        <SourceBar
          documentId={documentId}
          title={title}
          citeAs={access.citeAs ?? title}
          annotatedCount={sourceView.counts.size}
          onlyAnnotated={sourceView.onlyAnnotated}
          onOnlyAnnotatedChange={sourceView.setOnlyAnnotated}
          onAnnotate={canStartThread ? comments.startThread : undefined}
          onReimported={can(access.role, 'resolve') && !snapshot.deleted && snapshot.access === 'ok' ? props.onRefreshSummary : undefined}
        />
      ) : (
        viewOnly && access && <ViewOnlyNotice groupName={access.groupName} onComment={canStartThread ? comments.startThread : undefined} />
      )}

      {editor && !viewOnly && !source && (
        <Toolbar
          ref={toolbarRef}
          editor={editor}
          numberedHeadings={snapshot.numberedHeadings}
          onToggleNumberedHeadings={() => session.setNumberedHeadings(!snapshot.numberedHeadings)}
          onLink={openLinkDialog}
          onFootnote={openNewFootnote}
          onCite={openCitationPicker}
          onComment={canStartThread ? comments.startThread : undefined}
        />
      )}

      <SessionBanner snapshot={snapshot} />
      {!source && <TallyInsertion editor={editor} synced={snapshot.phase === 'connected'} editable={!readOnly} />}

      <div className={comments.panelOpen || history.open ? 'editor-body editor-body--with-panel' : 'editor-body'}>
        {outline.open && editor && <OutlinePanel outline={outline} editor={editor} numbered={snapshot.numberedHeadings} onFocusText={focusText} />}
        <main className="page-scroller">
          {find.open && <FindBar find={find} />}
          <article ref={paperRef} className={source ? 'paper paper--source' : 'paper'} aria-label={title} aria-busy={!snapshot.loaded}>
            {!snapshot.loaded && (
              <p className="paper__loading" role="status">
                {source ? 'Opening source paper…' : 'Opening draft…'}
              </p>
            )}
            {source && sourceView.onlyAnnotated && sourceView.counts.size === 0 && snapshot.loaded && (
              <p className="source-filter-empty" role="status">
                No paragraph has annotations yet. Turn off “Only annotated paragraphs” to see the whole paper.
              </p>
            )}
            <div className={snapshot.loaded ? undefined : 'is-hidden'}>
              <EditorContent editor={editor} />
            </div>
            {editor && <FootnotesList editor={editor} onEdit={editEntry} />}
            {sourceView.labelEdit && <LabelEditor sourceId={documentId} edit={sourceView.labelEdit} onClose={sourceView.closeLabelEdit} />}
            {editor && canStartThread && (
              <SelectionCommentButton
                editor={editor}
                containerRef={paperRef}
                hidden={comments.draft !== null}
                source={source}
                onComment={comments.startThread}
              />
            )}
          </article>
        </main>
        {comments.panelOpen && (
          <CommentsPanel comments={comments} documentId={documentId} source={source} onClose={() => comments.setPanelOpen(false)} />
        )}
        {history.open && !snapshot.deleted && <HistoryPanel history={history} />}
      </div>

      {editor && (
        <>
          <LinkBubble editor={editor} onEdit={openLinkDialog} />
          <LinkDialog editor={editor} open={linkOpen} onClose={() => setLinkOpen(false)} onAfterClose={focusText} />
          <CitationPicker editor={editor} open={citeOpen} groupId={access?.groupId ?? null} onClose={() => setCiteOpen(false)} onAfterClose={focusText} />
          <WordCountDialog editor={editor} open={wordCount.open} onClose={() => wordCount.setOpen(false)} onAfterClose={focusText} />
          <FootnoteDialog
            state={footnote}
            onSave={saveFootnote}
            onDelete={deleteFootnote}
            onClose={() => setFootnote(null)}
            onAfterClose={focusText}
          />
        </>
      )}
    </div>
  );
}

/** Why an observer can't type: calm, always visible where the toolbar would be. */
function ViewOnlyNotice({ groupName, onComment }: { groupName: string; onComment?: () => void }) {
  return (
    <div className="view-only-notice" role="note" data-testid="view-only-notice">
      <Icon name="eye" size={18} />
      <p>
        <strong>View only.</strong> You’re an observer in {groupName}: you can read along live as others write, but not change the text.
        {onComment && ' You can comment: select text, then press Comment.'}
      </p>
      {onComment && (
        <button
          type="button"
          className="button button--compact view-only-notice__comment"
          aria-keyshortcuts={isMac ? 'Meta+Alt+M' : 'Control+Alt+M'}
          data-tooltip={`Comment on the selected text (${shortcutLabel('Mod-Alt-m')})`}
          // Keep the selection in the text.
          onMouseDown={(event) => event.preventDefault()}
          onClick={onComment}
        >
          <Icon name="commentAdd" size={18} />
          Comment
        </button>
      )}
    </div>
  );
}

/** Explains situations the status pill alone can't: deletion, refused changes, nothing stored offline. */
function SessionBanner({ snapshot }: { snapshot: SessionSnapshot }) {
  if (snapshot.deleted) {
    return (
      <div className="banner banner--error" role="alert">
        <strong>This document was deleted.</strong> It can no longer be edited or shared, and its copy on this device was removed.{' '}
        <Link href="/">Back to all drafts</Link>
      </div>
    );
  }
  if (snapshot.problem === 'too-big') {
    return (
      <div className="banner banner--warning" role="alert">
        <strong>A change is too large to send.</strong> The server refused it (for example a very large paste). It is kept on this device;
        undo it (Ctrl+Z) so your other edits can be shared.
      </div>
    );
  }
  if (snapshot.problem === 'malformed') {
    return (
      <div className="banner banner--warning" role="status">
        The server couldn’t read a change from this browser. Reconnecting — your text is kept on this device.
      </div>
    );
  }
  if (snapshot.problem === 'refused') {
    return (
      <div className="banner banner--warning" role="alert">
        The server closed the connection and won’t accept this document from this browser. Reload the page to try again.
      </div>
    );
  }
  if (snapshot.phase === 'connected' && snapshot.saveState === 'unsaved') {
    // No role: the status pill announces the same words.
    const { label, detail } = describeConnection(snapshot, false);
    return (
      <div className="banner banner--warning">
        <strong>{label}.</strong> {detail}
      </div>
    );
  }
  if (snapshot.loaded && !snapshot.hasContent && snapshot.phase !== 'connected' && snapshot.phase !== 'connecting') {
    return (
      <div className="banner banner--info" role="status">
        This draft hasn’t been opened on this device before, so there is nothing to show until the connection returns. You can
        start writing; your text will be merged.
      </div>
    );
  }
  if (snapshot.localUnavailable && snapshot.phase !== 'connected') {
    return (
      <div className="banner banner--warning" role="status">
        This browser isn’t letting Concord store a copy on this device (private browsing?). Keep this tab open until you are back online.
      </div>
    );
  }
  return null;
}
