/** The files a source paper is imported from, for "Import source paper…" and "Re-import…". */
import type { SourceImportFormat } from '../../../shared/api/index';
import type { ImportableFiles, ImportedFile } from '../import/ImportFileForm';

/** What the form sends for a source paper: its file, and the title and "Cite as" name where the person set them. */
export type SourceFile = ImportedFile<SourceImportFormat>;

export const SOURCE_FILES: ImportableFiles<SourceImportFormat> = {
  accept: '.docx,.md,.markdown,.html,.htm,.txt',
  formatOf: (name) => {
    const lower = name.toLowerCase();
    if (lower.endsWith('.docx')) return 'docx';
    if (lower.endsWith('.md') || lower.endsWith('.markdown')) return 'markdown';
    if (lower.endsWith('.html') || lower.endsWith('.htm')) return 'html';
    if (lower.endsWith('.txt')) return 'text';
    return null;
  },
  names: { docx: 'a Word document', markdown: 'Markdown', html: 'a web page (HTML)', text: 'plain text' },
  hint: 'Word (.docx), Markdown (.md), HTML (.html, .htm) or text (.txt)',
  otherKind: 'Choose a Word document (.docx), Markdown (.md), a web page (.html, .htm) or a text file (.txt).',
};
