/**
 * "Export" in the editor header: a dialog to download the draft as a PDF typeset on the server
 * (paper size, table of contents, numbered headings, a "DRAFT" watermark, annexes with the
 * resolution of comments and the participants, the current text or a named version), or its
 * current text as a Word file (export.docx) or Markdown (export.md). It shows whether the
 * document is final (co-chairs can change that here), which decides whether the watermark is on
 * by default. While the server prepares the file the dialog says so and can be cancelled;
 * failures are explained in words, and the file arrives under the server's name (the title).
 */
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';

import type { FinalMark } from '../api/documents';
import { exportPdf, exportText, type PaperSize, type TextExportFormat } from '../api/export';
import { ApiError } from '../api/http';
import { useVersionList } from '../history/useVersionList';
import { versionOptionLabel } from '../history/version-text';
import { announce } from '../ui/announce';
import { formatDate } from '../ui/dates';
import { Dialog } from '../ui/Dialog';
import { FormField } from '../ui/FormField';
import { Icon } from '../ui/Icon';
import { exportErrorMessage } from './export-errors';
import { saveFile } from './save-file';
import './export.css';

/** After this long, the progress line adds that long papers take a while. */
const SLOW_MS = 6000;

const PAPERS: { value: PaperSize; label: string; size: string }[] = [
  { value: 'a4', label: 'A4', size: '210 × 297 mm' },
  { value: 'letter', label: 'Letter', size: '8.5 × 11 in' },
];

type ExportFormat = 'pdf' | TextExportFormat;

const FORMATS: { value: ExportFormat; label: string; detail: string; noun: string }[] = [
  { value: 'pdf', label: 'PDF', detail: 'typeset for printing', noun: 'PDF' },
  { value: 'docx', label: 'Word (.docx)', detail: 'to edit in Word', noun: 'Word file' },
  { value: 'md', label: 'Markdown (.md)', detail: 'plain text', noun: 'Markdown file' },
];

interface ExportOptionsProps {
  documentId: string;
  /** The document's own heading numbering (the editor's setting): the dialog's default. */
  numberedHeadings: boolean;
  /** Set when a co-chair marked the document final (no watermark by default then); null for a draft. */
  final: FinalMark | null;
  /** Whether the document has comment threads: only then is the comments annex offered. */
  hasCommentThreads: boolean;
  /** Marks the document final or a draft again; given only to those who may (co-chairs). */
  onSetFinal?: (final: boolean) => Promise<void>;
}

interface ExportButtonProps extends ExportOptionsProps {
  /** The dialog opened: a chance to check the document's status, which someone else may have changed. */
  onOpen: () => void;
}

/** The header button and the dialog it opens; focus comes back to the button when it closes. */
export function ExportButton({ onOpen, ...options }: ExportButtonProps) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="header-toggle"
        aria-haspopup="dialog"
        // Explicit: the tooltip (CSS generated content) would otherwise join the name while hovered.
        aria-label="Export"
        data-tooltip="Export as PDF, Word or Markdown"
        onClick={() => {
          setOpen(true);
          onOpen();
        }}
      >
        <Icon name="download" size={20} />
        <span className="header-toggle__label">Export</span>
      </button>
      <ExportDialog
        {...options}
        open={open}
        onClose={() => setOpen(false)}
        onAfterClose={() => buttonRef.current?.focus()}
      />
    </>
  );
}

interface ExportDialogProps extends ExportOptionsProps {
  open: boolean;
  onClose: () => void;
  onAfterClose?: () => void;
}

export function ExportDialog({ open, onClose, onAfterClose, ...options }: ExportDialogProps) {
  return (
    <Dialog
      open={open}
      title="Export"
      description="Download this document as a PDF typeset for printing and sharing, a Word file or Markdown."
      onClose={onClose}
      onAfterClose={onAfterClose}
      className="export-dialog"
    >
      {/* Mounted while open only: every opening starts from the defaults; closing stops an export. */}
      {open && <ExportForm {...options} onClose={onClose} />}
    </Dialog>
  );
}

type Phase = { state: 'idle'; error: string | null; note: string | null } | { state: 'busy'; slow: boolean };

