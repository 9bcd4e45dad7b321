/**
 * Inserting a round's tally into a draft: the source's tally view opens the draft at
 * `/d/<draftId>?insertTally=<sourceId>:<roundId>`, and the draft's editor appends the table here.
 *
 * Why this way: the table must go through the draft's own editor (collaborative Yjs content;
 * citation chips; one undo step for the person who inserted it), and only once the editor is in
 * sync with the server, so it lands after everything others wrote. The parameter leaves the
 * address (replaced, not a new history entry) the moment the table is inserted, so a reload or
 * Back never inserts it twice; a reload before that simply tries again.
 */
import type { Editor } from '@tiptap/react';
import { useEffect, useRef, useState } from 'react';

import { getTally, type Tally } from '../api/priorities';
import { documentPath, queryParam } from '../router';
import { announce } from '../ui/announce';
import { messageOf } from '../ui/form-errors';
import { shortcutLabel } from '../editor/shortcuts';
import { asUndoStep } from '../editor/undo-steps';
import './priorities.css';
import { tallyContent } from './tally-table';

const PARAM = 'insertTally';

/** Where to go to insert the tally of `roundId` (on `sourceId`) at the end of `draftId`. */
export function insertTallyPath(draftId: string, sourceId: string, roundId: string): string {
  return `${documentPath(draftId)}?${PARAM}=${encodeURIComponent(`${sourceId}:${roundId}`)}`;
}

interface Request {
  sourceId: string;
  roundId: string;
}

/** Takes the request out of the address, keeping the rest of it. */
function forgetRequest(): void {
  const url = new URL(location.href);
  url.searchParams.delete(PARAM);
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
}

function readRequest(): Request | null {
  const value = queryParam(PARAM);
  const separator = value?.indexOf(':') ?? -1;
  if (!value || separator <= 0) return null;
  return { sourceId: value.slice(0, separator), roundId: value.slice(separator + 1) };
}

/** Appends the tally after the draft's last block (in place of a trailing empty paragraph), as one undo step. */
function appendTally(editor: Editor, tally: Tally): void {
  const { doc } = editor.state;
  const last = doc.lastChild;
  const end = doc.content.size;
  const from = last && last.type.name === 'paragraph' && last.content.size === 0 ? end - last.nodeSize : end;
  asUndoStep(editor, () => editor.chain().insertContentAt({ from, to: end }, tallyContent(tally)).run());
  editor.commands.focus('end');
}

type Progress = { state: 'waiting' } | { state: 'done'; title: string } | { state: 'failed'; message: string };

export interface TallyInsertionProps {
  editor: Editor | null;
  /** The editor holds the server's current content. */
  synced: boolean;
  /** The person may change this draft. */
  editable: boolean;
}

/** Runs a pending insertion (if the address asks for one) and says how it went. */
export function TallyInsertion({ editor, synced, editable }: TallyInsertionProps) {
  const [request] = useState(readRequest);
  const [tally, setTally] = useState<Tally | null>(null);
  const [progress, setProgress] = useState<Progress | null>(request ? { state: 'waiting' } : null);
  const inserted = useRef(false);

  useEffect(() => {
    if (!request) return;
    const controller = new AbortController();
    getTally(request.sourceId, request.roundId, controller.signal).then(setTally, (error: unknown) => {
      if (controller.signal.aborted) return;
      forgetRequest();
      setProgress({ state: 'failed', message: `The tally couldn’t be loaded, so nothing was inserted. ${messageOf(error)}` });
    });
    return () => controller.abort();
  }, [request]);

  useEffect(() => {
    if (!tally || !editor || editor.isDestroyed || !synced || inserted.current) return;
    inserted.current = true;
    forgetRequest();
    if (!editable) {
      setProgress({ state: 'failed', message: 'You can read this draft but not change it, so the tally wasn’t inserted.' });
      return;
    }
    appendTally(editor, tally);
    announce(`The tally of “${tally.title}” was added at the end of the draft.`);
    setProgress({ state: 'done', title: tally.title });
  }, [tally, editor, synced, editable]);

  if (!progress) return null;
  if (progress.state === 'waiting') {
    return (
      <div className="banner banner--info" role="status">
        Adding the tally at the end of this draft once it is up to date…
      </div>
    );
  }
  if (progress.state === 'failed') {
    return (
      <div className="banner banner--warning tally-insertion" role="alert">
        <span>{progress.message}</span>
        <button type="button" className="button button--compact" onClick={() => setProgress(null)}>
          Dismiss
        </button>
      </div>
    );
  }
  return (
    <div className="banner banner--info tally-insertion" data-testid="tally-inserted">
      <span>
        The tally of “{progress.title}” was added at the end of the draft, as a table. Undo ({shortcutLabel('Mod-z')}) removes it.
      </span>
      <button type="button" className="button button--compact" onClick={() => setProgress(null)}>
        Dismiss
      </button>
    </div>
  );
}
