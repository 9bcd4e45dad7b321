/**
 * Keys a Docs or Word user expects to stay in the text:
 * - Tab and Shift+Tab indent list items and move between table cells (their own extensions), and
 *   elsewhere do nothing rather than move focus out of the document mid-sentence (Tab then Enter
 *   used to follow the next link on the page). Esc, then Tab (or Shift+Tab), leaves the text, as
 *   in Google Docs.
 * - Redo (Ctrl+Y, Ctrl+Shift+Z) with nothing to redo does nothing: the keystroke is kept from
 *   falling through to anything else (it used to undo).
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';

/** The element Tab (or Shift+Tab) would reach from `from`, skipping what is inside it. */
function nextFocusable(from: HTMLElement, backwards: boolean): HTMLElement | null {
  const candidates = Array.from(document.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (element) => element !== from && !from.contains(element) && element.getClientRects().length > 0 && !element.closest('[inert], [aria-hidden="true"]'),
  );
  const after = (element: HTMLElement) => Boolean(from.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING);
  return backwards ? (candidates.filter((element) => !after(element)).pop() ?? null) : (candidates.find(after) ?? null);
}

const leaveKey = new PluginKey('leaveTextWithEscapeTab');

/** Runs before the list and table handlers: Esc arms it, and the Tab right after leaves the text. */
export const LeaveTextWithEscapeTab = Extension.create({
  name: 'leaveTextWithEscapeTab',
  priority: 1200,

  addProseMirrorPlugins() {
    let escaped = false;
    return [
      new Plugin({
        key: leaveKey,
        props: {
          handleKeyDown: (view, event) => {
            const wasEscaped = escaped;
            escaped = event.key === 'Escape';
            if (!wasEscaped || event.key !== 'Tab' || event.ctrlKey || event.altKey || event.metaKey) return false;
            const target = nextFocusable(view.dom, event.shiftKey);
            if (!target) {
              view.dom.blur();
              return true;
            }
            target.focus();
            return true;
          },
          handleDOMEvents: {
            blur: () => {
              escaped = false;
              return false;
            },
          },
        },
      }),
    ];
  },
});

/** The last word on Tab and redo, after every extension that gives them a meaning. */
export const KeepTabAndRedoInText = Extension.create({
  name: 'keepTabAndRedoInText',
  priority: 1,

  addKeyboardShortcuts() {
    const swallowWhenEditable = () => this.editor.isEditable;
    return {
      Tab: swallowWhenEditable,
      'Shift-Tab': swallowWhenEditable,
      'Mod-y': swallowWhenEditable,
      'Shift-Mod-z': swallowWhenEditable,
    };
  },
});
