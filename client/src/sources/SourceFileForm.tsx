/**
 * The form that sends a source paper's file, shared by "Import source paper…" and "Re-import…":
 * a Word document, Markdown, HTML or plain text file, its title and the short name citations use
 * ("Options Paper"). The size is checked before anything is sent; while the server converts and
 * numbers the paper the form says so and can be cancelled; the server's refusal is shown in words.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';

import { CITE_AS_MAX_LENGTH, IMPORT_MAX_FILE_BYTES, TITLE_MAX_LENGTH, type ImportSourceRequest, type SourceImportFormat } from '../../../shared/api/index';
import { ApiError } from '../api/http';
import { base64Of, MAX_SIZE_TEXT, sizeText } from '../home/ImportDialog';
import { announce } from '../ui/announce';
import { FormField, TextField } from '../ui/FormField';
import { Icon } from '../ui/Icon';
import '../export/export.css';
import '../home/import.css';

/** What the form sends: the file, and the title and "Cite as" name where the person set them. */
export type SourceFile = Omit<ImportSourceRequest, 'groupId'>;

const ACCEPT = '.docx,.md,.markdown,.html,.htm,.txt';

const FORMAT_NAMES: Record<SourceImportFormat, string> = {
  docx: 'a Word document',
  markdown: 'Markdown',
  html: 'a web page (HTML)',
  text: 'plain text',
};

/** The format a file is imported as, from its name; null for anything else. */
function sourceFormatOf(name: string): SourceImportFormat | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.docx')) return 'docx';
  if (lower.endsWith('.md') || lower.endsWith('.markdown')) return 'markdown';
  if (lower.endsWith('.html') || lower.endsWith('.htm')) return 'html';
  if (lower.endsWith('.txt')) return 'text';
  return null;
}

/** Enough of the start of a file to find its title in. */
const TITLE_SCAN_BYTES = 64 * 1024;

