import { mergeAttributes, Node } from '@tiptap/core';

export interface FootnoteOptions {
  HTMLAttributes: Record<string, unknown>;
}

/** Longest note text accepted; a footnote is a sentence or a short paragraph, not a chapter. */
export const FOOTNOTE_MAX_LENGTH = 4000;

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    footnote: {
      /** Inserts a footnote reference carrying `note` at the current selection (replacing it). */
      insertFootnote: (note: string) => ReturnType;
      /** Changes the text of the footnote at document position `pos`. */
      updateFootnote: (pos: number, note: string) => ReturnType;
    };
  }
}

function cleanNote(note: string): string {
  return note.replace(/\s+/g, ' ').trim().slice(0, FOOTNOTE_MAX_LENGTH);
}

/**
 * A footnote reference: an inline atom whose note text is the `note` attribute. It is numbered
 * by its position in the document (1, 2, 3 … in reading order), so numbers never need updating
 * when notes are added, moved or removed. In ProseMirror JSON it is
 * `{ "type": "footnote", "attrs": { "note": "…" } }`, which is all an exporter needs.
 *
 * HTML form: `<sup data-footnote data-note="…">*</sup>`; the editor shows the number instead.
 */
export const Footnote = Node.create<FootnoteOptions>({
  name: 'footnote',
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,
  draggable: false,

  addOptions() {
    return { HTMLAttributes: {} };
  },

  addAttributes() {
    return {
      note: {
        default: '',
        parseHTML: (element) => cleanNote(element.getAttribute('data-note') ?? ''),
        renderHTML: (attributes) => ({ 'data-note': attributes.note }),
      },
    };
  },

  parseHTML() {
    return [{ tag: 'sup[data-footnote]' }];
  },

  renderHTML({ HTMLAttributes }) {
    return ['sup', mergeAttributes(this.options.HTMLAttributes, { 'data-footnote': '' }, HTMLAttributes), '*'];
  },

  renderText({ node }) {
    return ` [${node.attrs.note as string}]`;
  },

  addCommands() {
    return {
      insertFootnote:
        (note) =>
        ({ state, tr, dispatch }) => {
          const text = cleanNote(note);
          if (!text) return false;
          const node = this.type.create({ note: text });
          // Footnote references go after the selected words, like Word and Google Docs do.
          const at = state.selection.to;
          const $at = state.doc.resolve(at);
          if (!$at.parent.canReplaceWith($at.index(), $at.index(), this.type)) return false;
          if (dispatch) {
            tr.insert(at, node);
            dispatch(tr.scrollIntoView());
          }
          return true;
        },
      updateFootnote:
        (pos, note) =>
        ({ state, tr, dispatch }) => {
          const node = state.doc.nodeAt(pos);
          if (!node || node.type !== this.type) return false;
          const text = cleanNote(note);
          if (!text) return false;
          if (dispatch) dispatch(tr.setNodeMarkup(pos, undefined, { ...node.attrs, note: text }));
          return true;
        },
    };
  },
});
