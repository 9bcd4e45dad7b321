/**
 * A small "add comment" button beside the selected text, in the margin right of the page (as in
 * Google Docs). Shown whenever text is selected, in the read-only editor of observers too. On a
 * source paper, where threads are annotations, it says "Annotate".
 */
import { useEditorState, type Editor } from '@tiptap/react';
import { useEffect, useLayoutEffect, useState, type RefObject } from 'react';

import { isMac, shortcutLabel } from '../editor/shortcuts';
import { Icon } from '../ui/Icon';

export const COMMENT_SHORTCUT = 'Mod-Alt-m';

export function SelectionCommentButton({
  editor,
  containerRef,
  hidden,
  source,
  onComment,
}: {
  editor: Editor;
  /** The positioned element the button is placed in (the page). */
  containerRef: RefObject<HTMLElement | null>;
  hidden: boolean;
  source: boolean;
  onComment: () => void;
}) {
  const selection = useEditorState({
    editor,
    selector: ({ editor: current }) => {
      const { from, to, empty } = current.state.selection;
      return empty ? null : `${from}:${to}`;
    },
  });
  const [top, setTop] = useState<number | null>(null);
  const [resized, setResized] = useState(0);

  useEffect(() => {
    const onResize = () => setResized((count) => count + 1);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);

  useLayoutEffect(() => {
    const container = containerRef.current;
    if (!selection || !container || editor.isDestroyed) {
      setTop(null);
      return;
    }
    try {
      const { from } = editor.state.selection;
      const coords = editor.view.coordsAtPos(from);
      setTop(coords.top - container.getBoundingClientRect().top);
    } catch {
      setTop(null);
    }
  }, [selection, editor, containerRef, resized]);

  if (top === null || hidden) return null;
  return (
    <button
      type="button"
      className="selection-comment"
      style={{ top }}
      aria-label={source ? 'Annotate the selected text' : 'Comment on the selected text'}
      aria-keyshortcuts={isMac ? 'Meta+Alt+M' : 'Control+Alt+M'}
      data-tooltip={`${source ? 'Annotate' : 'Comment'} (${shortcutLabel(COMMENT_SHORTCUT)})`}
      // Keep the selection: a mousedown would otherwise move it.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onComment}
    >
      <Icon name="commentAdd" size={20} />
    </button>
  );
}