/** The title the server would find in the file (its first heading or line), else the file's name. */
async function suggestedTitle(file: File, format: SourceImportFormat): Promise<string> {
  const fromName = file.name.replace(/\.[^.]+$/, '').replace(/[-_]+/g, ' ').trim();
  let found = '';
  if (format !== 'docx') {
    const head = await file.slice(0, TITLE_SCAN_BYTES).text();
    if (format === 'html') {
      const parsed = new DOMParser().parseFromString(head, 'text/html');
      found = parsed.title || parsed.querySelector('h1')?.textContent || '';
    } else {
      const lines = head.split(/\r?\n/).map((line) => line.trim());
      const heading = format === 'markdown' ? lines.find((line) => /^#\s+\S/.test(line)) : undefined;
      found = (heading ?? lines.find((line) => line !== '') ?? '').replace(/^#+\s*/, '').replace(/[*_`]/g, '');
    }
  }
  return (found.replace(/\s+/g, ' ').trim() || fromName).slice(0, TITLE_MAX_LENGTH);
}

/** What the server's refusals mean for this form's action. */
export interface SourceFileRefusals {
  /** The person may not do this (no_access, forbidden). */
  forbidden: string;
  /** The group or the source is gone (not_found). */
  notFound: string;
}

/** What went wrong, in words; the server's reason where it gave one for a field. */
function sourceFileErrorMessage(error: unknown, format: SourceImportFormat, refusals: SourceFileRefusals): string {
  if (!(error instanceof ApiError)) return 'The file couldn’t be imported. Please try again.';
  if (error.isNetworkError) {
    return navigator.onLine ? 'The server can’t be reached right now. Check your connection and try again.' : 'You are offline. Connect to the internet and try again.';
  }
  switch (error.code) {
    case 'invalid_content':
      // The server's reason says what is wrong with the file ("it is not a ZIP archive", "the file has no text").
      return `This file couldn’t be read as ${FORMAT_NAMES[format]} (${error.message.replace(/\.$/, '')}).`;
    case 'too_large':
      return `This file is too large to import: files up to ${MAX_SIZE_TEXT} can be imported.`;
    case 'no_access':
    case 'forbidden':
      return refusals.forbidden;
    case 'not_found':
      return refusals.notFound;
    case 'unauthenticated':
      return 'Your sign-in has ended. Sign in again, then try again.';
    case 'invalid_request':
      if (error.fieldError('title')) return `The title isn’t right: ${error.fieldError('title')}.`;
      if (error.fieldError('citeAs')) return `The “Cite as” name isn’t right: ${error.fieldError('citeAs')}.`;
      return 'The server didn’t accept this file. Reload the page and try again.';
  }
  if (error.status === 413) return 'This file is too large to import.';
  if (error.status === 429 || error.status === 503) return 'The server is busy right now. Please try again in a minute.';
  return 'The file couldn’t be imported because of a problem on the server. Please try again in a moment.';
}

/** Why `chosen` can't be imported, or null. */
function fileProblem(chosen: File): string | null {
  if (!sourceFormatOf(chosen.name)) return 'Choose a Word document (.docx), Markdown (.md), a web page (.html, .htm) or a text file (.txt).';
  if (chosen.size === 0) return 'This file is empty.';
  if (chosen.size > IMPORT_MAX_FILE_BYTES) return `This file is ${sizeText(chosen.size)}; files up to ${MAX_SIZE_TEXT} can be imported.`;
  return null;
}

export interface SourceFileFormProps {
  /** The title and "Cite as" name the fields start with; each is sent only when changed from it. */
  initialTitle: string;
  initialCiteAs: string;
  /** Fill the title in from each chosen file, until the person types one. */
  suggestTitle: boolean;
  titleHint: string;
  citeAsHint: string;
  /** The action, as on the submit button: "Import", "Re-import". */
  action: string;
  /** What the progress line says while `fileName` is sent and numbered. */
  progress: (fileName: string) => string;
  /** What the form says after the person cancelled while the file was being sent. */
  cancelledNote: string;
  refusals: SourceFileRefusals;
  /** Sends the file; a rejection is shown in the form. */
  onSubmit: (file: SourceFile, signal: AbortSignal) => Promise<void>;
  onClose: () => void;
}

type Phase = { state: 'idle'; error: string | null; note: string | null } | { state: 'busy' };

export function SourceFileForm(props: SourceFileFormProps) {
  const { initialTitle, initialCiteAs, suggestTitle, action, refusals, onSubmit, onClose } = props;
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [title, setTitle] = useState(initialTitle);
  const titleEdited = useRef(false);
  const chosenRef = useRef<File | null>(null);
  const [citeAs, setCiteAs] = useState(initialCiteAs);
  const [phase, setPhase] = useState<Phase>({ state: 'idle', error: null, note: null });
  const controller = useRef<AbortController | null>(null);
  const busy = phase.state === 'busy';

  // Closing the dialog while the file is being sent stops waiting for it.
  useEffect(() => () => controller.current?.abort(), []);

  const choose = (chosen: File | null) => {
    setFile(chosen);
    chosenRef.current = chosen;
    const problem = chosen ? fileProblem(chosen) : null;
    setFileError(problem);
    setPhase({ state: 'idle', error: null, note: null });
    const format = chosen && sourceFormatOf(chosen.name);
    if (suggestTitle && chosen && format && !problem) {
      void suggestedTitle(chosen, format).then((suggestion) => {
        // Only if no other file was chosen and no title typed meanwhile.
        if (chosenRef.current === chosen && !titleEdited.current) setTitle(suggestion);
      });
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!file) {
      setFileError('Choose a file to import.');
      return;
    }
    const problem = fileProblem(file);
    const format = sourceFormatOf(file.name);
    if (problem || !format) {
      setFileError(problem);
      return;
    }
    const current = new AbortController();
    controller.current = current;
    setPhase({ state: 'busy' });
    announce(props.progress(file.name));
    try {
      const content = format === 'docx' ? base64Of(await file.arrayBuffer()) : await file.text();
      if (current.signal.aborted) return;
      const trimmedTitle = title.trim();
      const trimmedCiteAs = citeAs.trim();
      await onSubmit(
        {
          format,
          content,
          ...(trimmedTitle && trimmedTitle !== initialTitle ? { title: trimmedTitle } : {}),
          ...(trimmedCiteAs && trimmedCiteAs !== initialCiteAs ? { citeAs: trimmedCiteAs } : {}),
        },
        current.signal,
      );
      if (current.signal.aborted) return;
      controller.current = null;
      setPhase({ state: 'idle', error: null, note: null });
    } catch (error) {
      if (current.signal.aborted) return;
      controller.current = null;
      setPhase({ state: 'idle', error: sourceFileErrorMessage(error, format, refusals), note: null });
    }
  };

  const cancel = () => {
    if (!busy) {
      onClose();
      return;
    }
    controller.current?.abort();
    controller.current = null;
    setPhase({ state: 'idle', error: null, note: props.cancelledNote });
    announce(props.cancelledNote);
  };

  return (
    <form className="form import-form" onSubmit={(event) => void submit(event)} noValidate aria-busy={busy}>
      <fieldset className="import-form__fields" disabled={busy}>
        <FormField label="File" error={fileError} hint={`Word (.docx), Markdown (.md), HTML (.html, .htm) or text (.txt), up to ${MAX_SIZE_TEXT}.`}>
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
          label="Title"
          error={null}
          hint={props.titleHint}
          maxLength={TITLE_MAX_LENGTH}
          value={title}
          onChange={(value) => {
            setTitle(value);
            titleEdited.current = true;
          }}
        />
        <TextField
          label="Cite as"
          error={null}
          hint={props.citeAsHint}
          placeholder="e.g. Options Paper"
          maxLength={CITE_AS_MAX_LENGTH}
          value={citeAs}
          onChange={setCiteAs}
        />
      </fieldset>

      {phase.state === 'idle' && phase.error && (
        <p className="form-error" role="alert">
          {phase.error}
        </p>
      )}

      <div className="export-progress import-progress" role="status" aria-live="polite">
        {busy && file && (
          <>
            <span className="spinner" aria-hidden="true" />
            <span>{props.progress(file.name)}</span>
          </>
        )}
        {phase.state === 'idle' && phase.note && <span className="export-progress__note">{phase.note}</span>}
      </div>

      <div className="dialog__actions">
        <button type="button" className="button" onClick={cancel}>
          {busy ? `Cancel ${action.toLowerCase()}` : 'Cancel'}
        </button>
        <button type="submit" className="button button--primary" disabled={busy || fileError !== null}>
          <Icon name="upload" size={18} />
          {action}
        </button>
      </div>
    </form>
  );
}
