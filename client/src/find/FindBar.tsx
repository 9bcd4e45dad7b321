/**
 * The find (and replace) bar over the top right of the page, like Google Docs' find box: the
 * search field with "2 of 5", previous and next, match case and whole words, and for people who
 * may edit, a replace row. Escape anywhere in it closes it and returns to the text.
 */
import { useEffect, useId, useRef } from 'react';

import { shortcutLabel } from '../editor/shortcuts';
import { Icon } from '../ui/Icon';
import { useStickyOffset } from '../ui/useStickyOffset';
import { REPLACE_SHORTCUT, type FindController } from './useFind';
import './find.css';

export function FindBar({ find }: { find: FindController }) {
  const barRef = useRef<HTMLDivElement>(null);
  const queryRef = useRef<HTMLInputElement>(null);
  const replaceRef = useRef<HTMLInputElement>(null);
  const optionsId = useId();
  const countId = useId();
  useStickyOffset(barRef);

  // Ctrl+F (again): into the search field, its text selected to type over.
  useEffect(() => {
    queryRef.current?.focus();
    queryRef.current?.select();
  }, [find.focusRequest]);

  const countText =
    find.query === '' ? '' : find.count === 0 ? 'No results' : `${find.current} of ${find.count}`;
  // Replacing the last match disables the button that was pressed, which would drop the focus
  // out of the bar (and Esc with it): it goes back to the search field then.
  const keepFocus = (action: () => void) => {
    action();
    requestAnimationFrame(() => {
      const active = document.activeElement;
      if (!active || active === document.body || (active as HTMLButtonElement).disabled) queryRef.current?.focus();
    });
  };
  const step = (event: { shiftKey: boolean }) => (event.shiftKey ? find.previous() : find.next());

  return (
    <div className="find-anchor">
      <div
        ref={barRef}
        className="find-bar"
        role="search"
        aria-label={find.replacing ? 'Find and replace' : 'Find in document'}
        data-testid="find-bar"
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            find.close();
          }
        }}
      >
        <div className="find-bar__row">
          <div className="find-bar__field">
            <input
              ref={queryRef}
              className="find-bar__input"
              type="text"
              aria-label="Find in document"
              aria-describedby={countId}
              placeholder="Find in document"
              spellCheck={false}
              value={find.query}
              onChange={(event) => find.setQuery(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') {
                  event.preventDefault();
                  step(event);
                }
              }}
            />
            <span id={countId} className="find-bar__count" role="status" data-testid="find-count">
              {countText}
            </span>
          </div>
          <button type="button" className="icon-button find-bar__button" aria-label="Previous match" data-tooltip="Previous (Shift+Enter)" disabled={find.count === 0} onClick={find.previous}>
            <Icon name="chevronUp" size={18} />
          </button>
          <button type="button" className="icon-button find-bar__button" aria-label="Next match" data-tooltip="Next (Enter)" disabled={find.count === 0} onClick={find.next}>
            <Icon name="chevronDown" size={18} />
          </button>
          {find.canReplace && (
            <button
              type="button"
              className="icon-button find-bar__button"
              aria-label="Find and replace"
              aria-expanded={find.replacing}
              aria-controls={find.replacing ? `${optionsId}-replace` : undefined}
              data-tooltip={`${find.replacing ? 'Hide replace' : 'Find and replace'} (${shortcutLabel(REPLACE_SHORTCUT)})`}
              onClick={() => {
                find.setReplacing(!find.replacing);
                if (!find.replacing) requestAnimationFrame(() => replaceRef.current?.focus());
              }}
            >
              <Icon name="replace" size={18} />
            </button>
          )}
          <button type="button" className="icon-button find-bar__button" aria-label="Close find" data-tooltip="Close (Esc)" onClick={find.close}>
            <Icon name="close" size={18} />
          </button>
        </div>
        <div className="find-bar__options" role="group" aria-label="Search options">
          <label className="find-bar__option">
            <input type="checkbox" checked={find.options.matchCase} onChange={(event) => find.setOption('matchCase', event.target.checked)} />
            Match case
          </label>
          <label className="find-bar__option">
            <input type="checkbox" checked={find.options.wholeWord} onChange={(event) => find.setOption('wholeWord', event.target.checked)} />
            Whole words only
          </label>
          <span className="find-bar__hint" aria-hidden="true">
            Enter next · Shift+Enter previous
          </span>
        </div>
        {find.replacing && (
          <div className="find-bar__row find-bar__replace" id={`${optionsId}-replace`}>
            <input
              ref={replaceRef}
              className="find-bar__input"
              type="text"
              aria-label="Replace with"
              placeholder="Replace with"
              spellCheck={false}
              value={find.replacement}
              onChange={(event) => find.setReplacement(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') {
                  event.preventDefault();
                  find.replace();
                }
              }}
            />
            <button type="button" className="button button--compact" disabled={find.count === 0} onClick={() => keepFocus(find.replace)}>
              Replace
            </button>
            <button type="button" className="button button--compact" disabled={find.count === 0} onClick={() => keepFocus(find.replaceAll)}>
              Replace all
            </button>
          </div>
        )}
        {find.notice && (
          <p className="find-bar__notice" data-testid="find-notice">
            {find.notice}
          </p>
        )}
      </div>
    </div>
  );
}
