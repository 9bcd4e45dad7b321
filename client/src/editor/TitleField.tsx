/**
 * The document title in the header. It shows the shared title (ydoc meta map) and follows
 * renames by others live, except while you are typing in it; your edits are shared as you type
 * (debounced) and when you leave the field.
 */
import { useEffect, useRef, useState } from 'react';
import { TITLE_MAX_LENGTH, UNTITLED } from '../../../shared/api/index';

interface TitleFieldProps {
  title: string;
  onRename: (title: string) => void;
  readOnly: boolean;
  /** Focus and select the title (a document that was just created). */
  autoSelect?: boolean;
  /** Where Enter sends the focus (the document text). */
  onDone?: () => void;
}

const SHARE_DELAY_MS = 400;

export function TitleField({ title, onRename, readOnly, autoSelect, onDone }: TitleFieldProps) {
  const [value, setValue] = useState(title);
  const editing = useRef(false);
  const timer = useRef<number | undefined>(undefined);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!editing.current) setValue(title);
  }, [title]);

  useEffect(() => {
    if (autoSelect && inputRef.current) {
      inputRef.current.focus();
      inputRef.current.select();
    }
  }, [autoSelect]);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  const share = (next: string) => {
    window.clearTimeout(timer.current);
    if (next.trim()) onRename(next);
  };

  // Reads the field itself, not state: Enter right after the last keystroke may come before
  // React has re-rendered with it.
  const finish = (current: string) => {
    editing.current = false;
    window.clearTimeout(timer.current);
    const clean = current.replace(/\s+/g, ' ').trim();
    // An empty title isn't allowed: fall back to what it was (or "Untitled draft").
    const final = clean || title || UNTITLED;
    setValue(final);
    onRename(final);
  };

  return (
    <input
      ref={inputRef}
      className="title-field"
      type="text"
      aria-label="Document title"
      value={value}
      maxLength={TITLE_MAX_LENGTH}
      readOnly={readOnly}
      placeholder={UNTITLED}
      spellCheck
      onFocus={() => {
        editing.current = true;
      }}
      onChange={(event) => {
        editing.current = true;
        setValue(event.target.value);
        const next = event.target.value;
        window.clearTimeout(timer.current);
        timer.current = window.setTimeout(() => share(next), SHARE_DELAY_MS);
      }}
      onBlur={(event) => finish(event.currentTarget.value)}
      onKeyDown={(event) => {
        if (event.key === 'Enter') {
          event.preventDefault();
          finish(event.currentTarget.value);
          onDone?.();
        } else if (event.key === 'Escape') {
          event.preventDefault();
          window.clearTimeout(timer.current);
          setValue(title);
          editing.current = false;
          onDone?.();
        }
      }}
    />
  );
}
