/**
 * The word count dialog (Ctrl+Shift+C): words, characters, characters without spaces and
 * paragraphs of the document and, when text is selected, of the selection, kept current while
 * others type.
 */
import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';

import { Dialog } from '../ui/Dialog';
import { countDocument, type DocumentCounts } from './count';
import './word-count.css';

const ROWS: Array<{ key: keyof DocumentCounts; label: string }> = [
  { key: 'words', label: 'Words' },
  { key: 'characters', label: 'Characters' },
  { key: 'charactersWithoutSpaces', label: 'Characters excluding spaces' },
  { key: 'paragraphs', label: 'Paragraphs' },
];

const format = new Intl.NumberFormat();

interface WordCountDialogProps {
  editor: Editor;
  open: boolean;
  onClose: () => void;
  onAfterClose?: () => void;
}

export function WordCountDialog({ editor, open, onClose, onAfterClose }: WordCountDialogProps) {
  const counts = useEditorState({
    editor,
    selector: ({ editor: current }) => {
      if (!open) return null;
      const { doc, selection } = current.state;
      return {
        document: countDocument(doc),
        selection: selection.empty ? null : countDocument(doc, selection.from, selection.to),
      };
    },
  });

  return (
    <Dialog open={open} title="Word count" onClose={onClose} onAfterClose={onAfterClose} className="word-count-dialog">
      {counts && (
        <table className="word-count" data-testid="word-count">
          <thead>
            <tr>
              <td />
              {counts.selection && <th scope="col">Selection</th>}
              <th scope="col">Document</th>
            </tr>
          </thead>
          <tbody>
            {ROWS.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.label}</th>
                {counts.selection && <td data-count={`selection-${row.key}`}>{format.format(counts.selection[row.key])}</td>}
                <td data-count={`document-${row.key}`}>{format.format(counts.document[row.key])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="dialog__actions">
        <button type="button" className="button button--primary" data-autofocus onClick={onClose}>
          OK
        </button>
      </div>
    </Dialog>
  );
}
