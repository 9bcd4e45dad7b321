/**
 * The notes under the document text, numbered like their references. Each can be edited or
 * followed back to its place in the text.
 */
import { useEditorState, type Editor } from '@tiptap/react';
import { NodeSelection } from '@tiptap/pm/state';

import { listFootnotes, type FootnoteEntry } from '../../../shared/schema/index';

export function FootnotesList({ editor, onEdit }: { editor: Editor; onEdit: (entry: FootnoteEntry) => void }) {
  const notes = useEditorState({
    editor,
    selector: ({ editor: current }) => listFootnotes(current.state.doc),
    equalityFn: (a, b) => !!b && a.length === b.length && a.every((entry, index) => entry.pos === b[index].pos && entry.note === b[index].note),
  });

  if (notes.length === 0) return null;

  const goTo = (entry: FootnoteEntry) => {
    const { state, view } = editor;
    if (entry.pos >= state.doc.content.size) return;
    view.dispatch(state.tr.setSelection(NodeSelection.create(state.doc, entry.pos)).scrollIntoView());
    view.focus();
  };

  return (
    <section className="footnotes" aria-labelledby="footnotes-title" data-testid="footnotes">
      <h2 id="footnotes-title" className="footnotes__title">
        Notes
      </h2>
      <ol className="footnotes__list">
        {notes.map((entry) => (
          <li key={`${entry.pos}-${entry.number}`} className="footnotes__item" value={entry.number}>
            <span className="footnotes__text">{entry.note || <em>Empty note</em>}</span>
            <span className="footnotes__actions">
              <button type="button" className="link-button" onClick={() => goTo(entry)} aria-label={`Go to the reference of note ${entry.number}`}>
                Go to text
              </button>
              {editor.isEditable && (
                <button type="button" className="link-button" onClick={() => onEdit(entry)} aria-label={`Edit note ${entry.number}`}>
                  Edit
                </button>
              )}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
