/**
 * Insert or edit a link (Ctrl+K). Only web and e-mail addresses are accepted; a bare address
 * like "intgovforum.org" gets https:// added. Anything else (javascript:, data:, file:, in-page
 * anchors) is refused with an explanation.
 */
import type { Editor } from '@tiptap/react';
import { useId, useState, type FormEvent } from 'react';

import { normalizeLinkInput } from '../../../shared/schema/index';
import { Dialog } from '../ui/Dialog';
import { FormField } from '../ui/FormField';
import { asUndoStep } from './undo-steps';

interface LinkDialogProps {
  editor: Editor;
  open: boolean;
  onClose: () => void;
  /** Back to the text once the dialog is gone. */
  onAfterClose: () => void;
}

export function LinkDialog({ editor, open, onClose, onAfterClose }: LinkDialogProps) {
  return (
    <Dialog open={open} title={editor.isActive('link') ? 'Edit link' : 'Insert link'} onClose={onClose} onAfterClose={onAfterClose}>
      {open && <LinkForm editor={editor} onClose={onClose} />}
    </Dialog>
  );
}

function LinkForm({ editor, onClose }: { editor: Editor; onClose: () => void }) {
  const editing = editor.isActive('link');
  const { empty } = editor.state.selection;
  const [href, setHref] = useState<string>(editing ? String(editor.getAttributes('link').href ?? '') : '');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const textId = useId();
  // Without selected text and outside a link, the link needs words to show.
  const needsText = empty && !editing;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const normalized = normalizeLinkInput(href);
    if (!normalized) {
      setError(
        href.trim()
          ? 'Only web addresses (http:// or https://) and e-mail addresses (mailto:) can be linked.'
          : 'Enter the address to link to.',
      );
      return;
    }
    asUndoStep(editor, () => {
      const chain = editor.chain();
      if (editing) {
        chain.extendMarkRange('link').setLink({ href: normalized }).run();
      } else if (needsText) {
        const words = text.trim() || href.trim();
        chain
          .insertContent({ type: 'text', text: words, marks: [{ type: 'link', attrs: { href: normalized } }] })
          .unsetMark('link')
          .run();
      } else {
        chain.setLink({ href: normalized }).run();
      }
    });
    onClose();
  };

  const remove = () => {
    asUndoStep(editor, () => editor.chain().extendMarkRange('link').unsetLink().run());
    onClose();
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      {needsText && (
        <div className="form__field">
          <label htmlFor={textId}>Text to show</label>
          <input id={textId} className="input" type="text" value={text} onChange={(event) => setText(event.target.value)} data-autofocus />
        </div>
      )}
      <FormField label="Web or e-mail address" error={error}>
        {(control) => (
          <input
            {...control}
            className="input"
            type="text"
            inputMode="url"
            placeholder="https://www.intgovforum.org/"
            value={href}
            data-autofocus={needsText ? undefined : true}
            onChange={(event) => {
              setHref(event.target.value);
              setError(null);
            }}
          />
        )}
      </FormField>
      <div className="dialog__actions">
        {editing && (
          <button type="button" className="button button--quiet dialog__actions-start" onClick={remove}>
            Remove link
          </button>
        )}
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button button--primary">
          {editing ? 'Save' : 'Insert link'}
        </button>
      </div>
    </form>
  );
}
