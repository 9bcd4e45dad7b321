/**
 * Highlights of the text that comment threads are anchored to, as ProseMirror decorations: never
 * marks in the document (threads are not part of the shared Y.Doc, and observers cannot change
 * it). Each anchor (two Yjs relative positions) is resolved against the current document:
 *
 * - right away for changes that came from Yjs (a collaborator's edit, an undo: y-prosemirror has
 *   already rebuilt its mapping when it dispatches them), so highlights follow concurrent edits;
 * - for local edits, the highlights are first mapped through the edit and then, once
 *   y-prosemirror has written it to the Y.Doc (its view update), resolved again from the anchors.
 *
 * After each resolution the plugin reports where every thread is (`onLocate`): the panel orders
 * threads by it and marks those whose text was removed. A click on a highlight activates its
 * thread (`onActivate`), in the read-only editor too; a click elsewhere in the text deactivates it.
 */
import { Extension } from '@tiptap/core';
import type { EditorState, Transaction } from '@tiptap/pm/state';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';

import type { Anchor } from '../../../shared/api/index';
import { resolveAnchor, type ProsemirrorMapping } from '../../../shared/comments/index';
import { CONTENT_FRAGMENT } from '../../../shared/protocol/index';

/** The id of the highlight of a thread being written (not yet posted). */
export const DRAFT_ID = 'draft';

export interface HighlightTarget {
  id: string;
  anchor: Anchor;
}

export interface HighlightInput {
  /** Threads to highlight (open ones; resolved threads are not highlighted). */
  highlighted: HighlightTarget[];
  /** Every thread whose place in the document is wanted (for ordering), highlighted or not. */
  located: HighlightTarget[];
  activeId: string | null;
  /** The text a new thread is being written about. */
  draft: Anchor | null;
}

/** Where threads are now: ProseMirror start position, or null when their text was removed. */
export interface ThreadLocations {
  /** False until the editor shows the shared document (before that, nothing can be located). */
  ready: boolean;
  positions: ReadonlyMap<string, { from: number; to: number } | null>;
}

interface HighlightState extends HighlightInput {
  decorations: DecorationSet;
  locations: ThreadLocations;
}

type Meta = { kind: 'set'; input: HighlightInput } | { kind: 'resolve' };

export const commentHighlightsKey = new PluginKey<HighlightState>('commentHighlights');

export interface CommentHighlightsOptions {
  ydoc: Y.Doc | null;
  /** A click in the text: on a highlight (its thread), or elsewhere (null). */
  onActivate: (threadId: string | null) => void;
  onLocate: (locations: ThreadLocations) => void;
}

/** Sends the threads (and which is active) to the highlight plugin of `view`. */
export function setCommentHighlights(view: EditorView, input: HighlightInput): void {
  if (view.isDestroyed) return;
  view.dispatch(view.state.tr.setMeta(commentHighlightsKey, { kind: 'set', input } satisfies Meta).setMeta('addToHistory', false));
}

function bindingOf(state: EditorState): { mapping: ProsemirrorMapping } | null {
  const sync = ySyncPluginKey.getState(state) as { binding?: { mapping?: ProsemirrorMapping } } | undefined;
  return sync?.binding?.mapping ? { mapping: sync.binding.mapping } : null;
}

const EMPTY_LOCATIONS: ThreadLocations = { ready: false, positions: new Map() };

/** Resolves every anchor against the state's document and builds the decorations. */
function resolveAll(state: EditorState, ydoc: Y.Doc | null, input: HighlightInput): Pick<HighlightState, 'decorations' | 'locations'> {
  const binding = bindingOf(state);
  if (!ydoc || !binding) return { decorations: DecorationSet.empty, locations: EMPTY_LOCATIONS };
  const fragment = ydoc.getXmlFragment(CONTENT_FRAGMENT);
  // Until y-prosemirror has rendered the shared document, its mapping is empty and every anchor
  // would look removed.
  const first = fragment.length > 0 ? fragment.get(0) : null;
  const ready = first === null || binding.mapping.has(first as Y.AbstractType<unknown>);
  if (!ready) return { decorations: DecorationSet.empty, locations: EMPTY_LOCATIONS };

  const size = state.doc.content.size;
  const resolve = (anchor: Anchor) => {
    const range = resolveAnchor(ydoc, fragment, binding.mapping, state.doc, anchor);
    if (!range) return null;
    const from = Math.max(0, Math.min(range.from, size));
    const to = Math.max(from, Math.min(range.to, size));
    return to > from ? { from, to } : null;
  };

  const positions = new Map<string, { from: number; to: number } | null>();
  for (const target of input.located) positions.set(target.id, resolve(target.anchor));

  const decorations: Decoration[] = [];
  const add = (id: string, range: { from: number; to: number } | null, className: string) => {
    if (!range) return;
    decorations.push(
      Decoration.inline(range.from, range.to, { class: className, 'data-thread-id': id }, { threadId: id, length: range.to - range.from }),
    );
  };
  for (const target of input.highlighted) {
    const range = positions.has(target.id) ? positions.get(target.id)! : resolve(target.anchor);
    add(target.id, range, target.id === input.activeId ? 'comment-highlight comment-highlight--active' : 'comment-highlight');
  }
  if (input.draft) add(DRAFT_ID, resolve(input.draft), 'comment-highlight comment-highlight--draft');

  return { decorations: DecorationSet.create(state.doc, decorations), locations: { ready: true, positions } };
}

