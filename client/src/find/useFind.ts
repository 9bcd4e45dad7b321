/**
 * The find bar's state and keys, as in Google Docs: Ctrl+F finds, Ctrl+H (⌘⇧H on a Mac) finds and
 * replaces, Enter / Shift+Enter, F3 / Shift+F3 and Ctrl+G / Ctrl+Shift+G move to the next or
 * previous match, Esc closes and puts the caret on the match. The browser's own find bar is kept
 * away while the editor is open. Replacing is offered only to people who may change the text
 * (never in a source paper, never to observers), and refused again at the moment of replacing if
 * the text has meanwhile become read-only.
 */
import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import { TextSelection } from '@tiptap/pm/state';
import { useCallback, useEffect, useRef, useState } from 'react';

import { syncSelectionFromDom } from '../editor/extensions/editor-shortcuts';
import { isMac } from '../editor/shortcuts';
import { asUndoStep } from '../editor/undo-steps';
import { announce } from '../ui/announce';
import type { FindOptions } from './find-matches';
import { getFindState, goToMatch, replaceAll as replaceAllMatches, replaceCurrent, scrollToCurrent, setSearch } from './find-plugin';

export const FIND_SHORTCUT = 'Mod-f';
export const REPLACE_SHORTCUT = isMac ? 'Mod-Shift-h' : 'Mod-h';

export interface FindController {
  open: boolean;
  /** Whether the replace row shows. */
  replacing: boolean;
  /** Whether this person may replace here at all. */
  canReplace: boolean;
  query: string;
  replacement: string;
  options: FindOptions;
  /** Matches in the document, and the current one (1-based; 0 when none). */
  count: number;
  current: number;
  /** What the last Replace all did ("Replaced 3"), until the search changes. */
  notice: string | null;
  /** Bumped each time the bar is asked for (Ctrl+F again focuses and selects the search field). */
  focusRequest: number;
  setQuery: (query: string) => void;
  setReplacement: (replacement: string) => void;
  setOption: (name: keyof FindOptions, value: boolean) => void;
  setReplacing: (replacing: boolean) => void;
  next: () => void;
  previous: () => void;
  replace: () => void;
  replaceAll: () => void;
  /** Closes the bar; the caret goes to the current match in the text. */
  close: () => void;
  show: (replacing: boolean) => void;
}

function isModifier(event: KeyboardEvent): boolean {
  return isMac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
}

/** The selected text, if it is a short piece of one paragraph (to search for it right away). */
function selectedWords(editor: Editor): string {
  const { from, to, $from, $to } = editor.state.selection;
  if (from === to || !$from.sameParent($to)) return '';
  const text = editor.state.doc.textBetween(from, to, ' ', ' ');
  return text.length <= 200 ? text : '';
}

