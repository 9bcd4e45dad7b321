/**
 * Writing a comment: a new thread's first comment, a reply, or an edit. Ctrl+Enter (⌘+Enter)
 * posts, Esc cancels; the error, if any, is shown in place and the text is kept.
 */
import { useId, useState } from 'react';

import { useFormSubmit } from '../ui/useFormSubmit';
import { isMac } from '../editor/shortcuts';
import { MentionTextarea, mentionIdsIn, type MentionPerson } from './MentionTextarea';

export interface ComposerProps {
  /** The text box's accessible name, e.g. "Reply". */
  label: string;
  placeholder: string;
  submitLabel: string;
  people: MentionPerson[];
  initialBody?: string;
  initialMentions?: MentionPerson[];
  autoFocus?: boolean;
  rows?: number;
  /** Posts; the composer clears itself when it resolves (unless it is going away). */
  onSubmit: (body: string, mentions: string[]) => Promise<void>;
  onCancel: () => void;
  /** Shows Cancel even when empty (new threads and edits; a reply box just empties). */
  alwaysShowActions?: boolean;
  failure: string;
}

export const SUBMIT_HINT = isMac ? '⌘+Enter to post' : 'Ctrl+Enter to post';

export function CommentComposer(props: ComposerProps) {
  const [body, setBody] = useState(props.initialBody ?? '');
  const [mentioned, setMentioned] = useState<MentionPerson[]>(props.initialMentions ?? []);
  const form = useFormSubmit({ failure: props.failure });
  const errorId = useId();
  const hintId = useId();
  const empty = body.trim().length === 0;
  const showActions = props.alwaysShowActions || !empty;

  const submit = () => {
    if (empty || form.busy) return;
    void form.run(async () => {
      await props.onSubmit(body.trim(), mentionIdsIn(body, mentioned));
      setBody('');
      setMentioned([]);
    });
  };

  const cancel = () => {
    if (form.busy) return;
    setBody(props.initialBody ?? '');
    setMentioned(props.initialMentions ?? []);
    form.clearMessages();
    props.onCancel();
  };

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <MentionTextarea
        label={props.label}
        placeholder={props.placeholder}
        value={body}
        onChange={(value) => {
          setBody(value);
          if (form.general) form.clearMessages();
        }}
        mentioned={mentioned}
        onMentionedChange={setMentioned}
        people={props.people}
        onSubmit={submit}
        onCancel={cancel}
        autoFocus={props.autoFocus}
        rows={props.rows}
        disabled={form.busy}
        describedBy={[form.general ? errorId : null, showActions ? hintId : null].filter(Boolean).join(' ') || undefined}
        invalid={form.general !== null}
      />
      {form.general && (
        <p id={errorId} className="form-error composer__error" role="alert">
          {form.general}
        </p>
      )}
      {showActions && (
        <div className="composer__actions">
          <span id={hintId} className="composer__hint">
            {SUBMIT_HINT}
          </span>
          <button type="button" className="button button--quiet button--compact" onClick={cancel} disabled={form.busy}>
            Cancel
          </button>
          <button type="submit" className="button button--primary button--compact" disabled={empty || form.busy}>
            {form.busy ? 'Posting…' : props.submitLabel}
          </button>
        </div>
      )}
    </form>
  );
}
