/**
 * The version history side panel, right of the page (like Google Docs' "Version history"):
 * versions newest first, named ones prominent (name, meeting, note, who named it, when, whose
 * edits it brings), automatic checkpoints between them, quieter. Co-chairs name the current
 * text here. Selecting a version opens it read-only over the editor.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

import type { VersionSummary } from '../api/versions';
import { AvatarStack } from '../ui/Avatar';
import { formatDateTime } from '../ui/dates';
import { messageOf } from '../ui/form-errors';
import { Icon } from '../ui/Icon';
import { RelativeTime } from '../ui/RelativeTime';
import { HistoryLink } from './HistoryLink';
import { NameVersionDialog } from './NameVersionDialog';
import { comparePath, versionPath } from './routes';
import { HISTORY_KEYSHORTCUTS, HISTORY_SHORTCUT_LABEL, HISTORY_TOGGLE_ID, type HistoryPanelState } from './useHistoryPanel';
import { useVersionList } from './useVersionList';
import { formatMeetingDate, listNames } from './version-text';
import './history.css';
import { useStickyOffset } from '../ui/useStickyOffset';

/** The header button that shows and hides the panel. */
export function HistoryToggle({ history }: { history: HistoryPanelState }) {
  return (
    <button
      id={HISTORY_TOGGLE_ID}
      type="button"
      className="header-toggle"
      aria-expanded={history.open}
      aria-controls="history-panel"
      // Explicit: the tooltip (CSS generated content) would otherwise join the name while hovered.
      aria-label="History"
      aria-keyshortcuts={HISTORY_KEYSHORTCUTS}
      data-tooltip={`${history.open ? 'Hide' : 'Show'} version history (${HISTORY_SHORTCUT_LABEL})`}
      onClick={() => history.setOpen(!history.open)}
    >
      <Icon name="history" size={20} />
      <span className="header-toggle__label">History</span>
    </button>
  );
}

