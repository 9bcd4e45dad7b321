/**
 * The compared text, block by block in document order: headings as headings, list items indented,
 * table cells in a table box, insertions as <ins> (green, underlined) and deletions as <del> (red,
 * struck through), each with who made it in words for screen readers and in a tooltip with the
 * person's colour. "Only changed paragraphs" folds the rest away (keeping the heading each change
 * sits under); the change navigation moves between changed blocks.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties, type MouseEvent, type ReactNode } from 'react';

import type { CompareBlock, CompareRun, Comparison } from '../api/versions';
import { announce } from '../ui/announce';
import { safeColor } from '../ui/Avatar';
import { Icon } from '../ui/Icon';

/** Papers longer than this open with only the changed paragraphs shown. */
const LONG_DOCUMENT_BLOCKS = 30;

type Item = { kind: 'block'; index: number } | { kind: 'gap'; start: number; count: number };
type Group = Item | { kind: 'table'; items: { kind: 'block'; index: number }[] };

interface Tip {
  left: number;
  top: number;
  change: string;
  name: string;
  color: string;
}

const inTable = (block: CompareBlock) => block.path.includes('table');

/** Which blocks show: all, or the changed ones and the heading each sits under, with folded gaps between. */
function layout(blocks: CompareBlock[], onlyChanged: boolean, expanded: ReadonlySet<number>): Group[] {
  const visible = blocks.map((block) => !onlyChanged || block.change !== 'same');
  if (onlyChanged) {
    let heading = -1;
    blocks.forEach((block, index) => {
      if (block.type === 'heading') heading = index;
      else if (block.change !== 'same' && heading >= 0) visible[heading] = true;
    });
  }
  const items: Item[] = [];
  for (let index = 0; index < blocks.length; index++) {
    if (visible[index]) {
      items.push({ kind: 'block', index });
      continue;
    }
    const start = index;
    while (index + 1 < blocks.length && !visible[index + 1]) index++;
    if (expanded.has(start)) for (let shown = start; shown <= index; shown++) items.push({ kind: 'block', index: shown });
    else items.push({ kind: 'gap', start, count: index - start + 1 });
  }
  const groups: Group[] = [];
  for (const item of items) {
    const last = groups[groups.length - 1];
    if (item.kind === 'block' && inTable(blocks[item.index])) {
      if (last?.kind === 'table') last.items.push(item);
      else groups.push({ kind: 'table', items: [item] });
    } else groups.push(item);
  }
  return groups;
}

