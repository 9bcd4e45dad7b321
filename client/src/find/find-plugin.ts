/**
 * The matches of the find bar as ProseMirror decorations (never marks: nothing is written to the
 * shared document, and observers can search a text they cannot change). Whenever the document
 * changes (own typing, a collaborator's edit arriving through Yjs, an undo) the matches are found
 * again and the current one stays where it was: its start is mapped through the change and the
 * first match from there becomes current.
 */
import { Extension } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';

import { findInDocument, type FindOptions, type TextRange } from './find-matches';

export interface FindState extends FindOptions {
  query: string;
  matches: TextRange[];
  /** Index into matches; -1 when there are none. */
  current: number;
  decorations: DecorationSet;
}

type FindMeta =
  | { kind: 'search'; query: string; options: FindOptions; near: number }
  | { kind: 'current'; index: number }
  /** After a replacement: the match from `near` on becomes current. */
  | { kind: 'near'; near: number };

export const findKey = new PluginKey<FindState>('find');

const EMPTY: FindState = { query: '', matchCase: false, wholeWord: false, matches: [], current: -1, decorations: DecorationSet.empty };

function firstFrom(matches: TextRange[], pos: number): number {
  if (matches.length === 0) return -1;
  const index = matches.findIndex((match) => match.to > pos);
  return index === -1 ? 0 : index;
}

function decorate(doc: ProseMirrorNode, matches: TextRange[], current: number): DecorationSet {
  return DecorationSet.create(
    doc,
    matches.map((match, index) =>
      Decoration.inline(match.from, match.to, index === current ? { class: 'find-match find-match--current', 'data-find-current': '' } : { class: 'find-match' }),
    ),
  );
}

function searchState(doc: ProseMirrorNode, query: string, options: FindOptions, near: number): FindState {
  const matches = findInDocument(doc, query, options);
  const current = firstFrom(matches, near);
  return { query, ...options, matches, current, decorations: decorate(doc, matches, current) };
}

/**
 * Where `pos` of the previous document is after `tr`. A change that came from Yjs (a
 * collaborator's edit, an undo) replaces the whole document in one step, whose mapping would send
 * every position to the start; the part that really differs is found by comparing the documents.
 */
function mapPosition(tr: Transaction, pos: number): number {
  const sync = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
  if (!sync?.isChangeOrigin) return tr.mapping.map(pos, -1);
  const before = tr.before.content;
  const after = tr.doc.content;
  const start = before.findDiffStart(after);
  if (start === null || pos < start) return pos;
  const end = before.findDiffEnd(after);
  if (!end) return pos;
  // Counted from the ends, so the difference is the change in size.
  return pos >= Math.max(end.a, start) ? pos + (end.b - end.a) : start;
}

function apply(tr: Transaction, previous: FindState, newState: EditorState): FindState {
  const meta = tr.getMeta(findKey) as FindMeta | undefined;
  if (meta?.kind === 'search') return searchState(newState.doc, meta.query, meta.options, meta.near);
  if (previous.query === '') return previous;
  if (meta?.kind === 'near') return searchState(newState.doc, previous.query, previous, meta.near);
  if (tr.docChanged) {
    const was = previous.matches[previous.current];
    return searchState(newState.doc, previous.query, previous, was ? mapPosition(tr, was.from) : 0);
  }
  if (meta?.kind === 'current' && previous.matches.length > 0) {
    const current = ((meta.index % previous.matches.length) + previous.matches.length) % previous.matches.length;
    return { ...previous, current, decorations: decorate(newState.doc, previous.matches, current) };
  }
  return previous;
}

export function getFindState(state: EditorState): FindState {
  return findKey.getState(state) ?? EMPTY;
}

/** Searches (an empty query clears the highlights); the first match at or after `near` is current. */
export function setSearch(view: EditorView, query: string, options: FindOptions, near: number): void {
  view.dispatch(view.state.tr.setMeta(findKey, { kind: 'search', query, options, near } satisfies FindMeta).setMeta('addToHistory', false));
}

/** Makes match `index` current (wrapping around), selects it and scrolls it into view. */
export function goToMatch(view: EditorView, index: number): void {
  const tr = view.state.tr.setMeta(findKey, { kind: 'current', index } satisfies FindMeta).setMeta('addToHistory', false);
  const after = apply(tr, getFindState(view.state), view.state);
  const match = after.matches[after.current];
  if (match) tr.setSelection(TextSelection.create(tr.doc, match.from, match.to));
  view.dispatch(tr);
  scrollToCurrent(view);
}

/** Brings the current match into the middle of the window (below the sticky header and toolbar). */
export function scrollToCurrent(view: EditorView): void {
  const element = view.dom.querySelector<HTMLElement>('[data-find-current]');
  element?.scrollIntoView({ block: 'center', inline: 'nearest' });
}

/**
 * Replaces the current match with `replacement` and makes the next one current. Returns false
 * (and changes nothing) when the text cannot be edited or there is no match.
 */
export function replaceCurrent(view: EditorView, replacement: string): boolean {
  const find = getFindState(view.state);
  const match = find.matches[find.current];
  if (!view.editable || !match) return false;
  const tr = replacement === '' ? view.state.tr.delete(match.from, match.to) : view.state.tr.insertText(replacement, match.from, match.to);
  tr.setMeta(findKey, { kind: 'near', near: match.from + replacement.length } satisfies FindMeta);
  view.dispatch(tr);
  return true;
}

/**
 * Replaces every match in ONE transaction: y-prosemirror turns it into one Yjs transaction, which
 * the undo manager undoes as one step (the caller keeps it apart from typing: asUndoStep).
 * Returns how many were replaced.
 */
export function replaceAll(view: EditorView, replacement: string): number {
  const { matches } = getFindState(view.state);
  if (!view.editable || matches.length === 0) return 0;
  const tr = view.state.tr;
  // Last to first: earlier positions stay valid.
  for (let index = matches.length - 1; index >= 0; index -= 1) {
    const { from, to } = matches[index];
    if (replacement === '') tr.delete(from, to);
    else tr.insertText(replacement, from, to);
  }
  const first = matches[0];
  tr.setMeta(findKey, { kind: 'near', near: first.from } satisfies FindMeta);
  view.dispatch(tr);
  return matches.length;
}

export const FindHighlights = Extension.create({
  name: 'findHighlights',

  addProseMirrorPlugins() {
    return [
      new Plugin<FindState>({
        key: findKey,
        state: {
          init: () => EMPTY,
          apply: (tr, previous, _oldState, newState) => apply(tr, previous, newState),
        },
        props: {
          decorations: (state) => findKey.getState(state)?.decorations,
        },
      }),
    ];
  },
});