function ExportForm({ documentId, numberedHeadings, final, hasCommentThreads, onSetFinal, onClose }: ExportOptionsProps & { onClose: () => void }) {
  const [format, setFormat] = useState<ExportFormat>('pdf');
  const [paper, setPaper] = useState<PaperSize>('a4');
  const [toc, setToc] = useState(true);
  const [numbered, setNumbered] = useState(numberedHeadings);
  // Null until the person ticks or clears the box: till then it follows the document's status.
  const [watermarkChoice, setWatermarkChoice] = useState<boolean | null>(null);
  const [commentsAnnex, setCommentsAnnex] = useState(false);
  const [participantsAnnex, setParticipantsAnnex] = useState(false);
  const [content, setContent] = useState<string>('current');
  const [phase, setPhase] = useState<Phase>({ state: 'idle', error: null, note: null });
  const versions = useVersionList(documentId);
  const named = (versions.data ?? []).filter((version) => version.kind === 'named');
  const controller = useRef<AbortController | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const formatLegendId = useId();
  const paperLegendId = useId();
  const includeLegendId = useId();
  const busy = phase.state === 'busy';
  const isPdf = format === 'pdf';
  const noun = FORMATS.find((option) => option.value === format)?.noun ?? 'file';
  // As the server decides: the current text of a final document has no watermark; a version is a draft.
  const watermark = watermarkChoice ?? (final === null || content !== 'current');

  // Closing the dialog (Escape, ×) while the PDF is being prepared stops it.
  useEffect(() => () => controller.current?.abort(), []);

  // The controls are disabled while busy, so the focus would fall out of them: keep it on Cancel,
  // the one thing there is to do. Back on "Export PDF" afterwards (to try again).
  useEffect(() => {
    if (busy) cancelRef.current?.focus();
    else if (phase.error || phase.note) submitRef.current?.focus();
  }, [busy]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (!busy) return;
    const timer = window.setTimeout(() => setPhase((current) => (current.state === 'busy' ? { state: 'busy', slow: true } : current)), SLOW_MS);
    return () => window.clearTimeout(timer);
  }, [busy]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    // Word and Markdown are of the current text; versions are for the PDF.
    const version = !isPdf || content === 'current' ? null : content;
    const current = new AbortController();
    controller.current = current;
    setPhase({ state: 'busy', slow: false });
    announce(`Preparing the ${noun}…`);
    try {
      const result =
        format === 'pdf'
          ? await exportPdf(
              documentId,
              { paper, toc, numbered, watermark, commentsAnnex: hasCommentThreads && commentsAnnex, participantsAnnex, version },
              current.signal,
            ).then(({ pdf, filename }) => ({ file: pdf, filename }))
          : await exportText(documentId, format, current.signal);
      if (current.signal.aborted) return;
      saveFile(result.file, result.filename);
      announce(`${noun} ready: ${result.filename} is downloading.`);
      controller.current = null;
      onClose();
    } catch (error) {
      if (current.signal.aborted) return;
      controller.current = null;
      setPhase({ state: 'idle', error: exportErrorMessage(error, { version: version !== null, noun }), note: null });
    }
  };

  const cancel = () => {
    if (!busy) {
      onClose();
      return;
    }
    controller.current?.abort();
    controller.current = null;
    setPhase({ state: 'idle', error: null, note: 'Export cancelled: nothing was downloaded.' });
    announce('Export cancelled.');
  };

  // Enter exports from any control (checkboxes, radios and the select don't submit by themselves);
  // on the buttons it presses them.
  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = event.target as HTMLElement;
    if (target.tagName !== 'INPUT' && target.tagName !== 'SELECT') return;
    event.preventDefault();
    if (!busy) formRef.current?.requestSubmit();
  };

  const contentHint =
    versions.error !== null
      ? 'The list of named versions couldn’t be loaded; the current text can be exported.'
      : content !== 'current'
        ? `The PDF has this version’s title and text, as it was named${final ? ': a draft, so the watermark is on by default' : ''}.`
        : versions.data !== null && named.length === 0
          ? 'No named versions yet: co-chairs name versions in the history.'
          : 'The text as it is now, with everyone’s latest changes.';

  return (
    <form ref={formRef} className="form export-form" onSubmit={(event) => void submit(event)} onKeyDown={onKeyDown} noValidate aria-busy={busy}>
      <DocumentStatus final={final} onSetFinal={onSetFinal} disabled={busy} />

      <fieldset className="export-form__options" disabled={busy}>
        <div className="export-form__row" role="radiogroup" aria-labelledby={formatLegendId}>
          <span id={formatLegendId} className="export-form__label">
            Format
          </span>
          <div className="export-choices export-choices--stacked">
            {FORMATS.map((option) => (
              <label key={option.value} className="export-choice">
                <input
                  type="radio"
                  name="format"
                  value={option.value}
                  checked={format === option.value}
                  onChange={() => setFormat(option.value)}
                  data-autofocus={option.value === format ? true : undefined}
                />
                <span className="export-choice__text">
                  <span className="export-choice__label">{option.label}</span>
                  <span className="export-choice__detail">{option.detail}</span>
                </span>
              </label>
            ))}
          </div>
        </div>

        {!isPdf && <p className="export-form__hint">The current text, with its headings, lists, tables and footnotes.</p>}

        {isPdf && (
          <>
            <div className="export-form__row" role="radiogroup" aria-labelledby={paperLegendId}>
              <span id={paperLegendId} className="export-form__label">
                Paper size
              </span>
              <div className="export-choices">
                {PAPERS.map((option) => (
                  <label key={option.value} className="export-choice">
                    <input
                      type="radio"
                      name="paper"
                      value={option.value}
                      checked={paper === option.value}
                      onChange={() => setPaper(option.value)}
                    />
                    <span className="export-choice__text">
                      {option.label}
                      <span className="export-choice__detail">{option.size}</span>
                    </span>
                  </label>
                ))}
              </div>
            </div>

            <div className="export-form__row" role="group" aria-labelledby={includeLegendId}>
              <span id={includeLegendId} className="export-form__label">
                Include
              </span>
              <div className="export-checks">
                <label className="export-check">
                  <input type="checkbox" checked={toc} onChange={(event) => setToc(event.target.checked)} />
                  Table of contents
                </label>
                <label className="export-check">
                  <input type="checkbox" checked={numbered} onChange={(event) => setNumbered(event.target.checked)} />
                  Numbered headings <span className="export-choice__detail">1., 1.1, 1.1.1</span>
                </label>
                <label className="export-check">
                  <input type="checkbox" checked={watermark} onChange={(event) => setWatermarkChoice(event.target.checked)} />
                  “DRAFT” watermark on every page
                </label>
                {hasCommentThreads && (
                  <label className="export-check">
                    <input type="checkbox" checked={commentsAnnex} onChange={(event) => setCommentsAnnex(event.target.checked)} />
                    Annex: resolution of comments
                  </label>
                )}
                <label className="export-check">
                  <input type="checkbox" checked={participantsAnnex} onChange={(event) => setParticipantsAnnex(event.target.checked)} />
                  Annex: participants and contributors
                </label>
              </div>
            </div>

            <FormField label="Content" error={null} hint={contentHint}>
              {(control) => (
                <select {...control} className="input export-form__select" value={content} onChange={(event) => setContent(event.target.value)}>
                  <option value="current">Current text</option>
                  {named.length > 0 && (
                    <optgroup label="Named versions">
                      {named.map((version) => (
                        <option key={version.id} value={version.id}>
                          {versionOptionLabel(version)}
                        </option>
                      ))}
                    </optgroup>
                  )}
                  {versions.data === null && versions.error === null && (
                    <option value="" disabled>
                      Loading named versions…
                    </option>
                  )}
                </select>
              )}
            </FormField>
          </>
        )}
      </fieldset>

      {phase.state === 'idle' && phase.error && (
        <p className="form-error export-form__error" role="alert">
          <Icon name="close" size={16} />
          <span>{phase.error}</span>
        </p>
      )}

      <div className="export-progress" role="status" aria-live="polite">
        {busy && (
          <>
            <span className="spinner" aria-hidden="true" />
            <span>
              Preparing the {noun}…
              {phase.slow && <span className="export-progress__slow"> Long drafts can take up to a minute.</span>}
            </span>
          </>
        )}
        {phase.state === 'idle' && phase.note && <span className="export-progress__note">{phase.note}</span>}
      </div>

      <div className="dialog__actions export-form__actions">
        <button ref={cancelRef} type="button" className="button" onClick={cancel}>
          {busy ? 'Cancel export' : 'Cancel'}
        </button>
        <button ref={submitRef} type="submit" className="button button--primary" disabled={busy}>
          <Icon name="download" size={18} />
          {isPdf ? 'Export PDF' : format === 'docx' ? 'Export Word file' : 'Export Markdown'}
        </button>
      </div>
    </form>
  );
}

