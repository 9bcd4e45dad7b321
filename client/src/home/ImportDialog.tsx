/**
 * "Import…": a new draft from a file, a Word document (.docx, sent as base64) or Markdown (.md,
 * .markdown, .txt, sent as text), with an optional title (else the file's own title), through the
 * shared ImportFileForm; on success the new draft opens.
 */
import { useRef, useState } from 'react';

import type { ImportFormat } from '../../../shared/api/index';
import { importDocument } from '../api/documents';
import { ImportFileForm, type ImportableFiles, type ImportedFile } from '../import/ImportFileForm';
import { documentPath, navigate } from '../router';
import { announce } from '../ui/announce';
import { Dialog } from '../ui/Dialog';
import { Icon } from '../ui/Icon';

const DRAFT_FILES: ImportableFiles<ImportFormat> = {
  accept: '.docx,.md,.markdown,.txt',
  formatOf: (name) => {
    const lower = name.toLowerCase();
    if (lower.endsWith('.docx')) return 'docx';
    if (lower.endsWith('.md') || lower.endsWith('.markdown') || lower.endsWith('.txt')) return 'markdown';
    return null;
  },
  names: { docx: 'a Word document', markdown: 'Markdown text' },
  hint: 'A Word document (.docx) or Markdown (.md, .markdown, .txt)',
  otherKind: 'Choose a Word document (.docx) or a Markdown file (.md, .markdown, .txt).',
};

/** The "Import…" button and its dialog; focus comes back to the button when it closes. */
export function ImportButton({ groupId, className = 'button', label }: { groupId: string; className?: string; /** An accessible name naming the group, where there are several. */ label?: string }) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const close = () => setOpen(false);

  const importFile = async (file: ImportedFile<ImportFormat>, signal: AbortSignal) => {
    const created = await importDocument({ groupId, ...file }, signal);
    if (signal.aborted) return;
    announce(`Imported: ${created.title}.`);
    close();
    navigate(documentPath(created.id));
  };

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
        onClose={close}
        onAfterClose={() => buttonRef.current?.focus()}
        className="import-dialog"
      >
        {open && (
          <ImportFileForm
            files={DRAFT_FILES}
            initialTitle=""
            suggestTitle={false}
            titleLabel="Title (optional)"
            titleHint="Leave empty to use the file’s own title."
            action="Import"
            progress={(fileName) => `Importing ${fileName}…`}
            cancelledNote="Import cancelled: no draft was created."
            refusals={{ forbidden: 'You can’t create drafts in this group any more.', notFound: 'This working group no longer exists.' }}
            onSubmit={importFile}
            onClose={close}
          />
        )}
      </Dialog>
    </>
  );
}
