import type { Editor } from '@tiptap/core';
import { yUndoPluginKey } from '@tiptap/y-tiptap';

/**
 * Makes the next change its own undo step. Yjs' undo manager merges changes made within half a
 * second into one step (good for typing); a discrete action like inserting a footnote, a table
 * or a link should be undone on its own, as in Word and Google Docs.
 */
export function separateUndoStep(editor: Editor): void {
  const state = yUndoPluginKey.getState(editor.state) as { undoManager?: { stopCapturing: () => void } } | undefined;
  state?.undoManager?.stopCapturing();
}

/** Runs a discrete action as exactly one undo step. */
export function asUndoStep(editor: Editor, action: () => void): void {
  separateUndoStep(editor);
  action();
  separateUndoStep(editor);
}
