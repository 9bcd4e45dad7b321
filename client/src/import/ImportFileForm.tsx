/**
 * The form that sends a file to import, shared by "Import…" (a new draft), "Import source paper…"
 * and "Re-import…": the file (of the kinds the dialog accepts), its title and, for source papers,
 * the short name citations use ("Options Paper"). The size is checked before anything is sent;
 * while the server converts the file the form says so and can be cancelled; the server's refusal
 * is shown in words.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';

import { CITE_AS_MAX_LENGTH, IMPORT_MAX_FILE_BYTES, TITLE_MAX_LENGTH, type ImportSourceRequest, type SourceImportFormat } from '../../../shared/api/index';
import { ApiError } from '../api/http';
import { announce } from '../ui/announce';
import { FormField, TextField } from '../ui/FormField';
import { Icon } from '../ui/Icon';
import '../export/export.css';
import './import.css';

/** The files a form imports: which it accepts, and how it speaks of them. */
export interface ImportableFiles<F extends SourceImportFormat> {
  /** The file input's accept list: ".docx,.md,.markdown,.txt". */
  accept: string;
  /** The format a file is imported as, from its name; null for anything else. */
  formatOf: (name: string) => F | null;
  /** Each format as "This file couldn’t be read as …" names it: "a Word document". */
  names: Record<F, string>;
  /** The kinds of file, as the file field's hint lists them before the size limit. */
  hint: string;
  /** What the form says when a file of another kind is chosen. */
  otherKind: string;
}

/** What the form sends: the file, and the title and "Cite as" name where the person set them. */
export type ImportedFile<F extends SourceImportFormat> = Omit<ImportSourceRequest, 'groupId' | 'format'> & { format: F };

function base64Of(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(binary);
}

const MIB = 2 ** 20;
/** "10 MB", "10.1 MB", "250 KB": rounded up, so a file just over the limit never reads as the limit itself. */
const sizeText = (bytes: number) => (bytes >= MIB ? `${Math.ceil((bytes / MIB) * 10) / 10} MB` : `${Math.max(1, Math.ceil(bytes / 1024))} KB`);
/** "10 MB": the largest file that can be imported, of any kind. */
const MAX_SIZE_TEXT = sizeText(IMPORT_MAX_FILE_BYTES);

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
export interface ImportRefusals {
  /** The person may not do this (no_access, forbidden). */
  forbidden: string;
  /** The group or the source is gone (not_found). */
  notFound: string;
}

/** What went wrong, in words; the server's reason where it gave one for a field. */
function importErrorMessage(error: unknown, formatName: string, refusals: ImportRefusals): string {
  if (!(error instanceof ApiError)) return 'The file couldn’t be imported. Please try again.';
  if (error.isNetworkError) {
    return navigator.onLine ? 'The server can’t be reached right now. Check your connection and try again.' : 'You are offline. Connect to the internet and try again.';
  }
  switch (error.code) {
    case 'invalid_content':
      // The server's reason says what is wrong with the file ("it is not a ZIP archive", "the file has no text").
      return `This file couldn’t be read as ${formatName} (${error.message.replace(/\.$/, '')}).`;
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
  if (error.status === 403) return refusals.forbidden;
  if (error.status === 429 || error.status === 503) return 'The server is busy right now. Please try again in a minute.';
  return 'The file couldn’t be imported because of a problem on the server. Please try again in a moment.';
}

/** Why `chosen` can't be imported, or null. */
function fileProblem<F extends SourceImportFormat>(chosen: File, files: ImportableFiles<F>): string | null {
  const format = files.formatOf(chosen.name);
  if (!format) return files.otherKind;
  if (chosen.size === 0) return 'This file is empty.';
  // Within this size the content fits the server's limit either way: a Word file's base64 is
  // IMPORT_MAX_CHARS at most, and UTF-8 text has no more characters than bytes.
  if (chosen.size > IMPORT_MAX_FILE_BYTES) {
    const advice = format === 'docx' ? ' Saving it without images may make it small enough.' : '';
    return `This file is ${sizeText(chosen.size)}; files up to ${MAX_SIZE_TEXT} can be imported.${advice}`;
  }
  return null;
}

export interface ImportFileFormProps<F extends SourceImportFormat> {
  files: ImportableFiles<F>;
  /** The title the field starts with; it is sent only when changed from it. */
  initialTitle: string;
  /** "Title" unless given. */
  titleLabel?: string;
  titleHint: string;
  /** Fill the title in from each chosen file, until the person types one. */
  suggestTitle: boolean;
  /** The "Cite as" field (source papers only): the name it starts with, sent only when changed from it. */
  citeAs?: { initial: string; hint: string };
  /** The action, as on the submit button: "Import", "Re-import". */
  action: string;
  /** What the progress line says while `fileName` is sent and converted. */
  progress: (fileName: string) => string;
  /** What the form says after the person cancelled while the file was being sent. */
  cancelledNote: string;
  refusals: ImportRefusals;
  /** Sends the file; a rejection is shown in the form. */
  onSubmit: (file: ImportedFile<F>, signal: AbortSignal) => Promise<void>;
  onClose: () => void;
}

type Phase = { state: 'idle'; error: string | null; note: string | null } | { state: 'busy' };

export function ImportFileForm<F extends SourceImportFormat>(props: ImportFileFormProps<F>) {
  const { files, initialTitle, suggestTitle, action, refusals, onSubmit, onClose } = props;
  const initialCiteAs = props.citeAs?.initial ?? '';
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
    const problem = chosen ? fileProblem(chosen, files) : null;
    setFileError(problem);
    setPhase({ state: 'idle', error: null, note: null });
    const format = chosen && files.formatOf(chosen.name);
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
    const problem = fileProblem(file, files);
    const format = files.formatOf(file.name);
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
      setPhase({ state: 'idle', error: importErrorMessage(error, files.names[format], refusals), note: null });
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
        <FormField label="File" error={fileError} hint={`${files.hint}, up to ${MAX_SIZE_TEXT}.`}>
          {(control) => (
            <input
              {...control}
              className="input import-form__file"
              type="file"
              accept={files.accept}
              data-autofocus
              onChange={(event) => choose(event.target.files?.[0] ?? null)}
            />
          )}
        </FormField>
        <TextField
          label={props.titleLabel ?? 'Title'}
          error={null}
          hint={props.titleHint}
          maxLength={TITLE_MAX_LENGTH}
          value={title}
          onChange={(value) => {
            setTitle(value);
            titleEdited.current = true;
          }}
        />
        {props.citeAs && (
          <TextField
            label="Cite as"
            error={null}
            hint={props.citeAs.hint}
            placeholder="e.g. Options Paper"
            maxLength={CITE_AS_MAX_LENGTH}
            value={citeAs}
            onChange={setCiteAs}
          />
        )}
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
