/**
 * The outline panel left of the page (as in Google Docs): the document's headings, indented by
 * level and numbered when the document numbers them, kept current as anyone types. Selecting one
 * puts the caret at that heading and scrolls it to the top; Up/Down/Home/End move between
 * entries (one Tab stop), Esc returns to the text. The section the caret is in is marked. On a
 * narrow window it lies over the page and closes once a heading is chosen.
 */
import type { Editor } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import { useEditorState } from '@tiptap/react';
import { useEffect, useId, useRef, type KeyboardEvent } from 'react';

import { shortcutLabel } from '../editor/shortcuts';
import { Icon } from '../ui/Icon';
import { useStickyOffset } from '../ui/useStickyOffset';
import { outlineOf, sectionAt } from './outline';
import { OUTLINE_KEYSHORTCUTS, OUTLINE_SHORTCUT, OUTLINE_TOGGLE_ID, type OutlineState } from './useOutline';
import './outline.css';

/** The header button that shows and hides the panel. */
export function OutlineToggle({ outline }: { outline: OutlineState }) {
  return (
    <button
      id={OUTLINE_TOGGLE_ID}
      type="button"
      className="header-toggle"
      aria-expanded={outline.open}
      aria-controls="outline-panel"
      aria-label="Outline"
      aria-keyshortcuts={OUTLINE_KEYSHORTCUTS}
      data-tooltip={`${outline.open ? 'Hide' : 'Show'} document outline (${shortcutLabel(OUTLINE_SHORTCUT)})`}
      onClick={() => outline.setOpen(!outline.open)}
    >
      <Icon name="outline" size={20} />
      <span className="header-toggle__label">Outline</span>
    </button>
  );
}

interface OutlinePanelProps {
  outline: OutlineState;
  editor: Editor;
  numbered: boolean;
  /** Puts the focus back in the text. */
  onFocusText: () => void;
}

export function OutlinePanel({ outline, editor, numbered, onFocusText }: OutlinePanelProps) {
  const panelRef = useRef<HTMLElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const titleId = useId();
  useStickyOffset(panelRef);

  const { entries, section } = useEditorState({
    editor,
    selector: ({ editor: current }) => {
      const list = outlineOf(current.state.doc, numbered);
      return { entries: list, section: sectionAt(list, current.state.selection.from) };
    },
  });

  // One Tab stop: the entry of the caret's section (or the first).
  const tabStop = section >= 0 ? section : 0;

  // Opened from the keyboard: the focus goes to the caret's section.
  useEffect(() => {
    if (outline.focusRequest === 0) return;
    const items = listRef.current?.querySelectorAll<HTMLButtonElement>('button');
    if (items && items.length > 0) items[Math.min(tabStop, items.length - 1)].focus();
    else panelRef.current?.querySelector<HTMLElement>('.outline-panel__close')?.focus();
    // Only when asked.
  }, [outline.focusRequest]); // eslint-disable-line react-hooks/exhaustive-deps

  const goTo = (pos: number) => {
    if (editor.isDestroyed) return;
    const { view } = editor;
    const heading = view.state.doc.nodeAt(pos);
    if (!heading) return;
    const caret = TextSelection.create(view.state.doc, pos + 1);
    view.dispatch(view.state.tr.setSelection(caret).setMeta('addToHistory', false));
    onFocusText();
    const element = view.nodeDOM(pos);
    if (element instanceof HTMLElement) element.scrollIntoView({ block: 'start' });
    // On a narrow window the panel lies over the page, like a drawer: it makes way for the text.
    if (panelRef.current && getComputedStyle(panelRef.current).position === 'fixed') outline.setOpen(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onFocusText();
      return;
    }
    const items = Array.from(listRef.current?.querySelectorAll<HTMLButtonElement>('button') ?? []);
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    let next = -1;
    if (event.key === 'ArrowDown') next = Math.min(items.length - 1, index + 1);
    else if (event.key === 'ArrowUp') next = Math.max(0, index - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = items.length - 1;
    if (next < 0) return;
    event.preventDefault();
    items[next].focus();
  };

  return (
    <nav ref={panelRef} id="outline-panel" className="outline-panel" aria-labelledby={titleId} onKeyDown={onKeyDown}>
      <div className="outline-panel__header">
        <h2 id={titleId} className="outline-panel__title">
          Outline
        </h2>
        <button
          type="button"
          className="icon-button outline-panel__close"
          aria-label="Close outline"
          data-tooltip={`Close (${shortcutLabel(OUTLINE_SHORTCUT)})`}
          onClick={() => outline.setOpen(false, { focus: true })}
        >
          <Icon name="close" size={18} />
        </button>
      </div>
      {entries.length === 0 ? (
        <p className="outline-panel__empty">Headings you add appear here.</p>
      ) : (
        <ul ref={listRef} className="outline-panel__list">
          {entries.map((entry, index) => (
            <li key={`${entry.pos}`} className={`outline-panel__item outline-panel__item--level-${entry.level}`}>
              <button
                type="button"
                className="outline-panel__entry"
                tabIndex={index === tabStop ? 0 : -1}
                aria-current={index === section ? 'location' : undefined}
                onClick={() => goTo(entry.pos)}
              >
                {entry.number && <span className="outline-panel__number">{entry.number} </span>}
                {entry.text || <span className="outline-panel__untitled">(empty heading)</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
