/**
 * The editor's extension list: the shared document schema plus collaboration (Yjs sync,
 * own-edits-only undo, remote carets) and editor behaviour (placeholder, paste clean-up,
 * footnote numbering, citation chips, shortcuts, comment highlights).
 */
import type { Extensions } from '@tiptap/core';
import { Collaboration } from '@tiptap/extension-collaboration';
import { CollaborationCaret } from '@tiptap/extension-collaboration-caret';
import { Placeholder } from '@tiptap/extensions';

import { createDocumentExtensions } from '../../../../shared/schema/index';
import { CONTENT_FRAGMENT, type AwarenessUser } from '../../../../shared/protocol/index';
import { CommentHighlights, type ThreadLocations } from '../../comments/comment-highlights';
import type { CollabSession } from '../collab-session';
import { CitationShortcuts, CitationWithView } from './citation-view';
import { EditorShortcuts, type EditorShortcutsOptions } from './editor-shortcuts';
import { KeepTabAndRedoInText, LeaveTextWithEscapeTab } from './tab-and-redo';
import { SmartTypography } from './smart-typography';
import { CaretActivity, markCaretActive } from './caret-activity';

export { syncSelectionFromDom } from './editor-shortcuts';
import { FootnoteWithView } from './footnote-view';
import { HeadingNumbering } from './heading-numbering';
import { LinkBoundary } from './link-boundary';
import { PasteCleanup } from './paste-cleanup';

export { HeadingNumbering, setHeadingNumbering } from './heading-numbering';

export interface EditorExtensionOptions extends EditorShortcutsOptions {
  session: CollabSession;
  user: AwarenessUser;
  /** A click in the text: on a comment highlight (its thread) or elsewhere (null). */
  onActivateThread: (threadId: string | null) => void;
  /** Where the comment threads are in the document, after each change. */
  onLocateThreads: (locations: ThreadLocations) => void;
  /** Opens the citation picker (Ctrl+Alt+C). */
  onCite: () => void;
}

/** A remote caret: a thin bar in the person's colour with their name above it. */
function renderCaret(user: Record<string, unknown>): HTMLElement {
  const color = typeof user.color === 'string' ? user.color : '#455A64';
  const caret = document.createElement('span');
  caret.className = 'collab-caret';
  caret.style.borderColor = color;
  // Screen readers get presence from the people list; the label would be read as document text.
  caret.setAttribute('aria-hidden', 'true');
  const label = document.createElement('span');
  label.className = 'collab-caret__label';
  label.style.backgroundColor = color;
  label.textContent = typeof user.name === 'string' ? user.name : 'Someone';
  caret.dataset.name = label.textContent;
  caret.appendChild(label);
  // A caret appears because its person just arrived or moved: name it for a moment.
  markCaretActive(caret);
  return caret;
}

export function createEditorExtensions(options: EditorExtensionOptions): Extensions {
  const { session, user } = options;
  return [
    ...createDocumentExtensions({ footnote: FootnoteWithView.configure({ onEdit: options.onEditFootnote }), citation: CitationWithView }),
    Collaboration.configure({ document: session.ydoc, field: CONTENT_FRAGMENT }),
    CollaborationCaret.configure({
      provider: session.provider,
      user,
      render: renderCaret,
      selectionRender: (remote) => ({
        nodeName: 'span',
        class: 'collab-selection',
        style: `background-color: ${String(remote.color)}33`,
        'data-user': String(remote.name ?? ''),
      }),
    }),
    Placeholder.configure({
      placeholder: ({ editor }) => (editor.isEmpty ? 'Start drafting here. Use the toolbar, or Ctrl+Alt+1 for a heading.' : ''),
      showOnlyWhenEditable: true,
    }),
    PasteCleanup,
    HeadingNumbering,
    CommentHighlights.configure({ ydoc: session.ydoc, onActivate: options.onActivateThread, onLocate: options.onLocateThreads }),
    LinkBoundary,
    CitationShortcuts.configure({ onCite: options.onCite }),
    EditorShortcuts.configure({
      onLink: options.onLink,
      onFootnote: options.onFootnote,
      onEditFootnote: options.onEditFootnote,
      onFocusToolbar: options.onFocusToolbar,
    }),
    LeaveTextWithEscapeTab,
    KeepTabAndRedoInText,
    SmartTypography,
    CaretActivity.configure({ awareness: session.provider.awareness }),
  ];
}