export function HistoryPanel({ history }: { history: HistoryPanelState }) {
  const { documentId, canManage, highlight } = history;
  const versions = useVersionList(documentId, { poll: true });
  const [onlyNamed, setOnlyNamed] = useState(false);
  const [naming, setNaming] = useState(false);
  // The version to point out: the one just named here, or the one the editor asks for (after a restore).
  const [pointedOut, setPointedOut] = useState<string | null>(highlight);
  useEffect(() => {
    if (highlight) setPointedOut(highlight);
  }, [highlight]);
  const titleId = useId();
  const panelRef = useRef<HTMLElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const nameButtonRef = useRef<HTMLButtonElement>(null);
  useStickyOffset(panelRef);

  const all = versions.data ?? [];
  const shown = onlyNamed ? all.filter((version) => version.kind === 'named') : all;

  // Opened from the keyboard: start in the panel (at the version to point out, if there is one).
  useEffect(() => {
    if (history.focusOnOpen && !highlight) titleRef.current?.focus();
    // Only when the panel opens.
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  // The version to point out, once it is listed: into view (and focus, when opened from the keyboard).
  const shownHighlight = pointedOut !== null && shown.some((version) => version.id === pointedOut);
  useEffect(() => {
    if (!shownHighlight || pointedOut === null) return;
    const item = panelRef.current?.querySelector<HTMLElement>(`[data-version-id="${CSS.escape(pointedOut)}"]`);
    if (!item) return;
    item.scrollIntoView({ block: 'nearest' });
    if (history.focusOnOpen && pointedOut === highlight) item.querySelector<HTMLElement>('a')?.focus();
  }, [shownHighlight, pointedOut]); // eslint-disable-line react-hooks/exhaustive-deps

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    history.setOpen(false, { focus: true });
  };

  return (
    <aside ref={panelRef} id="history-panel" className="history-panel" aria-labelledby={titleId} onKeyDown={onKeyDown}>
      <div className="history-panel__header">
        <h2 id={titleId} ref={titleRef} className="history-panel__title" tabIndex={-1}>
          Version history
        </h2>
        <button
          type="button"
          className="icon-button"
          aria-label="Hide version history"
          data-tooltip={`Hide version history (${HISTORY_SHORTCUT_LABEL})`}
          onClick={() => history.setOpen(false, { focus: true })}
        >
          <Icon name="close" size={18} />
        </button>
      </div>

      <div className="history-panel__tools">
        {canManage && (
          <button ref={nameButtonRef} type="button" className="button button--compact button--primary" onClick={() => setNaming(true)}>
            <Icon name="bookmark" size={16} />
            Name current version
          </button>
        )}
        <label className="history-switch">
          <input type="checkbox" className="history-switch__input" checked={onlyNamed} onChange={(event) => setOnlyNamed(event.target.checked)} />
          <span className="history-switch__track" aria-hidden="true" />
          Only named versions
        </label>
      </div>

      <div className="history-panel__scroll">
        {versions.data === null && !versions.error && (
          <p className="history-panel__status" role="status">
            Loading versions…
          </p>
        )}
        {versions.error && (
          <div className="history-panel__problem" role="alert">
            <p>
              {versions.data === null ? 'The versions couldn’t be loaded.' : 'The list couldn’t be brought up to date.'} {messageOf(versions.error)}
            </p>
            <button type="button" className="button button--compact" onClick={() => void versions.refresh()}>
              Try again
            </button>
          </div>
        )}

        {versions.data !== null && all.length === 0 && (
          <div className="history-panel__empty">
            <Icon name="history" size={32} />
            <p className="history-panel__empty-title">No versions yet</p>
            <p>
              {canManage
                ? 'Name the text when it reaches a stage, such as “1st Draft” for a meeting. Concord also keeps checkpoints by itself while people write.'
                : 'The co-chairs name the text at each stage, such as “1st Draft”. Concord also keeps checkpoints by itself while people write.'}
            </p>
          </div>
        )}
        {all.length > 0 && shown.length === 0 && (
          <div className="history-panel__empty">
            <p className="history-panel__empty-title">No named versions yet</p>
            <p>{canManage ? 'Name the current text to keep it as a stage of the draft.' : 'Only automatic checkpoints so far.'}</p>
            <button type="button" className="button button--compact" onClick={() => setOnlyNamed(false)}>
              Show checkpoints too
            </button>
          </div>
        )}

        {shown.length > 0 && (
          <ol className="version-list" aria-label={onlyNamed ? 'Named versions, newest first' : 'Versions, newest first'}>
            {shown.map((version) => (
              <li
                key={version.id}
                data-version-id={version.id}
                className={[
                  'version',
                  version.kind === 'named' ? 'version--named' : 'version--checkpoint',
                  version.id === pointedOut ? 'version--highlight' : '',
                ]
                  .filter(Boolean)
                  .join(' ')}
              >
                {version.kind === 'named' ? <NamedVersion documentId={documentId} version={version} /> : <Checkpoint documentId={documentId} version={version} />}
              </li>
            ))}
          </ol>
        )}
      </div>

      <NameVersionDialog
        open={naming}
        documentId={documentId}
        onClose={() => setNaming(false)}
        onAfterClose={() => nameButtonRef.current?.focus()}
        onNamed={(version) => {
          versions.update((list) => [version, ...list.filter((other) => other.id !== version.id)]);
          setPointedOut(version.id);
        }}
      />
    </aside>
  );
}

function NamedVersion({ documentId, version }: { documentId: string; version: VersionSummary }) {
  return (
    <>
      <HistoryLink href={versionPath(documentId, version.id)} className="version__name">
        {version.name}
      </HistoryLink>
      {version.meetingDate && (
        <p className="version__meeting">
          <Icon name="calendar" size={15} />
          <span>
            Meeting of <time dateTime={version.meetingDate}>{formatMeetingDate(version.meetingDate, true)}</time>
          </span>
        </p>
      )}
      {version.note && <p className="version__note">{version.note}</p>}
      <p className="version__meta">
        {version.createdBy ? `Named by ${version.createdBy.name}` : 'Named'} · <RelativeTime iso={version.createdAt} />
      </p>
      <Contributors version={version} />
      <p className="version__actions">
        <HistoryLink href={comparePath(documentId, version.id)} className="version__compare" aria-label={`Compare ${version.name} with the current text`}>
          <Icon name="compare" size={15} />
          Compare with current
        </HistoryLink>
      </p>
    </>
  );
}

function Checkpoint({ documentId, version }: { documentId: string; version: VersionSummary }) {
  const what = version.name || 'Automatic checkpoint';
  return (
    <>
      <HistoryLink href={versionPath(documentId, version.id)} className="version__checkpoint-link">
        <span className="version__time">{formatDateTime(version.createdAt)}</span>
        <span className="version__kind">
          {what}
          {version.createdBy ? ` · ${version.createdBy.name}` : ''}
        </span>
      </HistoryLink>
      <Contributors version={version} quiet />
    </>
  );
}

/** Whose edits the version brings: avatars (in their colours) and the names in words. */
function Contributors({ version, quiet = false }: { version: VersionSummary; quiet?: boolean }) {
  const names = version.contributors.map((person) => person.name);
  if (names.length === 0) return null;
  const text = names.length > 3 ? `${names.slice(0, 2).join(', ')} and ${names.length - 2} others` : listNames(names);
  return (
    <div className={quiet ? 'version__contributors version__contributors--quiet' : 'version__contributors'} title={`Edits by ${listNames(names)}`}>
      <div aria-hidden="true">
        <AvatarStack people={version.contributors} max={quiet ? 3 : 5} label="" />
      </div>
      <span className={quiet ? 'visually-hidden' : 'version__contributors-text'}>Edits by {quiet ? listNames(names) : text}</span>
    </div>
  );
}
