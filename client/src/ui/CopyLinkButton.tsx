import { useEffect, useRef, useState } from 'react';

import { announce } from './announce';
import { Icon } from './Icon';

/** Copies text to the clipboard, falling back to a selection-based copy where the Clipboard API is missing (plain http). */
async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // Permission refused: try the old way below.
    }
  }
  const field = document.createElement('textarea');
  field.value = text;
  field.setAttribute('readonly', '');
  field.style.position = 'fixed';
  field.style.opacity = '0';
  document.body.appendChild(field);
  field.select();
  const ok = document.execCommand('copy');
  field.remove();
  if (!ok) throw new Error('copy refused');
}

interface CopyButtonProps {
  /** What is copied. */
  text: string;
  /** Visible words, e.g. "Copy link". */
  label?: string;
  /** The accessible name, when the visible words alone are ambiguous. */
  ariaLabel?: string;
  /** What screen readers hear after copying. */
  copiedMessage?: string;
  primary?: boolean;
  tooltip?: string;
}

/** A copy button with a short confirmation that screen readers hear too. */
export function CopyButton({ text, label = 'Copy', ariaLabel, copiedMessage = 'Copied to the clipboard', primary, tooltip }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const copy = async () => {
    window.clearTimeout(timer.current);
    try {
      await copyText(text);
      setState('copied');
      announce(copiedMessage);
    } catch {
      setState('failed');
      announce(`Could not copy. Select the text and copy it yourself.`);
      window.prompt('Copy this:', text);
    }
    timer.current = window.setTimeout(() => setState('idle'), 2500);
  };

  return (
    <button type="button" className={`button button--compact${primary ? ' button--primary' : ''}`} onClick={copy} aria-label={ariaLabel} data-tooltip={tooltip}>
      <Icon name={state === 'copied' ? 'check' : 'copy'} size={18} />
      <span>{state === 'copied' ? 'Copied' : label}</span>
    </button>
  );
}

/** "Copy link" to the current document. */
export function CopyLinkButton({ url }: { url: string }) {
  return <CopyButton text={url} label="Copy link" ariaLabel="Copy link to this document" copiedMessage="Link copied to the clipboard" tooltip={url} />;
}

/** A secret or link shown in a read-only field (select-all on focus) with its copy button. */
export function CopyField({ value, label, copyLabel = 'Copy', copiedMessage }: { value: string; label: string; copyLabel?: string; copiedMessage?: string }) {
  return (
    <div className="copy-field">
      <input
        className="input copy-field__input"
        type="text"
        readOnly
        value={value}
        aria-label={label}
        spellCheck={false}
        onFocus={(event) => event.currentTarget.select()}
      />
      <CopyButton text={value} label={copyLabel} ariaLabel={`${copyLabel}: ${label}`} copiedMessage={copiedMessage} primary />
    </div>
  );
}