/** The thread whose highlight is at `pos` (the innermost when highlights overlap). */
export function threadAt(state: EditorState, pos: number): string | null {
  const plugin = commentHighlightsKey.getState(state);
  if (!plugin) return null;
  const found = plugin.decorations.find(pos, pos, (spec: { threadId?: string }) => typeof spec.threadId === 'string' && spec.threadId !== DRAFT_ID);
  let best: { id: string; length: number } | null = null;
  for (const decoration of found) {
    const spec = decoration.spec as { threadId: string; length: number };
    if (decoration.from > pos || decoration.to < pos) continue;
    if (!best || spec.length < best.length) best = { id: spec.threadId, length: spec.length };
  }
  return best?.id ?? null;
}

export const CommentHighlights = Extension.create<CommentHighlightsOptions>({
  name: 'commentHighlights',

  addOptions() {
    return { ydoc: null, onActivate: () => undefined, onLocate: () => undefined };
  },

  addProseMirrorPlugins() {
    const options = this.options;
    const initialInput: HighlightInput = { highlighted: [], located: [], activeId: null, draft: null };

    return [
      new Plugin<HighlightState>({
        key: commentHighlightsKey,
        state: {
          init: () => ({ ...initialInput, decorations: DecorationSet.empty, locations: EMPTY_LOCATIONS }),
          apply: (tr: Transaction, value: HighlightState, _old: EditorState, state: EditorState): HighlightState => {
            const meta = tr.getMeta(commentHighlightsKey) as Meta | undefined;
            const sync = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
            if (meta?.kind === 'set') return { ...value, ...meta.input, ...resolveAll(state, options.ydoc, meta.input) };
            if (meta?.kind === 'resolve' || (tr.docChanged && sync?.isChangeOrigin)) {
              return { ...value, ...resolveAll(state, options.ydoc, value) };
            }
            if (tr.docChanged) return { ...value, decorations: value.decorations.map(tr.mapping, tr.doc) };
            return value;
          },
        },
        props: {
          decorations: (state) => commentHighlightsKey.getState(state)?.decorations ?? DecorationSet.empty,
          handleClick: (view, pos) => {
            options.onActivate(threadAt(view.state, pos));
            // The click still places the caret (or selects) as usual.
            return false;
          },
        },
        view: () => {
          let reported: ThreadLocations | null = null;
          let scheduled = false;
          let destroyed = false;
          return {
            update: (view, previous) => {
              const state = commentHighlightsKey.getState(view.state);
              if (state && state.locations !== reported) {
                reported = state.locations;
                options.onLocate(state.locations);
              }
              // A local edit: y-prosemirror has now written it to the Y.Doc (its own view update
              // runs in this same update), so the anchors can be resolved exactly again.
              const sync = ySyncPluginKey.getState(view.state) as { isChangeOrigin?: boolean } | undefined;
              if (view.state.doc !== previous.doc && !sync?.isChangeOrigin && !scheduled) {
                scheduled = true;
                queueMicrotask(() => {
                  scheduled = false;
                  if (destroyed || view.isDestroyed) return;
                  view.dispatch(view.state.tr.setMeta(commentHighlightsKey, { kind: 'resolve' } satisfies Meta).setMeta('addToHistory', false));
                });
              }
            },
            destroy: () => {
              destroyed = true;
            },
          };
        },
      }),
    ];
  },
});
