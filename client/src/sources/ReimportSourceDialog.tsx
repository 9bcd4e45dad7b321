/**
 * "Re-import…" (co-chairs): a new version of a source paper's file replaces its text. Paragraphs
 * that match the current ones keep their ids, so their annotations and citations stay attached;
 * the dialog ends with how many were kept, added and removed. Everyone with the paper open sees
 * the new text live.
 */
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';

import type { ReimportResponse } from '../../../shared/api/index';
import { reimportSource } from '../api/sources';
import { ImportFileForm } from '../import/ImportFileForm';
import { announce } from '../ui/announce';
import { Dialog } from '../ui/Dialog';
import { Icon } from '../ui/Icon';
import { SOURCE_FILES, type SourceFile } from './source-files';

export interface ReimportSourceButtonProps {
  sourceId: string;
  title: string;
  citeAs: string;
  /** The source changed (its title or "Cite as" name may have too). */
  onReimported: () => void;
}

/** "312 paragraphs kept, 4 new, 1 removed". */
function paragraphCountsText({ kept, added, removed }: ReimportResponse['paragraphs']): string {
  return `${kept} ${kept === 1 ? 'paragraph' : 'paragraphs'} kept, ${added} new, ${removed} removed`;
}

/** The "Re-import…" button and its dialog; focus comes back to the button when it closes. */
export function ReimportSourceButton({ sourceId, title, citeAs, onReimported }: ReimportSourceButtonProps) {
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<ReimportResponse | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const close = () => setOpen(false);

  const reimport = async (file: SourceFile, signal: AbortSignal) => {
    const response = await reimportSource(sourceId, file, signal);
    if (signal.aborted) return;
    announce(`Re-imported ${response.source.title}: ${paragraphCountsText(response.paragraphs)}.`);
    setResult(response);
    onReimported();
  };

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="button button--compact"
        aria-haspopup="dialog"
        onClick={() => {
          setResult(null);
          setOpen(true);
        }}
      >
        <Icon name="upload" size={18} />
        Re-import…
      </button>
      {/* Outside the source bar, whose text styles would apply to the dialog. */}
      {createPortal(
        <Dialog
          open={open}
          title="Re-import the source paper"
          description="Choose the new version of this paper. Its text replaces the current one for everyone. Paragraphs that match the current ones (by their number, or by the same or similar text) are kept, and the annotations and citations on them stay attached."
          onClose={close}
          onAfterClose={() => buttonRef.current?.focus()}
          className="import-dialog"
        >
          {open &&
            (result ? (
              <ReimportResult result={result} onClose={close} />
            ) : (
              <ImportFileForm
                files={SOURCE_FILES}
                initialTitle={title}
                suggestTitle={false}
                titleHint="The paper’s current title; change it if the new version has another."
                citeAs={{ initial: citeAs, hint: 'The short name citations use, as in “Options Paper V.4”.' }}
                action="Re-import"
                progress={(fileName) => `Uploading ${fileName} and matching its paragraphs…`}
                cancelledNote="Stopped waiting for the re-import. If the file had reached the server already, the paper may still change."
                refusals={{ forbidden: 'Only the group’s co-chairs can re-import a source paper.', notFound: 'This source paper no longer exists.' }}
                onSubmit={reimport}
                onClose={close}
              />
            ))}
        </Dialog>,
        document.body,
      )}
    </>
  );
}

function ReimportResult({ result, onClose }: { result: ReimportResponse; onClose: () => void }) {
  const doneRef = useRef<HTMLButtonElement>(null);
  // The form that had the focus is gone.
  useEffect(() => doneRef.current?.focus(), []);
  return (
    <div className="form reimport-result">
      <p className="reimport-result__counts" role="status" data-testid="reimport-result">
        <Icon name="check" size={18} />
        <span>
          <strong>“{result.source.title}” was re-imported.</strong> {paragraphCountsText(result.paragraphs)}.
        </span>
      </p>
      <p className="form-hint">Annotations and citations on the kept paragraphs stay attached to them.</p>
      <div className="dialog__actions">
        <button ref={doneRef} type="button" className="button button--primary" onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  );
}
