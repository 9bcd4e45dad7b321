/**
 * "Import source paper…": a read-only source document (the Options Paper, the Roadmap…) from a
 * file (see ImportFileForm), with its title (prefilled from the file) and the short name
 * citations use; on success the source opens.
 */
import { useRef, useState } from 'react';

import { importSource } from '../api/sources';
import { ImportFileForm } from '../import/ImportFileForm';
import { documentPath, navigate } from '../router';
import { announce } from '../ui/announce';
import { Dialog } from '../ui/Dialog';
import { Icon } from '../ui/Icon';
import { SOURCE_FILES, type SourceFile } from './source-files';

/** The "Import source paper…" button and its dialog; focus comes back to the button when it closes. */
export function ImportSourceButton({ groupId, className = 'button' }: { groupId: string; className?: string }) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const close = () => setOpen(false);

  const importFile = async (file: SourceFile, signal: AbortSignal) => {
    const created = await importSource({ groupId, ...file }, signal);
    if (signal.aborted) return;
    announce(`Imported ${created.title}: ${created.paragraphCount} paragraphs.`);
    close();
    navigate(documentPath(created.id));
  };

  return (
    <>
      <button ref={buttonRef} type="button" className={className} aria-haspopup="dialog" onClick={() => setOpen(true)}>
        <Icon name="upload" size={18} />
        Import source paper…
      </button>
      <Dialog
        open={open}
        title="Import a source paper"
        description="A paper the group works on, such as the Options Paper or the Roadmap. It stays read-only; every paragraph is numbered so members can annotate and cite it."
        onClose={close}
        onAfterClose={() => buttonRef.current?.focus()}
        className="import-dialog"
      >
        {open && (
          <ImportFileForm
            files={SOURCE_FILES}
            initialTitle=""
            suggestTitle
            titleHint="Taken from the file; change it if you like."
            citeAs={{ initial: '', hint: 'The short name citations use, as in “Options Paper V.4”. Leave empty to use the title.' }}
            action="Import"
            progress={(fileName) => `Uploading and numbering ${fileName}…`}
            cancelledNote="Import cancelled: no source paper was created."
            refusals={{ forbidden: 'You can’t add source papers to this group.', notFound: 'This working group no longer exists.' }}
            onSubmit={importFile}
            onClose={close}
          />
        )}
      </Dialog>
    </>
  );
}
