/**
 * Opens the word count with Ctrl+Shift+C (⌘⇧C on a Mac), as in Google Docs, from anywhere on
 * the editor screen. The browser's own use of the keys (Chrome's element picker) gives way.
 */
import type { Editor } from '@tiptap/core';
import { useEffect, useRef, useState } from 'react';

import { syncSelectionFromDom } from '../editor/extensions/editor-shortcuts';
import { isMac } from '../editor/shortcuts';

export const WORD_COUNT_SHORTCUT = 'Mod-Shift-c';

export interface WordCountState {
  open: boolean;
  setOpen: (open: boolean) => void;
}

export function useWordCount(editor: Editor | null): WordCountState {
  const [open, setOpen] = useState(false);
  const editorRef = useRef(editor);
  editorRef.current = editor;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = isMac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
      if (!mod || !event.shiftKey || event.altKey || (event.code !== 'KeyC' && event.key.toLowerCase() !== 'c')) return;
      // Another dialog, or a version view over the editor, is in front.
      if (document.querySelector('dialog[open], .history-view')) return;
      event.preventDefault();
      event.stopPropagation();
      // The selection just made with Shift+arrows is the one counted.
      const current = editorRef.current;
      if (current && !current.isDestroyed) syncSelectionFromDom(current.view);
      setOpen(true);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  return { open, setOpen };
}
