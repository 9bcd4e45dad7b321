/**
 * Editor behaviour of footnotes (the node itself is defined in shared/schema): numbering in
 * document order and a clickable superscript number that opens the note. (Enter on a selected
 * footnote is handled in editor-shortcuts.ts.)
 */
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';

import { Footnote, listFootnotes } from '../../../../shared/schema/index';

export interface FootnoteViewOptions {
  HTMLAttributes: Record<string, unknown>;
  /** Opens the note editor for the footnote at `pos`. */
  onEdit: (pos: number) => void;
}

const numberingKey = new PluginKey<DecorationSet>('footnoteNumbering');

function numberDecorations(state: EditorState): DecorationSet {
  const decorations = listFootnotes(state.doc).map((entry) => {
    const node = state.doc.nodeAt(entry.pos)!;
    return Decoration.node(entry.pos, entry.pos + node.nodeSize, {}, { footnoteNumber: entry.number });
  });
  return DecorationSet.create(state.doc, decorations);
}

function numberFrom(decorations: readonly Decoration[]): number | null {
  for (const decoration of decorations) {
    const value = (decoration.spec as { footnoteNumber?: number }).footnoteNumber;
    if (typeof value === 'number') return value;
  }
  return null;
}

export const FootnoteWithView = Footnote.extend<FootnoteViewOptions>({
  addOptions() {
    return { ...this.parent?.(), HTMLAttributes: {}, onEdit: () => undefined };
  },

  addNodeView() {
    return ({ node, decorations, getPos, editor }) => {
      const dom = document.createElement('sup');
      dom.className = 'footnote-ref';
      dom.setAttribute('data-footnote', '');
      dom.setAttribute('role', 'doc-noteref');
      dom.contentEditable = 'false';

      let current = node;
      const render = (number: number | null) => {
        const label = number === null ? '*' : String(number);
        dom.textContent = label;
        const note = String(current.attrs.note ?? '');
        dom.title = note ? `Footnote ${label}: ${note}` : `Footnote ${label}`;
        dom.setAttribute('aria-label', dom.title);
      };
      render(numberFrom(decorations));

      dom.addEventListener('click', (event) => {
        if (!editor.isEditable) return;
        const pos = typeof getPos === 'function' ? getPos() : undefined;
        if (typeof pos !== 'number') return;
        event.preventDefault();
        this.options.onEdit(pos);
      });

      return {
        dom,
        update: (updated, updatedDecorations) => {
          if (updated.type !== current.type) return false;
          current = updated;
          render(numberFrom(updatedDecorations));
          return true;
        },
        selectNode: () => dom.classList.add('is-selected'),
        deselectNode: () => dom.classList.remove('is-selected'),
        ignoreMutation: () => true,
      };
    };
  },

  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet>({
        key: numberingKey,
        state: {
          init: (_config, state) => numberDecorations(state),
          apply: (tr, previous, _oldState, newState) => (tr.docChanged ? numberDecorations(newState) : previous),
        },
        props: {
          decorations: (state) => numberingKey.getState(state),
        },
      }),
    ];
  },
});
