/**
 * Everything the editor screen needs for comment threads, in one place: the threads (live), where
 * each one is in the document (from the highlight plugin), which one is active, the thread being
 * written, the side panel's open state, the group's members for @mentions, and the actions
 * (start, reply, edit, delete, resolve, reopen) with the server's answer applied at once.
 */
import type { Editor } from '@tiptap/react';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type * as Y from 'yjs';

import { can, QUOTE_MAX_LENGTH, type Anchor, type Role, type Stance } from '../../../shared/api/index';
import { encodeAnchor, type ProsemirrorMapping } from '../../../shared/comments/index';
import { CONTENT_FRAGMENT } from '../../../shared/protocol/index';
import {
  createThread,
  deleteComment,
  editComment,
  reopenThread,
  replyToThread,
  resolveThread,
  type ThreadView,
} from '../api/comments';
import { getGroup } from '../api/groups';
import { assignThread } from '../api/notifications';
import { useCurrentUser } from '../auth/session';
import { syncSelectionFromDom } from '../editor/extensions/editor-shortcuts';
import type { AssignablePerson } from '../notifications/AssignControl';
import { queryParam, useSearch } from '../router';
import { announce } from '../ui/announce';
import { setCommentHighlights, type ThreadLocations } from './comment-highlights';
import type { MentionPerson } from './MentionTextarea';
import type { ThreadActions } from './ThreadCard';
import { useThreads, type ThreadsState } from './useThreads';

/** How the highlight plugin reaches the React state (its callbacks are fixed when the editor is made). */
export interface CommentsBridge {
  onActivate: (threadId: string | null) => void;
  onLocate: (locations: ThreadLocations) => void;
}

export function useCommentsBridge() {
  const bridge = useRef<CommentsBridge>({ onActivate: () => undefined, onLocate: () => undefined });
  // Stable functions for the extension's options.
  return useMemo(
    () => ({
      ref: bridge,
      onActivate: (threadId: string | null) => bridge.current.onActivate(threadId),
      onLocate: (locations: ThreadLocations) => bridge.current.onLocate(locations),
    }),
    [],
  );
}

export interface Draft {
  anchor: Anchor;
  quote: string;
  /** Changes with every new start, so the composer is focused again. */
  key: number;
}

export interface OrderedThreads {
  /** Every thread, in the order of its text in the document (removed text last, oldest first). */
  threads: ThreadView[];
  numbers: ReadonlyMap<string, number>;
  removed: ReadonlySet<string>;
}

const PANEL_KEY = 'concord.comments-panel';
const NO_LOCATIONS: ThreadLocations = { ready: false, positions: new Map() };

function readPanelPreference(): boolean {
  try {
    const stored = localStorage.getItem(PANEL_KEY);
    if (stored === 'open') return true;
    if (stored === 'closed') return false;
  } catch {
    // no storage
  }
  // Beside the page when there is room for both; over it (closed at first) on smaller screens.
  return typeof window === 'undefined' || window.innerWidth > 1180;
}

/** What decides the panel's order: the sequence of threads and which are removed (not the exact positions). */
function orderSignature(locations: ThreadLocations): string {
  if (!locations.ready) return 'not-ready';
  const entries = [...locations.positions];
  entries.sort((a, b) => (a[1]?.from ?? Infinity) - (b[1]?.from ?? Infinity));
  return entries.map(([id, range]) => (range ? id : `${id}:removed`)).join(',');
}

export interface CommentsOptions {
  documentId: string;
  role: Role | null;
  groupId: string | null;
  editor: Editor | null;
  ydoc: Y.Doc;
  bridge: ReturnType<typeof useCommentsBridge>;
  /**
   * The editor shows the document's real content (from this device or the server). Before that,
   * every anchor would resolve to nothing, and no thread may be called "text removed".
   */
  contentReady: boolean;
  /** A source paper: threads are annotations, and the messages say so. */
  source: boolean;
}

export interface Comments {
  state: ThreadsState;
  ordered: OrderedThreads;
  openCount: number;
  selfId: string;
  canComment: boolean;
  canResolve: boolean;
  /** Co-chairs and the secretariat assign threads… */
  canAssign: boolean;
  /** …to the group's co-chairs, members and secretariat. */
  assignable: AssignablePerson[];
  people: MentionPerson[];
  activeId: string | null;
  /** Selects a thread (from the panel): highlights its text strongly and scrolls to it. */
  activate: (threadId: string | null) => void;
  draft: Draft | null;
  /** Starts a thread on the editor's selection (toolbar, floating button, Ctrl+Alt+M). */
  startThread: () => void;
  /** Starts a thread on the text between two positions (a source paper's whole paragraph). */
  startThreadOn: (from: number, to: number) => void;
  /** Posts the thread being written; `stance` only on a source paper. */
  postDraft: (body: string, mentions: string[], stance?: Stance) => Promise<void>;
  cancelDraft: () => void;
  actions: ThreadActions;
  panelOpen: boolean;
  setPanelOpen: (open: boolean) => void;
  /** A thread the panel should bring into view (and focus), set when it is activated from the text. */
  reveal: { id: string; focus: boolean; seq: number } | null;
}

