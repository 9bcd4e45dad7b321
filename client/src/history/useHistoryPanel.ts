/**
 * The version history panel of the editor: whether it is open (one side panel at a time, so it
 * closes the comments panel and gives way to it), the shortcut that opens it (Ctrl+Alt+Shift+H,
 * as in Google Docs; ⌘⌥⇧H on a Mac) and what the signed-in person may do in it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

import { can, type Role } from '../../../shared/api/index';
import { isMac } from '../editor/shortcuts';
import { onVersionsChanged } from './useVersionList';

export const HISTORY_SHORTCUT_LABEL = isMac ? '⌘⌥⇧H' : 'Ctrl+Alt+Shift+H';
export const HISTORY_KEYSHORTCUTS = isMac ? 'Meta+Alt+Shift+H' : 'Control+Alt+Shift+H';

export interface HistoryPanelState {
  documentId: string;
  open: boolean;
  /** Opens or closes the panel; `focus` moves the keyboard focus into it (or back to the History button). */
  setOpen: (open: boolean, options?: { focus?: boolean }) => void;
  /** Whether to move focus into the panel once it shows. */
  focusOnOpen: boolean;
  /** Co-chairs name versions and restore them. */
  canManage: boolean;
  /** A version to point out (the checkpoint just taken by a restore). */
  highlight: string | null;
}

export interface HistoryPanelOptions {
  documentId: string;
  role: Role | null;
  /** The other side panel (comments): opening one closes the other. */
  otherPanelOpen: boolean;
  closeOtherPanel: () => void;
}

export const HISTORY_TOGGLE_ID = 'history-toggle';

export function useHistoryPanel({ documentId, role, otherPanelOpen, closeOtherPanel }: HistoryPanelOptions): HistoryPanelState {
  const [open, setOpenState] = useState(false);
  const [focusOnOpen, setFocusOnOpen] = useState(false);
  const [highlight, setHighlight] = useState<string | null>(null);
  const closeOther = useRef(closeOtherPanel);
  closeOther.current = closeOtherPanel;
  const openRef = useRef(open);
  openRef.current = open;

  const setOpen = useCallback((next: boolean, options: { focus?: boolean } = {}) => {
    setFocusOnOpen(next && options.focus === true);
    setOpenState(next);
    if (next) closeOther.current();
    else {
      setHighlight(null);
      if (options.focus) requestAnimationFrame(() => document.getElementById(HISTORY_TOGGLE_ID)?.focus());
    }
  }, []);

  // The comments panel opened: this one makes room.
  useEffect(() => {
    if (otherPanelOpen && openRef.current) setOpenState(false);
  }, [otherPanelOpen]);

  // Ctrl+Alt+Shift+H anywhere on the editor screen (in the text too).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = isMac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
      if (!mod || !event.altKey || !event.shiftKey) return;
      if (event.code !== 'KeyH' && event.key.toLowerCase() !== 'h') return;
      // A version or comparison is open over the editor: the panel beneath isn't reachable.
      if (document.querySelector('.history-view')) return;
      event.preventDefault();
      event.stopPropagation();
      setOpen(!openRef.current, { focus: true });
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [setOpen]);

  // A restore in a history view: show the checkpoint it took, so it can be undone from here.
  useEffect(
    () =>
      onVersionsChanged(documentId, (detail) => {
        if (detail.openPanel) setOpen(true, { focus: true });
        if (detail.highlight) setHighlight(detail.highlight);
      }),
    [documentId, setOpen],
  );

  return { documentId, open, setOpen, focusOnOpen, canManage: can(role, 'resolve'), highlight };
}