/**
 * Whether the document is a draft or final, and what that means for the watermark; co-chairs
 * switch it here (no confirmation: it is undone the same way).
 */
function DocumentStatus({ final, onSetFinal, disabled }: { final: FinalMark | null; onSetFinal?: (final: boolean) => Promise<void>; disabled: boolean }) {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const toggle = async () => {
    if (!onSetFinal || saving) return;
    const marking = final === null;
    setSaving(true);
    setError(null);
    try {
      await onSetFinal(marking);
      announce(marking ? 'Marked final.' : 'Marked as a draft again.');
    } catch (caught) {
      setError(statusErrorMessage(caught));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className={final ? 'export-status export-status--final' : 'export-status'} data-testid="export-status">
      <Icon name={final ? 'check' : 'pencil'} size={18} />
      <p className="export-status__text">
        {final ? (
          <>
            <strong>This document is marked final</strong> by {final.by} on {formatDate(final.at)}: PDFs have no “DRAFT” watermark unless you add it.
          </>
        ) : (
          <>
            <strong>Draft:</strong> PDFs have the “DRAFT” watermark on by default until a co-chair marks the document final.
          </>
        )}
      </p>
      {onSetFinal && (
        <button
          type="button"
          className="button button--compact export-status__action"
          onClick={() => void toggle()}
          // Not disabled while saving: the focus stays on the button, which then offers the way back.
          aria-disabled={saving || undefined}
          disabled={disabled}
        >
          {saving ? 'Saving…' : final ? 'Mark as draft again' : 'Mark final'}
        </button>
      )}
      {error && (
        <p className="form-error export-status__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function statusErrorMessage(error: unknown): string {
  if (error instanceof ApiError && error.isNetworkError) return 'The server can’t be reached right now, so the status wasn’t changed. Please try again.';
  if (error instanceof ApiError && error.status === 403) return 'Only the group’s co-chairs can change whether this document is final.';
  return 'The status couldn’t be changed. Please try again.';
}