export function useComments({ documentId, role, groupId, editor, ydoc, bridge, contentReady, source }: CommentsOptions): Comments {
  const user = useCurrentUser();
  const state = useThreads(documentId);
  const [locations, setLocations] = useState<ThreadLocations>(NO_LOCATIONS);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [panelOpen, setPanelOpenState] = useState(readPanelPreference);
  const [members, setMembers] = useState<(MentionPerson & { role: Role })[]>([]);
  const [reveal, setReveal] = useState<Comments['reveal']>(null);
  const signature = useRef('not-ready');
  const canComment = can(role, 'comment');
  const canResolve = can(role, 'resolve');

  const setPanelOpen = useCallback((open: boolean) => {
    setPanelOpenState(open);
    try {
      localStorage.setItem(PANEL_KEY, open ? 'open' : 'closed');
    } catch {
      // no storage: remembered for this page only
    }
  }, []);

  const revealInPanel = useCallback((id: string, focus: boolean) => {
    setReveal((current) => ({ id, focus, seq: (current?.seq ?? 0) + 1 }));
  }, []);

  // The highlight plugin's callbacks.
  bridge.ref.current = {
    onActivate: (threadId) => {
      setActiveId(threadId);
      if (!threadId) return;
      setPanelOpenState(true);
      revealInPanel(threadId, false);
    },
    onLocate: (next) => {
      const nextSignature = orderSignature(next);
      if (nextSignature === signature.current) return;
      signature.current = nextSignature;
      setLocations(next);
    },
  };

  useEffect(() => {
    if (!groupId) return;
    const controller = new AbortController();
    getGroup(groupId, controller.signal)
      .then((group) => setMembers(group.members.map((member) => ({ id: member.userId, name: member.name, color: member.color, role: member.role }))))
      .catch(() => undefined); // without the list, @mentions just don't autocomplete
    return () => controller.abort();
  }, [groupId]);

  const people = useMemo(
    () => members.filter((member) => member.id !== user.id).map(({ id, name, color }) => ({ id, name, color })),
    [members, user.id],
  );
  const assignable = useMemo(
    () => members.filter((member) => can(member.role, 'edit')).map(({ id, name }) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
    [members],
  );
  const canAssign = can(role, 'resolve') || can(role, 'manage');

  // Tell the highlight plugin what to show whenever threads, the active one or the draft change.
  const threads = state.threads;
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    setCommentHighlights(editor.view, {
      highlighted: threads.filter((thread) => thread.status === 'open').map(({ id, anchor }) => ({ id, anchor })),
      located: threads.map(({ id, anchor }) => ({ id, anchor })),
      activeId,
      draft: draft?.anchor ?? null,
    });
  }, [editor, threads, activeId, draft]);

  // A thread that disappeared (deleted elsewhere) can't stay active.
  useEffect(() => {
    if (activeId && !threads.some((thread) => thread.id === activeId)) setActiveId(null);
  }, [threads, activeId]);

  const ordered = useMemo<OrderedThreads>(() => {
    const where = (thread: ThreadView) => {
      if (!locations.ready || !locations.positions.has(thread.id)) return Number.MAX_SAFE_INTEGER - 1;
      return locations.positions.get(thread.id)?.from ?? Number.MAX_SAFE_INTEGER;
    };
    const sorted = [...threads].sort((a, b) => where(a) - where(b) || a.createdAt.localeCompare(b.createdAt));
    const removed = new Set<string>();
    if (locations.ready && contentReady) for (const thread of threads) if (locations.positions.get(thread.id) === null) removed.add(thread.id);
    return { threads: sorted, numbers: new Map(sorted.map((thread, index) => [thread.id, index + 1])), removed };
  }, [threads, locations, contentReady]);

  const activate = useCallback(
    (threadId: string | null) => {
      setActiveId(threadId);
      if (!threadId || !editor || editor.isDestroyed) return;
      // Bring the text into view (after the stronger highlight is drawn).
      requestAnimationFrame(() => {
        const highlight = editor.view.dom.querySelector(`[data-thread-id="${CSS.escape(threadId)}"]`);
        highlight?.scrollIntoView({ block: 'nearest', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
      });
    },
    [editor],
  );

  const startThreadOn = useCallback(
    (from: number, to: number) => {
      if (!editor || editor.isDestroyed || !canComment) return;
      const quote = from === to ? '' : editor.state.doc.textBetween(from, to, '\n', ' ').replace(/[ \t]+/g, ' ').trim();
      if (!quote) {
        announce(source ? 'Select the text you want to annotate first.' : 'Select the text you want to comment on first.');
        return;
      }
      const sync = ySyncPluginKey.getState(editor.state) as { binding?: { mapping?: ProsemirrorMapping } } | undefined;
      const mapping = sync?.binding?.mapping;
      if (!mapping) {
        announce('The draft is still opening. Try again in a moment.');
        return;
      }
      let anchor: Anchor;
      try {
        anchor = encodeAnchor(ydoc.getXmlFragment(CONTENT_FRAGMENT), mapping, from, to);
      } catch {
        announce(source ? 'That text can’t be annotated. Select some other text.' : 'That text can’t be commented on. Select some other text.');
        return;
      }
      const clipped = quote.length > QUOTE_MAX_LENGTH ? `${quote.slice(0, QUOTE_MAX_LENGTH - 1)}…` : quote;
      setDraft((current) => ({ anchor, quote: clipped, key: (current?.key ?? 0) + 1 }));
      setActiveId(null);
      setPanelOpen(true);
    },
    [editor, canComment, source, ydoc, setPanelOpen],
  );

  const startThread = useCallback(() => {
    if (!editor || editor.isDestroyed) return;
    syncSelectionFromDom(editor.view);
    const { from, to } = editor.state.selection;
    startThreadOn(from, to);
  }, [editor, startThreadOn]);

  const postDraft = useCallback(
    async (body: string, mentions: string[], stance?: Stance) => {
      if (!draft) return;
      const thread = await createThread(documentId, { anchor: draft.anchor, quote: draft.quote, body, mentions, ...(stance ? { stance } : {}) });
      state.apply(thread);
      setDraft(null);
      // The text is now highlighted; leave the caret at its end rather than the selection (and its Comment button) in place.
      if (editor && !editor.isDestroyed && !editor.state.selection.empty) editor.commands.setTextSelection(editor.state.selection.to);
      setActiveId(thread.id);
      revealInPanel(thread.id, true);
      announce(source ? 'Annotation posted.' : 'Comment posted.');
    },
    [draft, documentId, state, revealInPanel, editor, source],
  );

  const cancelDraft = useCallback(() => {
    setDraft(null);
    if (editor && !editor.isDestroyed && editor.isEditable) editor.view.focus();
  }, [editor]);

  const { apply, remove } = state;
  const actions = useMemo<ThreadActions>(
    () => ({
      reply: async (threadId, body, mentions) => {
        apply(await replyToThread(documentId, threadId, { body, mentions }));
        announce('Reply posted.');
      },
      edit: async (threadId, commentId, body, mentions) => {
        apply(await editComment(documentId, threadId, commentId, { body, mentions }));
        announce('Comment saved.');
      },
      remove: async (threadId, commentId) => {
        const thread = await deleteComment(documentId, threadId, commentId);
        if (thread) apply(thread);
        else remove(threadId);
        announce(thread ? 'Comment deleted.' : 'Comment and thread deleted.');
      },
      resolve: async (threadId, disposition, reason) => {
        apply(await resolveThread(documentId, threadId, { disposition, reason }));
        announce('Thread resolved.');
      },
      reopen: async (threadId) => {
        apply(await reopenThread(documentId, threadId));
        announce('Thread reopened.');
      },
      assign: async (threadId, assigneeId, dueDate) => {
        apply(await assignThread(documentId, threadId, { assigneeId, dueDate }));
        announce(assigneeId ? 'Thread assigned.' : 'Assignment cleared.');
      },
    }),
    [documentId, apply, remove],
  );

  // /d/<id>?thread=<threadId> (a notification's link): open the panel at that thread once it is here.
  const search = useSearch();
  const linkedThread = useMemo(() => queryParam('thread'), [search]); // eslint-disable-line react-hooks/exhaustive-deps
  const shownLink = useRef<string | null>(null);
  useEffect(() => {
    if (!linkedThread || shownLink.current === linkedThread || !threads.some((thread) => thread.id === linkedThread)) return;
    shownLink.current = linkedThread;
    setPanelOpenState(true);
    activate(linkedThread);
    revealInPanel(linkedThread, true);
  }, [linkedThread, threads, activate, revealInPanel]);

  // Ctrl+Alt+M (⌘+⌥+M), as in Google Docs. Listened for on the window rather than as an editor
  // key binding: the read-only editor of observers doesn't handle keys, and they comment too.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || !event.altKey || event.shiftKey || event.code !== 'KeyM') return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable="true"]') && !target.closest('.ProseMirror')) return;
      event.preventDefault();
      startThread();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [startThread]);

  return {
    state,
    ordered,
    openCount: threads.filter((thread) => thread.status === 'open').length,
    selfId: user.id,
    canComment,
    canResolve,
    canAssign,
    assignable,
    people,
    activeId,
    activate,
    draft,
    startThread,
    startThreadOn,
    postDraft,
    cancelDraft,
    actions,
    panelOpen,
    setPanelOpen,
    reveal,
  };
}

function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}
