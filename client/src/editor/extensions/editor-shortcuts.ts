/**
 * Shortcuts that open the editor's dialogs or move focus, plus Ctrl/Cmd+click on links.
 * Formatting shortcuts (Ctrl+B/I/U, Ctrl+Alt+1…3, Ctrl+Shift+7/8 …) come with their extensions;
 * undo/redo (Ctrl+Z, Ctrl+Y, Ctrl+Shift+Z) with Collaboration.
 */
import { Extension } from '@tiptap/core';
import { NodeSelection, Plugin, PluginKey } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';

import { Footnote, isAllowedLinkHref } from '../../../../shared/schema/index';

export interface EditorShortcutsOptions {
  /** Ctrl+K */
  onLink: () => void;
  /** Ctrl+Alt+F (as in Google Docs) */
  onFootnote: () => void;
  /** Enter on a selected footnote */
  onEditFootnote: (pos: number) => void;
  /** Alt+F10 (as in Word and most web editors) */
  onFocusToolbar: () => void;
}

/**
 * Makes the editor state catch up with a selection the browser just moved (Shift+arrows, Home …):
 * ProseMirror reads those on the asynchronous 'selectionchange' event, and a shortcut pressed
 * right after would otherwise act on the previous selection — and once a dialog takes focus the
 * change is never read at all. `domObserver` is internal to ProseMirror, hence the guard.
 */
export function syncSelectionFromDom(view: EditorView): void {
  (view as unknown as { domObserver?: { flush?: () => void } }).domObserver?.flush?.();
}

export const EditorShortcuts = Extension.create<EditorShortcutsOptions>({
  name: 'editorShortcuts',
  // Before list and paragraph handlers, so Enter on a selected footnote opens it instead of
  // replacing it with a new paragraph.
  priority: 1100,

  addOptions() {
    return { onLink: () => undefined, onFootnote: () => undefined, onEditFootnote: () => undefined, onFocusToolbar: () => undefined };
  },

  addKeyboardShortcuts() {
    const editSelectedFootnote = () => {
      const { selection } = this.editor.state;
      if (!this.editor.isEditable || !(selection instanceof NodeSelection) || selection.node.type.name !== Footnote.name) return false;
      this.options.onEditFootnote(selection.from);
      return true;
    };
    const whenEditable = (action: () => void) => () => {
      if (!this.editor.isEditable) return false;
      syncSelectionFromDom(this.editor.view);
      action();
      return true;
    };
    return {
      'Mod-k': whenEditable(() => this.options.onLink()),
      'Mod-Alt-f': whenEditable(() => this.options.onFootnote()),
      'Alt-F10': () => {
        this.options.onFocusToolbar();
        return true;
      },
      Enter: editSelectedFootnote,
    };
  },

  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('openLinkOnModClick'),
        props: {
          // Links don't open on a plain click (that places the caret, as in Word and Docs);
          // Ctrl/Cmd+click opens them in a new tab.
          handleClick: (_view, _pos, event) => {
            if (!(event.ctrlKey || event.metaKey)) return false;
            const anchor = (event.target as HTMLElement | null)?.closest?.('a[href]');
            const href = anchor?.getAttribute('href');
            if (!href || !isAllowedLinkHref(href)) return false;
            window.open(href, '_blank', 'noopener,noreferrer');
            return true;
          },
        },
      }),
    ];
  },
});
