/**
 * "Import…": a new draft from a file, a Word document (.docx, sent as base64) or Markdown (.md,
 * .markdown, .txt, sent as text), with an optional title (else the file's own title). The size is
 * checked before anything is sent; while the server converts the file the dialog says so and can
 * be cancelled; on success the new draft opens.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';

import { IMPORT_MAX_FILE_BYTES, TITLE_MAX_LENGTH, type ImportFormat } from '../../../shared/api/index';
import { ApiError, importDocument } from '../api/documents';
import { documentPath, navigate } from '../router';
import { announce } from '../ui/announce';
import { Dialog } from '../ui/Dialog';
import { FormField, TextField } from '../ui/FormField';
import { Icon } from '../ui/Icon';
import '../export/export.css';
import './import.css';

const ACCEPT = '.docx,.md,.markdown,.txt';

/** The format a file is imported as, from its name; null for anything else. */
export function importFormatOf(name: string): ImportFormat | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.docx')) return 'docx';
  if (lower.endsWith('.md') || lower.endsWith('.markdown') || lower.endsWith('.txt')) return 'markdown';
  return null;
}

export function base64Of(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(binary);
}

const MIB = 2 ** 20;
/** "10 MB", "10.1 MB", "250 KB": rounded up, so a file just over the limit never reads as the limit itself. */
export const sizeText = (bytes: number) => (bytes >= MIB ? `${Math.ceil((bytes / MIB) * 10) / 10} MB` : `${Math.max(1, Math.ceil(bytes / 1024))} KB`);
/** "10 MB": the largest file that can be imported, Word or Markdown. */
export const MAX_SIZE_TEXT = sizeText(IMPORT_MAX_FILE_BYTES);

/** What went wrong, in words. */
export function importErrorMessage(error: unknown, format: ImportFormat): string {
  if (!(error instanceof ApiError)) return 'The file couldn’t be imported. Please try again.';
  if (error.isNetworkError) {
    return navigator.onLine ? 'The server can’t be reached right now. Check your connection and try again.' : 'You are offline. Connect to the internet and try again.';
  }
  switch (error.code) {
    case 'invalid_content':
      return format === 'docx' ? 'This file couldn’t be read as a Word document.' : 'This file couldn’t be read as Markdown text.';
    case 'too_large':
      return `This file is too large to import: files up to ${MAX_SIZE_TEXT} can be imported.`;
    case 'no_access':
    case 'forbidden':
      return 'You can’t create drafts in this group any more.';
    case 'unauthenticated':
      return 'Your sign-in has ended. Sign in again, then import.';
    case 'invalid_request':
      if (error.fieldError('title')) return `The title isn’t right: ${error.fieldError('title')}.`;
      return 'The server didn’t accept this file. Reload the page and try again.';
  }
  if (error.status === 413) return 'This file is too large to import.';
  if (error.status === 403) return 'You can’t create drafts in this group any more.';
  if (error.status === 429 || error.status === 503) return 'The server is busy right now. Please try again in a minute.';
  return 'The file couldn’t be imported because of a problem on the server. Please try again in a moment.';
}

/** The "Import…" button and its dialog; focus comes back to the button when it closes. */
export function ImportButton({ groupId, className = 'button', label }: { groupId: string; className?: string; /** An accessible name naming the group, where there are several. */ label?: string }) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button ref={buttonRef} type="button" className={className} aria-haspopup="dialog" aria-label={label} onClick={() => setOpen(true)}>
        <Icon name="upload" size={18} />
        Import…
      </button>
      <Dialog
        open={open}
        title="Import a draft"
        description="Start a draft from a Word document or a Markdown file: its headings, lists, tables and footnotes come with it."
        onClose={() => setOpen(false)}
        onAfterClose={() => buttonRef.current?.focus()}
        className="import-dialog"
      >
        {open && <ImportForm groupId={groupId} onClose={() => setOpen(false)} />}
      </Dialog>
    </>
  );
}

type Phase = { state: 'idle'; error: string | null; note: string | null } | { state: 'busy' };

