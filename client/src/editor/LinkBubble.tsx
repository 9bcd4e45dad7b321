/**
 * While the caret is in a link: a small bubble under it with the address and actions (open,
 * edit, remove), because links don't open on a plain click in the editor.
 */
import type { Editor } from '@tiptap/react';
import { useEditorState } from '@tiptap/react';
import { BubbleMenu } from '@tiptap/react/menus';

import { isAllowedLinkHref } from '../../../shared/schema/index';
import { Icon } from '../ui/Icon';

export function LinkBubble({ editor, onEdit }: { editor: Editor; onEdit: () => void }) {
  const href = useEditorState({
    editor,
    selector: ({ editor: current }) => (current.isActive('link') ? String(current.getAttributes('link').href ?? '') : ''),
  });

  return (
    <BubbleMenu
      editor={editor}
      pluginKey="linkBubble"
      shouldShow={({ editor: current, state }) => current.isEditable && state.selection.empty && current.isActive('link')}
      options={{ placement: 'bottom-start', offset: 6 }}
      className="link-bubble"
    >
      {href && (
        <div className="link-bubble__content" role="group" aria-label="Link">
          {isAllowedLinkHref(href) ? (
            <a className="link-bubble__href" href={href} target="_blank" rel="noopener noreferrer nofollow" title="Open link in a new tab">
              {href}
            </a>
          ) : (
            <span className="link-bubble__href">{href}</span>
          )}
          <button type="button" className="icon-button" aria-label="Edit link" data-tooltip="Edit link" onClick={onEdit}>
            <Icon name="pencil" size={18} />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Remove link"
            data-tooltip="Remove link"
            onClick={() => editor.chain().focus().extendMarkRange('link').unsetLink().run()}
          >
            <Icon name="close" size={18} />
          </button>
        </div>
      )}
    </BubbleMenu>
  );
}
