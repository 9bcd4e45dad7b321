/**
 * A comment box with @mentions: typing "@" (at the start or after a space) opens a list of the
 * group's members filtered by what follows; ↑/↓ move, Enter or Tab inserts "@Name", Esc closes
 * the list. The chosen people are kept with the text, and only those whose "@Name" is still in
 * it when the comment is posted are sent as mentions. Ctrl+Enter (⌘+Enter) posts, Esc cancels.
 * ARIA combobox pattern: the list is announced and followed with aria-activedescendant.
 */
import { useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';

import { COMMENT_MAX_LENGTH } from '../../../shared/api/index';
import { Avatar } from '../ui/Avatar';

export interface MentionPerson {
  id: string;
  name: string;
  color: string;
}

interface MentionTextareaProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** People chosen from the list so far (kept by the composer with its text). */
  mentioned: MentionPerson[];
  onMentionedChange: (people: MentionPerson[]) => void;
  /** Who can be mentioned: the group's members. */
  people: MentionPerson[];
  onSubmit: () => void;
  onCancel: () => void;
  placeholder?: string;
  autoFocus?: boolean;
  disabled?: boolean;
  rows?: number;
  describedBy?: string;
  invalid?: boolean;
}

/** The "@query" being typed just before the caret: where its "@" is and what follows it. */
function mentionQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|[\s([{"'“‘])@([^@\n]{0,40})$/.exec(before);
  if (!match) return null;
  return { start: caret - match[2].length - 1, query: match[2] };
}

function matches(person: MentionPerson, query: string): boolean {
  const wanted = query.trim().toLocaleLowerCase();
  if (!wanted) return true;
  const name = person.name.toLocaleLowerCase();
  return name.startsWith(wanted) || name.split(/\s+/).some((word) => word.startsWith(wanted));
}

/** The ids of the chosen people whose "@Name" is still in the text. */
export function mentionIdsIn(text: string, mentioned: readonly MentionPerson[]): string[] {
  const ids = new Set<string>();
  for (const person of mentioned) if (text.includes(`@${person.name}`)) ids.add(person.id);
  return [...ids];
}

const MAX_SUGGESTIONS = 8;

export function MentionTextarea(props: MentionTextareaProps) {
  const { label, value, onChange, mentioned, onMentionedChange, people, onSubmit, onCancel } = props;
  const ref = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const optionPrefix = useId();
  const [caret, setCaret] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [highlighted, setHighlighted] = useState(0);
  const pendingCaret = useRef<number | null>(null);

  const query = mentionQueryAt(value, caret);
  const suggestions = query ? people.filter((person) => matches(person, query.query)).slice(0, MAX_SUGGESTIONS) : [];
  // A query with a space that matches nobody is ordinary text, not a mention.
  const open = query !== null && dismissedAt !== query.start && suggestions.length > 0;
  const active = open ? Math.min(highlighted, suggestions.length - 1) : -1;

  useLayoutEffect(() => {
    if (pendingCaret.current === null || !ref.current) return;
    const position = pendingCaret.current;
    pendingCaret.current = null;
    ref.current.setSelectionRange(position, position);
    setCaret(position);
  }, [value]);

  useLayoutEffect(() => {
    const element = ref.current;
    if (!props.autoFocus || !element) return;
    // An edit goes on where the text ends.
    element.focus();
    element.setSelectionRange(element.value.length, element.value.length);
    setCaret(element.value.length);
    // Only when mounted.
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  // Grow with the text (up to a limit, then scroll).
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight + 2, 240)}px`;
  }, [value]);

  const choose = (person: MentionPerson) => {
    if (!query) return;
    const inserted = `@${person.name} `;
    const next = value.slice(0, query.start) + inserted + value.slice(caret);
    pendingCaret.current = query.start + inserted.length;
    if (!mentioned.some((other) => other.id === person.id)) onMentionedChange([...mentioned, person]);
    onChange(next.slice(0, COMMENT_MAX_LENGTH));
    setHighlighted(0);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onSubmit();
      return;
    }
    if (open) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setHighlighted((active + step + suggestions.length) % suggestions.length);
        return;
      }
      if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) {
        event.preventDefault();
        choose(suggestions[active]);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        setDismissedAt(query!.start);
        return;
      }
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    }
  };

  const syncCaret = () => setCaret(ref.current?.selectionStart ?? 0);

  return (
    <div className="mention-input">
      <textarea
        ref={ref}
        className="input textarea mention-input__textarea"
        aria-label={label}
        placeholder={props.placeholder}
        value={value}
        rows={props.rows ?? 2}
        maxLength={COMMENT_MAX_LENGTH}
        readOnly={props.disabled}
        aria-busy={props.disabled || undefined}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? `${optionPrefix}-${active}` : undefined}
        aria-describedby={props.describedBy}
        aria-invalid={props.invalid || undefined}
        onChange={(event) => {
          onChange(event.target.value);
          setCaret(event.target.selectionStart ?? event.target.value.length);
          setHighlighted(0);
        }}
        onSelect={syncCaret}
        onKeyDown={onKeyDown}
        onBlur={() => query && setDismissedAt(query.start)}
        onFocus={() => setDismissedAt(null)}
      />
      {open && (
        <ul id={listId} className="mention-input__list" role="listbox" aria-label="People to mention">
          {suggestions.map((person, index) => (
            <li
              key={person.id}
              id={`${optionPrefix}-${index}`}
              role="option"
              aria-selected={index === active}
              className="mention-input__option"
              // Keep the focus (and the caret) in the text box.
              onMouseDown={(event) => event.preventDefault()}
              onMouseEnter={() => setHighlighted(index)}
              onClick={() => choose(person)}
            >
              <Avatar person={person} size="small" />
              <span className="mention-input__name">{person.name}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
