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

/** "Copy link" with a short confirmation that screen readers hear too. */
export function CopyLinkButton({ url }: { url: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const copy = async () => {
    window.clearTimeout(timer.current);
    try {
      await copyText(url);
      setState('copied');
      announce('Link copied to the clipboard');
    } catch {
      setState('failed');
      announce(`Could not copy. The link is ${url}`);
      window.prompt('Copy this link:', url);
    }
    timer.current = window.setTimeout(() => setState('idle'), 2500);
  };

  return (
    <button type="button" className="button button--compact" onClick={copy} data-tooltip={url} aria-label="Copy link to this document">
      <Icon name={state === 'copied' ? 'check' : 'copy'} size={18} />
      <span>{state === 'copied' ? 'Copied' : 'Copy link'}</span>
    </button>
  );
}