function ImportForm({ groupId, onClose }: { groupId: string; onClose: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [phase, setPhase] = useState<Phase>({ state: 'idle', error: null, note: null });
  const controller = useRef<AbortController | null>(null);
  const busy = phase.state === 'busy';

  // Closing the dialog while the file is being imported stops waiting for it.
  useEffect(() => () => controller.current?.abort(), []);

  /** Why `chosen` can't be imported, or null. */
  const check = (chosen: File): string | null => {
    const format = importFormatOf(chosen.name);
    if (!format) return 'Choose a Word document (.docx) or a Markdown file (.md, .markdown, .txt).';
    if (chosen.size === 0) return 'This file is empty.';
    // Within this size the content fits the server's limit either way: a Word file's base64 is
    // IMPORT_MAX_CHARS at most, and UTF-8 text has no more characters than bytes.
    if (chosen.size > IMPORT_MAX_FILE_BYTES) {
      const advice = format === 'docx' ? ' Saving it without images may make it small enough.' : '';
      return `This file is ${sizeText(chosen.size)}; files up to ${MAX_SIZE_TEXT} can be imported.${advice}`;
    }
    return null;
  };

  const choose = (chosen: File | null) => {
    setFile(chosen);
    setFileError(chosen ? check(chosen) : null);
    setPhase({ state: 'idle', error: null, note: null });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!file) {
      setFileError('Choose a file to import.');
      return;
    }
    const problem = check(file);
    const format = importFormatOf(file.name);
    if (problem || !format) {
      setFileError(problem);
      return;
    }
    const current = new AbortController();
    controller.current = current;
    setPhase({ state: 'busy' });
    announce('Importing the file…');
    try {
      const content = format === 'docx' ? base64Of(await file.arrayBuffer()) : await file.text();
      if (current.signal.aborted) return;
      const trimmed = title.trim();
      const created = await importDocument({ groupId, format, content, ...(trimmed ? { title: trimmed } : {}) }, current.signal);
      if (current.signal.aborted) return;
      controller.current = null;
      announce(`Imported: ${created.title}.`);
      onClose();
      navigate(documentPath(created.id));
    } catch (error) {
      if (current.signal.aborted) return;
      controller.current = null;
      setPhase({ state: 'idle', error: importErrorMessage(error, format), note: null });
    }
  };

  const cancel = () => {
    if (!busy) {
      onClose();
      return;
    }
    controller.current?.abort();
    controller.current = null;
    setPhase({ state: 'idle', error: null, note: 'Import cancelled: no draft was created.' });
    announce('Import cancelled.');
  };

  return (
    <form className="form import-form" onSubmit={(event) => void submit(event)} noValidate aria-busy={busy}>
      <fieldset className="import-form__fields" disabled={busy}>
        <FormField label="File" error={fileError} hint={`A Word document (.docx) or Markdown (.md, .markdown, .txt), up to ${MAX_SIZE_TEXT}.`}>
          {(control) => (
            <input
              {...control}
              className="input import-form__file"
              type="file"
              accept={ACCEPT}
              data-autofocus
              onChange={(event) => choose(event.target.files?.[0] ?? null)}
            />
          )}
        </FormField>
        <TextField
          label="Title (optional)"
          error={null}
          hint="Leave empty to use the file’s own title."
          maxLength={TITLE_MAX_LENGTH}
          value={title}
          onChange={setTitle}
        />
      </fieldset>

      {phase.state === 'idle' && phase.error && (
        <p className="form-error" role="alert">
          {phase.error}
        </p>
      )}

      <div className="export-progress import-progress" role="status" aria-live="polite">
        {busy && (
          <>
            <span className="spinner" aria-hidden="true" />
            <span>Importing {file?.name ?? 'the file'}…</span>
          </>
        )}
        {phase.state === 'idle' && phase.note && <span className="export-progress__note">{phase.note}</span>}
      </div>

      <div className="dialog__actions">
        <button type="button" className="button" onClick={cancel}>
          {busy ? 'Cancel import' : 'Cancel'}
        </button>
        <button type="submit" className="button button--primary" disabled={busy || fileError !== null}>
          <Icon name="upload" size={18} />
          Import
        </button>
      </div>
    </form>
  );
}