export function useFind(editor: Editor | null, { canReplace }: { canReplace: boolean }): FindController {
  const [open, setOpen] = useState(false);
  const [replacing, setReplacingState] = useState(false);
  const [query, setQueryState] = useState('');
  const [replacement, setReplacement] = useState('');
  const [options, setOptions] = useState<FindOptions>({ matchCase: false, wholeWord: false });
  const [notice, setNotice] = useState<string | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  // Where the caret was when the bar opened: the first match from there is current.
  const origin = useRef(0);

  const found = useEditorState({
    editor,
    selector: ({ editor: current }) => {
      if (!current) return { count: 0, current: 0 };
      const state = getFindState(current.state);
      return { count: state.matches.length, current: state.current + 1 };
    },
  }) ?? { count: 0, current: 0 };

  const view = editor && !editor.isDestroyed ? editor.view : null;

  const search = useCallback(
    (nextQuery: string, nextOptions: FindOptions) => {
      if (!editor || editor.isDestroyed) return;
      setNotice(null);
      setSearch(editor.view, nextQuery, nextOptions, origin.current);
      scrollToCurrent(editor.view);
    },
    [editor],
  );

  const show = useCallback(
    (withReplace: boolean) => {
      if (!editor || editor.isDestroyed) return;
      syncSelectionFromDom(editor.view);
      const wanted = selectedWords(editor);
      origin.current = editor.state.selection.from;
      setOpen(true);
      setReplacingState(withReplace && canReplace);
      setFocusRequest((count) => count + 1);
      const nextQuery = wanted || query;
      if (wanted) setQueryState(wanted);
      search(nextQuery, options);
    },
    [editor, canReplace, query, options, search],
  );

  const move = useCallback(
    (step: 1 | -1) => {
      if (!view) return;
      const state = getFindState(view.state);
      if (state.matches.length === 0) return;
      goToMatch(view, state.current + step);
    },
    [view],
  );

  const close = useCallback(() => {
    setOpen(false);
    setNotice(null);
    if (!editor || editor.isDestroyed) return;
    const state = getFindState(editor.state);
    const match = state.matches[state.current];
    const tr = editor.state.tr.setMeta('addToHistory', false);
    if (match) tr.setSelection(TextSelection.create(tr.doc, match.from, match.to));
    editor.view.dispatch(tr);
    setSearch(editor.view, '', options, 0);
    editor.view.focus();
    editor.commands.scrollIntoView();
  }, [editor, options]);

  const replace = useCallback(() => {
    if (!editor || editor.isDestroyed || !canReplace) return;
    asUndoStep(editor, () => replaceCurrent(editor.view, replacement));
    scrollToCurrent(editor.view);
  }, [editor, canReplace, replacement]);

  const replaceAll = useCallback(() => {
    if (!editor || editor.isDestroyed || !canReplace) return;
    let replaced = 0;
    asUndoStep(editor, () => {
      replaced = replaceAllMatches(editor.view, replacement);
    });
    const message = replaced === 1 ? 'Replaced 1 match' : `Replaced ${replaced} matches`;
    setNotice(message);
    announce(message);
  }, [editor, canReplace, replacement]);

  // The keys, anywhere on the editor screen (in the text, the toolbar, the bar itself).
  const latest = useRef({ open, show, move });
  latest.current = { open, show, move };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // A dialog or a version view over the editor: its own keys.
      if (document.querySelector('dialog[open], .history-view')) return;
      const key = event.key.toLowerCase();
      const mod = isModifier(event);
      const { open: isOpen, show: showBar, move: step } = latest.current;
      let action: (() => void) | null = null;
      if (mod && !event.altKey && !event.shiftKey && (key === 'f' || event.code === 'KeyF')) action = () => showBar(false);
      else if (mod && !event.altKey && event.shiftKey === isMac && (key === 'h' || event.code === 'KeyH')) action = () => showBar(true);
      else if (event.key === 'F3' && !mod && !event.altKey) action = isOpen ? () => step(event.shiftKey ? -1 : 1) : () => showBar(false);
      else if (mod && !event.altKey && (key === 'g' || event.code === 'KeyG') && isOpen) action = () => step(event.shiftKey ? -1 : 1);
      if (!action) return;
      event.preventDefault();
      event.stopPropagation();
      action();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  // Rights can change while the bar is open (a role change, the document deleted).
  useEffect(() => {
    if (!canReplace) setReplacingState(false);
  }, [canReplace]);

  return {
    open,
    replacing,
    canReplace,
    query,
    replacement,
    options,
    count: found.count,
    current: found.current,
    notice,
    focusRequest,
    setQuery: (next) => {
      setQueryState(next);
      search(next, options);
    },
    setReplacement,
    setOption: (name, value) => {
      const next = { ...options, [name]: value };
      setOptions(next);
      search(query, next);
    },
    setReplacing: (next) => setReplacingState(next && canReplace),
    next: () => move(1),
    previous: () => move(-1),
    replace,
    replaceAll,
    close,
    show,
  };
}