export function CompareDocument({ comparison }: { comparison: Comparison }) {
  const { blocks } = comparison;
  const changes = useMemo(() => blocks.flatMap((block, index) => (block.change === 'same' ? [] : [index])), [blocks]);
  const [onlyChanged, setOnlyChanged] = useState(() => blocks.length > LONG_DOCUMENT_BLOCKS && changes.length > 0);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const [current, setCurrent] = useState(-1);
  const currentRef = useRef(-1);
  /** When the last jump to a change started: its (smooth) scroll may still be under way. */
  const jumpedAt = useRef(0);
  const textRef = useRef<HTMLDivElement>(null);
  const [tip, setTip] = useState<Tip | null>(null);
  const groups = useMemo(() => layout(blocks, onlyChanged, expanded), [blocks, onlyChanged, expanded]);

  const elementOf = (position: number) => textRef.current?.querySelector<HTMLElement>(`[data-index="${changes[position]}"]`) ?? null;

  const goTo = (position: number) => {
    currentRef.current = position;
    setCurrent(position);
    jumpedAt.current = performance.now();
    const element = elementOf(position);
    if (!element) return;
    const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    element.scrollIntoView({ block: 'center', behavior: reduced ? 'auto' : 'smooth' });
    element.focus({ preventScroll: true });
  };

  /**
   * The next or previous change: from the current one while it is in view (or still being scrolled
   * to), else from where the reader has scrolled to.
   */
  const step = (delta: 1 | -1) => {
    if (changes.length === 0) return;
    const scroller = textRef.current?.closest<HTMLElement>('.history-view__scroll');
    const view = scroller?.getBoundingClientRect() ?? { top: 0, bottom: window.innerHeight };
    const at = currentRef.current >= 0 ? elementOf(currentRef.current)?.getBoundingClientRect() : undefined;
    let next: number;
    const recent = currentRef.current >= 0 && performance.now() - jumpedAt.current < 1500;
    if (recent || (at && at.bottom > view.top && at.top < view.bottom)) next = currentRef.current + delta;
    else {
      const middle = (view.top + view.bottom) / 2;
      const tops = changes.map((_, position) => elementOf(position)?.getBoundingClientRect().top ?? 0);
      next = delta > 0 ? tops.findIndex((top) => top > middle - 4) : tops.findLastIndex((top) => top < middle - 4);
      if (next < 0 && delta > 0 && currentRef.current < 0) next = 0;
    }
    if (next < 0 || next >= changes.length) {
      announce(delta > 0 ? 'No more changes below.' : 'No more changes above.');
      return;
    }
    goTo(next);
  };
  const stepRef = useRef(step);
  stepRef.current = step;

  // N / P and Alt+↓ / Alt+↑, except while typing in a field or in a dialog.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable="true"], dialog')) return;
      if (document.querySelector('dialog[open]')) return;
      let delta: 1 | -1 | 0 = 0;
      const key = event.key.toLowerCase();
      if (!event.altKey && !event.shiftKey && key === 'n') delta = 1;
      else if (!event.altKey && !event.shiftKey && key === 'p') delta = -1;
      else if (event.altKey && !event.shiftKey && event.key === 'ArrowDown') delta = 1;
      else if (event.altKey && !event.shiftKey && event.key === 'ArrowUp') delta = -1;
      if (delta === 0) return;
      event.preventDefault();
      stepRef.current(delta);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  // The tooltip follows the text, not the scrolled page: hide it on scroll.
  useEffect(() => {
    const scroller = textRef.current?.closest<HTMLElement>('.history-view__scroll');
    if (!scroller) return;
    const hide = () => setTip(null);
    scroller.addEventListener('scroll', hide, { passive: true });
    return () => scroller.removeEventListener('scroll', hide);
  }, []);

  const onMouseOver = useCallback((event: MouseEvent<HTMLDivElement>) => {
    const run = (event.target as HTMLElement).closest<HTMLElement>('.compare-run');
    if (!run) {
      setTip(null);
      return;
    }
    const rects = Array.from(run.getClientRects());
    const rect = rects.find((candidate) => event.clientY >= candidate.top && event.clientY <= candidate.bottom) ?? rects[0];
    if (!rect) return;
    setTip({
      left: Math.max(8, Math.min(rect.left, window.innerWidth - 280)),
      top: rect.bottom + 6,
      change: run.dataset.change ?? '',
      name: run.dataset.by || 'Someone not recorded',
      color: run.dataset.color || '#57606a',
    });
  }, []);

  // A click in a changed block makes it the current change (without scrolling).
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const block = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
    const position = block ? changes.indexOf(Number(block.dataset.index)) : -1;
    if (position >= 0) {
      currentRef.current = position;
      setCurrent(position);
    }
  };

  const hiddenCount = groups.reduce((sum, group) => sum + (group.kind === 'gap' ? group.count : 0), 0);

  return (
    <section className="compare-text" aria-labelledby="compare-text-title">
      <div className="compare-tools">
        <h2 id="compare-text-title" className="compare-section-title compare-tools__title">
          Changes in the text
        </h2>
        <label className="history-switch">
          <input
            type="checkbox"
            className="history-switch__input"
            checked={onlyChanged}
            disabled={changes.length === 0}
            onChange={(event) => {
              setOnlyChanged(event.target.checked);
              setExpanded(new Set());
            }}
          />
          <span className="history-switch__track" aria-hidden="true" />
          Only changed paragraphs
        </label>
        <div className="compare-legend" aria-hidden="true">
          <span className="compare-run compare-run--inserted compare-legend__sample">Inserted</span>
          <span className="compare-run compare-run--deleted compare-legend__sample">Deleted</span>
        </div>
        <div className="compare-nav" role="group" aria-label="Changes">
          <span className="compare-nav__count" aria-live="polite" data-testid="change-count">
            {changes.length === 0 ? 'No changes' : current >= 0 ? `Change ${current + 1} of ${changes.length}` : changes.length === 1 ? '1 change' : `${changes.length} changes`}
          </span>
          <button
            type="button"
            className="icon-button"
            aria-label="Previous change"
            aria-keyshortcuts="P Alt+ArrowUp"
            data-tooltip="Previous change (P or Alt+↑)"
            disabled={changes.length === 0}
            onClick={() => step(-1)}
          >
            <Icon name="chevronUp" size={18} />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Next change"
            aria-keyshortcuts="N Alt+ArrowDown"
            data-tooltip="Next change (N or Alt+↓)"
            disabled={changes.length === 0}
            onClick={() => step(1)}
          >
            <Icon name="chevronDown" size={18} />
          </button>
        </div>
      </div>

      {changes.length === 0 && (
        <p className="compare-same" role="status">
          No differences: the two texts are the same.
        </p>
      )}
      {onlyChanged && hiddenCount > 0 && (
        <p className="compare-folded-note">
          Showing the {changes.length === 1 ? 'changed paragraph' : `${changes.length} changed paragraphs`} and their headings;{' '}
          {hiddenCount === 1 ? '1 unchanged paragraph is' : `${hiddenCount} unchanged paragraphs are`} folded away.
        </p>
      )}

      {/* Clicks only set the current change; the keyboard uses N/P and the buttons above. */}
      <div ref={textRef} className="paper compare-paper" onMouseOver={onMouseOver} onMouseLeave={() => setTip(null)} onClick={onClick} data-testid="compare-text">
        <div className="document-text compare-doc">
          {groups.map((group) => {
            if (group.kind === 'gap') return <Gap key={`gap-${group.start}`} count={group.count} onShow={() => setExpanded((set) => new Set(set).add(group.start))} />;
            if (group.kind === 'table')
              return (
                <div key={`table-${group.items[0].index}`} className="compare-table" role="group" aria-label="Table">
                  <span className="compare-table__caption" aria-hidden="true">
                    Table
                  </span>
                  {group.items.map((item) => (
                    <BlockView key={item.index} block={blocks[item.index]} index={item.index} current={changes[current] === item.index} />
                  ))}
                </div>
              );
            return <BlockView key={group.index} block={blocks[group.index]} index={group.index} current={changes[current] === group.index} />;
          })}
        </div>
      </div>

      {tip && (
        <div className="compare-tip" style={{ left: tip.left, top: tip.top }} aria-hidden="true">
          <span className="compare-tip__dot" style={{ backgroundColor: tip.color }} />
          {tip.change === 'inserted' ? 'Inserted' : 'Deleted'} by {tip.name}
        </div>
      )}
    </section>
  );
}

