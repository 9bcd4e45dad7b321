/**
 * Shows heading numbers (1., 1.1, 1.1.1) in front of headings when the document's shared
 * numberedHeadings setting is on. The numbers are widgets, not text: they renumber themselves
 * as headings move and never end up in the document or in copied text.
 */
import { Extension } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';

import { numberHeadings } from '../../../../shared/schema/index';

interface NumberingState {
  enabled: boolean;
  decorations: DecorationSet;
}

const numberingKey = new PluginKey<NumberingState>('headingNumbering');

function buildDecorations(doc: ProseMirrorNode): DecorationSet {
  const widgets = numberHeadings(doc).map(({ pos, label }) =>
    Decoration.widget(
      pos + 1,
      () => {
        const number = document.createElement('span');
        number.className = 'heading-number';
        number.contentEditable = 'false';
        number.textContent = `${label} `;
        return number;
      },
      // Before the caret at the start of the heading; re-created only when the label changes.
      { side: -1, ignoreSelection: true, key: `heading-number-${label}` },
    ),
  );
  return DecorationSet.create(doc, widgets);
}

/** Turns the numbers on or off in this editor (the setting itself lives in the Y.Doc). */
export function setHeadingNumbering(view: EditorView, enabled: boolean): void {
  if (numberingKey.getState(view.state)?.enabled === enabled) return;
  view.dispatch(view.state.tr.setMeta(numberingKey, enabled).setMeta('addToHistory', false));
}

export const HeadingNumbering = Extension.create({
  name: 'headingNumbering',

  addProseMirrorPlugins() {
    return [
      new Plugin<NumberingState>({
        key: numberingKey,
        state: {
          init: () => ({ enabled: false, decorations: DecorationSet.empty }),
          apply: (tr: Transaction, previous, _oldState, newState) => {
            const requested = tr.getMeta(numberingKey) as boolean | undefined;
            const enabled = requested ?? previous.enabled;
            if (enabled === previous.enabled && !tr.docChanged) return previous;
            return { enabled, decorations: enabled ? buildDecorations(newState.doc) : DecorationSet.empty };
          },
        },
        props: {
          decorations: (state) => numberingKey.getState(state)?.decorations,
        },
      }),
    ];
  },
});
