/**
 * Typing right after a link continues plain text, as in Word and Google Docs. (Tiptap's link
 * mark is "inclusive" so that autolinking works while a URL is being typed; autolinking here
 * happens when the URL is complete, so nothing is lost.)
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';

export const LinkBoundary = Extension.create({
  name: 'linkBoundary',

  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('linkBoundary'),
        props: {
          handleTextInput: (view, from, to, text) => {
            const linkType = view.state.schema.marks.link;
            if (!linkType || from !== to) return false;
            const $from = view.state.doc.resolve(from);
            const marks = view.state.storedMarks ?? $from.marks();
            if (!linkType.isInSet(marks)) return false;
            // Inside a link (the next character is linked too) typing stays in it.
            if ($from.nodeAfter && linkType.isInSet($from.nodeAfter.marks)) return false;
            const tr = view.state.tr.setStoredMarks(marks.filter((mark) => mark.type !== linkType)).insertText(text, from, to);
            view.dispatch(tr);
            return true;
          },
        },
      }),
    ];
  },
});