function Gap({ count, onShow }: { count: number; onShow: () => void }) {
  return (
    <div className="compare-gap">
      <button type="button" className="compare-gap__button" onClick={onShow}>
        {count === 1 ? 'Show 1 unchanged paragraph' : `Show ${count} unchanged paragraphs`}
      </button>
    </div>
  );
}

const LIST_TYPES: Record<string, string> = { bulletList: 'bulleted', orderedList: 'numbered' };

function BlockView({ block, index, current }: { block: CompareBlock; index: number; current: boolean }) {
  const listDepth = block.path.filter((part) => part in LIST_TYPES).length;
  const listType = [...block.path].reverse().find((part) => part in LIST_TYPES);
  const quote = block.path.includes('blockquote');
  const cell = block.path.includes('tableHeader') ? 'Header cell' : block.path.includes('tableCell') ? 'Table cell' : null;
  const heading = block.type === 'heading';
  const noun = heading ? 'heading' : listType ? 'list item' : 'paragraph';
  const changed = block.change !== 'same';

  const classes = [
    'compare-block',
    `compare-block--${block.change}`,
    heading ? `compare-block--heading compare-block--h${block.level ?? 1}` : '',
    quote ? 'compare-block--quote' : '',
    listType ? `compare-block--list compare-block--${LIST_TYPES[listType]}` : '',
    cell ? 'compare-block--cell' : '',
    cell === 'Header cell' ? 'compare-block--header-cell' : '',
    current ? 'compare-block--current' : '',
  ].filter(Boolean);

  let text: ReactNode =
    block.runs.length === 0 ? <span className="compare-block__empty">{block.type === 'horizontalRule' ? 'Horizontal line' : `Empty ${noun}`}</span> : block.runs.map((run, position) => <RunView key={position} run={run} />);
  if (block.type === 'horizontalRule') text = <hr aria-label="Horizontal line" />;

  return (
    <div
      className={classes.join(' ')}
      data-index={index}
      data-change={block.change}
      tabIndex={changed ? -1 : undefined}
      style={listDepth > 0 ? ({ '--indent': `${listDepth * 1.4}em` } as CSSProperties) : undefined}
    >
      {(block.change === 'inserted' || block.change === 'deleted') && (
        <span className={`compare-block__tag compare-block__tag--${block.change}`}>{block.change === 'inserted' ? `New ${noun}` : `Removed ${noun}`}</span>
      )}
      {/* In the table box every block is a cell; a changed one says which kind, as it may be shown alone. */}
      {cell && (changed ? <span className="compare-block__context">{cell}</span> : <span className="visually-hidden">{cell}: </span>)}
      {heading ? (
        <div role="heading" aria-level={Math.min(6, (block.level ?? 1) + 2)} className="compare-block__text">
          {text}
        </div>
      ) : (
        <p className="compare-block__text">
          {listType && (
            <span className="compare-block__marker" aria-hidden="true">
              •
            </span>
          )}
          {listType && <span className="visually-hidden">{LIST_TYPES[listType]} list item: </span>}
          {text}
        </p>
      )}
    </div>
  );
}

function RunView({ run }: { run: CompareRun }) {
  if (run.change === 'same') return <>{run.text}</>;
  const who = run.by?.name ?? 'someone not recorded';
  const Tag = run.change === 'inserted' ? 'ins' : 'del';
  const onlySpace = run.text.trim() === '';
  return (
    <Tag
      className={`compare-run compare-run--${run.change}${onlySpace ? ' compare-run--space' : ''}`}
      data-change={run.change}
      data-by={run.by?.name ?? ''}
      data-color={run.by ? safeColor(run.by.color) : ''}
    >
      <span className="visually-hidden">
        [{run.change} by {who}:{' '}
      </span>
      {run.text}
      <span className="visually-hidden">]</span>
    </Tag>
  );
}
