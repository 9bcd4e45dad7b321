import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';

import { cleanPastedHtml } from '../paste/clean-pasted-html';

/** Runs every pasted HTML fragment through cleanPastedHtml (Word / Google Docs clean-up). */
export const PasteCleanup = Extension.create({
  name: 'pasteCleanup',

  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('pasteCleanup'),
        props: {
          transformPastedHTML: (html) => {
            try {
              return cleanPastedHtml(html);
            } catch (error) {
              // Never lose a paste because the clean-up failed; ProseMirror's own parser and the
              // schema still keep out anything the document can't hold.
              console.warn('Concord: paste clean-up failed, pasting as is', error);
              return html;
            }
          },
        },
      }),
    ];
  },
});
