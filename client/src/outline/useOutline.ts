/**
 * Whether the outline panel is open (remembered on this device, as Docs remembers it) and its
 * shortcut, Ctrl+Alt+O (⌘⌥O on a Mac), from anywhere on the editor screen. Docs' own chord
 * (Ctrl+Alt+A then Ctrl+Alt+H) is awkward; AltGr (which browsers report as Ctrl+Alt on Windows)
 * typing "ó" on a Polish keyboard is left alone.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

import { isMac } from '../editor/shortcuts';

export const OUTLINE_SHORTCUT = 'Mod-Alt-o';
export const OUTLINE_KEYSHORTCUTS = isMac ? 'Meta+Alt+O' : 'Control+Alt+O';
export const OUTLINE_TOGGLE_ID = 'outline-toggle';
const STORAGE_KEY = 'concord.outlineOpen';

export interface OutlineState {
  open: boolean;
  /** `focus`: move the keyboard focus into the panel (opening) or back to the text (closing). */
  setOpen: (open: boolean, options?: { focus?: boolean }) => void;
  /** Bumped when the panel should take the focus. */
  focusRequest: number;
}

function remembered(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'true';
  } catch {
    return false;
  }
}

export function useOutline({ onFocusText }: { onFocusText: () => void }): OutlineState {
  const [open, setOpenState] = useState(remembered);
  const [focusRequest, setFocusRequest] = useState(0);
  const openRef = useRef(open);
  openRef.current = open;
  const focusText = useRef(onFocusText);
  focusText.current = onFocusText;

  const setOpen = useCallback((next: boolean, options: { focus?: boolean } = {}) => {
    setOpenState(next);
    try {
      localStorage.setItem(STORAGE_KEY, String(next));
    } catch {
      // Private browsing: not remembered.
    }
    if (next && options.focus) setFocusRequest((count) => count + 1);
    if (!next && options.focus) focusText.current();
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = isMac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
      if (!mod || !event.altKey || event.shiftKey || event.getModifierState?.('AltGraph')) return;
      if (event.code !== 'KeyO' && event.key.toLowerCase() !== 'o') return;
      if (document.querySelector('dialog[open], .history-view')) return;
      event.preventDefault();
      event.stopPropagation();
      setOpen(!openRef.current, { focus: true });
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [setOpen]);

  return { open, setOpen, focusRequest };
}
