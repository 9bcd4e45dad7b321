/**
 * Others' caret labels show while that person is moving or typing, then fade (as in Google Docs),
 * and again on hover; a label that always showed covered the line above. The caret element is made
 * by renderCaret (data-name), and this plugin marks it active for a moment whenever that person's
 * cursor changes (not on awareness heartbeats, which repeat the same cursor).
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import type { Awareness } from 'y-protocols/awareness';

export const CARET_ACTIVE_CLASS = 'collab-caret--active';
export const CARET_ACTIVE_MS = 3000;

const activeTimers = new WeakMap<HTMLElement, ReturnType<typeof setTimeout>>();

/** Marks a caret element active now, for CARET_ACTIVE_MS. */
export function markCaretActive(caret: HTMLElement): void {
  caret.classList.add(CARET_ACTIVE_CLASS);
  clearTimeout(activeTimers.get(caret));
  activeTimers.set(
    caret,
    setTimeout(() => {
      caret.classList.remove(CARET_ACTIVE_CLASS);
      activeTimers.delete(caret);
    }, CARET_ACTIVE_MS),
  );
}

export const CaretActivity = Extension.create<{ awareness: Awareness | null }>({
  name: 'caretActivity',

  addOptions() {
    return { awareness: null };
  },

  addProseMirrorPlugins() {
    const awareness = this.options.awareness;
    if (!awareness) return [];
    return [
      new Plugin({
        key: new PluginKey('caretActivity'),
        view: (view) => {
          const lastCursor = new Map<number, string>();
          const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
            for (const clientId of removed) lastCursor.delete(clientId);
            for (const clientId of [...added, ...updated]) {
              if (clientId === awareness.clientID) continue;
              const state = awareness.getStates().get(clientId) as { cursor?: unknown; user?: { name?: unknown } } | undefined;
              const cursor = JSON.stringify(state?.cursor ?? null);
              if (lastCursor.get(clientId) === cursor) continue;
              lastCursor.set(clientId, cursor);
              const name = state?.user?.name;
              if (typeof name !== 'string') continue;
              // After the decorations are redrawn for this change.
              requestAnimationFrame(() => {
                for (const caret of view.dom.querySelectorAll<HTMLElement>('.collab-caret')) if (caret.dataset.name === name) markCaretActive(caret);
              });
            }
          };
          awareness.on('change', onChange);
          return { destroy: () => awareness.off('change', onChange) };
        },
      }),
    ];
  },
});
