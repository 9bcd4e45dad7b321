/**
 * What the editor screen adds for a source paper: the margin plugin's input (threads with their
 * stances, the filter, the paragraph the address points to, who may do what), the counts it
 * reports back, annotating a whole paragraph, and the co-chairs' label correction.
 */
import type { Editor } from '@tiptap/react';
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';

import type { Comments } from '../comments/useComments';
import { paragraphRange, setSourceMargin, type ParagraphCounts, type SourceMarginOptions } from './source-margin';

/** How the margin plugin reaches the React state (its options are fixed when the editor is made). */
export function useSourceMarginBridge() {
  const bridge = useRef<SourceMarginOptions>({ onAnnotate: () => undefined, onCorrectLabel: () => undefined, onCounts: () => undefined });
  return useMemo(
    () => ({
      ref: bridge,
      options: {
        onAnnotate: (pid: string) => bridge.current.onAnnotate(pid),
        onCorrectLabel: (pid: string, button: HTMLElement) => bridge.current.onCorrectLabel(pid, button),
        onCounts: (counts: ParagraphCounts) => bridge.current.onCounts(counts),
      } satisfies SourceMarginOptions,
    }),
    [],
  );
}

/** A label being corrected: which paragraph, its label now, and where its field goes on the page. */
export interface LabelEdit {
  pid: string;
  label: string;
  top: number;
  left: number;
}

export interface SourceViewOptions {
  enabled: boolean;
  editor: Editor | null;
  comments: Comments;
  canCorrectLabels: boolean;
  /** May start annotations (role, and the document is still there). */
  canAnnotate: boolean;
  /** The positioned page the label field is placed in. */
  paperRef: RefObject<HTMLElement | null>;
  /** The editor shows the document's content (so a linked paragraph can be found). */
  contentReady: boolean;
  bridge: ReturnType<typeof useSourceMarginBridge>;
}

export interface SourceView {
  counts: ParagraphCounts;
  onlyAnnotated: boolean;
  setOnlyAnnotated: (value: boolean) => void;
  labelEdit: LabelEdit | null;
  closeLabelEdit: (focusLabel: boolean) => void;
}

/** The paragraph id in the address (#V.4), if any. */
function pidFromHash(): string | null {
  const raw = location.hash.slice(1);
  if (!raw) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const FIND_TARGET_TRIES = 40;
const FIND_TARGET_INTERVAL_MS = 150;

export function useSourceView({ enabled, editor, comments, canCorrectLabels, canAnnotate, paperRef, contentReady, bridge }: SourceViewOptions): SourceView {
  const [counts, setCounts] = useState<ParagraphCounts>(() => new Map());
  const [onlyAnnotated, setOnlyAnnotated] = useState(false);
  const [targetPid, setTargetPid] = useState<string | null>(() => (enabled ? pidFromHash() : null));
  const [labelEdit, setLabelEdit] = useState<LabelEdit | null>(null);
  const { startThreadOn } = comments;

  bridge.ref.current = {
    onAnnotate: (pid) => {
      if (!editor || editor.isDestroyed) return;
      const range = paragraphRange(editor.state.doc, pid);
      if (range) startThreadOn(range.from, range.to);
    },
    onCorrectLabel: (pid, button) => {
      const paper = paperRef.current;
      if (!paper) return;
      // Over the label, starting where the margin does (a label is right-aligned in it).
      const at = button.getBoundingClientRect();
      const column = (button.closest('.source-margin') ?? button).getBoundingClientRect();
      const origin = paper.getBoundingClientRect();
      setLabelEdit({ pid, label: button.textContent ?? '', top: at.top - origin.top, left: column.left - origin.left });
    },
    onCounts: setCounts,
  };

  useEffect(() => {
    if (!enabled) return;
    const onHashChange = () => setTargetPid(pidFromHash());
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [enabled]);

  const threads = comments.state.threads;
  const marginThreads = useMemo(() => threads.map(({ id, stance }) => ({ id, stance })), [threads]);
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    setSourceMargin(editor.view, { enabled, threads: marginThreads, onlyAnnotated, targetPid, canCorrectLabels, canAnnotate: enabled && canAnnotate });
  }, [editor, enabled, marginThreads, onlyAnnotated, targetPid, canCorrectLabels, canAnnotate]);

  // A link to a paragraph: bring it into view once the content is there (it may arrive a little later).
  useEffect(() => {
    if (!enabled || !targetPid || !contentReady || !editor || editor.isDestroyed) return;
    let tries = 0;
    let timer: number | undefined;
    const find = () => {
      const block = editor.view.dom.querySelector<HTMLElement>(`[data-pid="${CSS.escape(targetPid)}"]`);
      if (block) block.scrollIntoView({ block: 'center' });
      else if (++tries < FIND_TARGET_TRIES) timer = window.setTimeout(find, FIND_TARGET_INTERVAL_MS);
    };
    find();
    return () => window.clearTimeout(timer);
  }, [enabled, targetPid, contentReady, editor]);

  const closeLabelEdit = useCallback(
    (focusLabel: boolean) => {
      const pid = labelEdit?.pid;
      setLabelEdit(null);
      if (!focusLabel || !pid || !editor || editor.isDestroyed) return;
      // The margin is redrawn when the new label arrives: find its button then.
      requestAnimationFrame(() => editor.view.dom.querySelector<HTMLElement>(`[data-margin-for="${CSS.escape(pid)}"] button`)?.focus());
    },
    [labelEdit, editor],
  );

  return { counts, onlyAnnotated, setOnlyAnnotated, labelEdit, closeLabelEdit };
}
