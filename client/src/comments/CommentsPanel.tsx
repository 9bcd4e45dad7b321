/**
 * The comments side panel, right of the page: the thread being written, then every thread in
 * the order of its text in the document (threads whose text was removed last), filtered by status
 * (Open / Resolved / All), by person (mine, mentioning me, by one author) and, on a source paper,
 * by stance. On a source paper threads are "annotations" and a new one takes a stance. Updates live.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';

import { STANCE_LABELS, STANCES, type Stance } from '../../../shared/api/index';
import type { ThreadView } from '../api/comments';
import { Link } from '../router';
import { Icon } from '../ui/Icon';
import { CommentComposer } from './CommentComposer';
import { StancePicker } from './StancePicker';
import { ThreadCard } from './ThreadCard';
import type { Comments } from './useComments';
import { useStickyOffset } from '../ui/useStickyOffset';

type StatusFilter = 'open' | 'resolved' | 'all';
/** Any stance, one of them, or 'none' (plain comments). */
type StanceFilter = 'any' | Stance | 'none';
/** When the panel lies over the page instead of beside it (as in comments.css). */
const OVERLAY_QUERY = '(max-width: 1180px)';
const STATUS_LABELS: Record<StatusFilter, string> = { open: 'Open', resolved: 'Resolved', all: 'All' };

export function reportPath(documentId: string): string {
  return `/d/${encodeURIComponent(documentId)}/report`;
}

function involves(thread: ThreadView, userId: string): boolean {
  return thread.author.id === userId || thread.comments.some((comment) => comment.author.id === userId && !comment.deleted);
}

function mentions(thread: ThreadView, userId: string): boolean {
  return thread.comments.some((comment) => !comment.deleted && comment.mentions.some((person) => person.id === userId));
}

function matchesStance(thread: ThreadView, filter: StanceFilter): boolean {
  if (filter === 'any') return true;
  return filter === 'none' ? thread.stance === null : thread.stance === filter;
}

export interface CommentsPanelProps {
  comments: Comments;
  documentId: string;
  /** A source paper: threads are annotations with a stance. */
  source: boolean;
  onClose: () => void;
}

export function CommentsPanel({ comments, documentId, source, onClose }: CommentsPanelProps) {
  const { state, ordered, selfId, draft, reveal } = comments;
  const [status, setStatus] = useState<StatusFilter>('all');
  const [who, setWho] = useState('everyone');
  const [stance, setStance] = useState<StanceFilter>('any');
  const noun = source ? 'Annotations' : 'Comments';
  const titleId = useId();
  const listRef = useRef<HTMLOListElement>(null);
  const panelRef = useRef<HTMLElement>(null);
  useStickyOffset(panelRef);

  const authors = useMemo(() => {
    const byId = new Map<string, string>();
    for (const thread of ordered.threads) for (const comment of thread.comments) if (!comment.deleted) byId.set(comment.author.id, comment.author.name);
    return [...byId].sort((a, b) => a[1].localeCompare(b[1]));
  }, [ordered.threads]);

  // An author filter for someone whose comments are all gone shows nothing: fall back.
  useEffect(() => {
    if (who.startsWith('author:') && !authors.some(([id]) => `author:${id}` === who)) setWho('everyone');
  }, [authors, who]);

  const matchesWho = (thread: ThreadView) => {
    if (who === 'mine') return involves(thread, selfId);
    if (who === 'assigned') return thread.assignment?.assignee.id === selfId;
    if (who === 'mentions') return mentions(thread, selfId);
    if (who.startsWith('author:')) {
      const id = who.slice('author:'.length);
      return thread.comments.some((comment) => comment.author.id === id && !comment.deleted);
    }
    return true;
  };
  const byPerson = ordered.threads.filter((thread) => matchesWho(thread) && matchesStance(thread, stance));
  const counts = {
    open: byPerson.filter((thread) => thread.status === 'open').length,
    resolved: byPerson.filter((thread) => thread.status === 'resolved').length,
    all: byPerson.length,
  };
  const shown = byPerson.filter((thread) => status === 'all' || thread.status === status);

  // A thread activated from the text (or just posted): make sure the filters show it, then bring it into view.
  useEffect(() => {
    if (!reveal) return;
    const thread = ordered.threads.find((candidate) => candidate.id === reveal.id);
    if (!thread) return;
    if (status !== 'all' && thread.status !== status) setStatus('all');
    if (!matchesWho(thread)) setWho('everyone');
    if (!matchesStance(thread, stance)) setStance('any');
    requestAnimationFrame(() => {
      const card = listRef.current?.querySelector<HTMLElement>(`[data-thread-id="${CSS.escape(reveal.id)}"]`);
      if (!card) return;
      card.scrollIntoView({ block: 'nearest' });
      if (reveal.focus) card.focus({ preventScroll: true });
    });
    // Only when a new reveal is asked for.
  }, [reveal]); // eslint-disable-line react-hooks/exhaustive-deps

  const total = ordered.threads.length;

  return (
    <aside
      ref={panelRef}
      id="comments-panel"
      className="comments-panel"
      aria-labelledby={titleId}
      onKeyDown={(event) => {
        // Over the page (small screens), Esc puts the panel away, as it does a menu.
        if (event.key !== 'Escape' || event.defaultPrevented || !matchMedia(OVERLAY_QUERY).matches) return;
        if ((event.target as HTMLElement).closest('dialog')) return;
        event.preventDefault();
        onClose();
        document.querySelector<HTMLElement>('.comments-toggle')?.focus();
      }}
    >
      <div className="comments-panel__header">
        <h2 id={titleId} className="comments-panel__title">
          {noun}
          <span className="count-badge" aria-label={`${comments.openCount} open`} data-testid="comments-count">
            {comments.openCount}
          </span>
        </h2>
        <Link href={reportPath(documentId)} className="comments-panel__report" data-tooltip="Every thread and how it was resolved">
          Resolution report
        </Link>
        <button type="button" className="icon-button" aria-label={`Hide ${noun.toLowerCase()}`} data-tooltip={`Hide ${noun.toLowerCase()}`} onClick={onClose}>
          <Icon name="close" size={18} />
        </button>
      </div>

      {total > 0 && (
        <div className="comments-panel__filters">
          <div className="segmented" role="group" aria-label="Show threads">
            {(Object.keys(STATUS_LABELS) as StatusFilter[]).map((value) => (
              <button key={value} type="button" className="segmented__button" aria-pressed={status === value} onClick={() => setStatus(value)}>
                {STATUS_LABELS[value]} <span className="segmented__count">{counts[value]}</span>
              </button>
            ))}
          </div>
          <select className="input input--compact comments-panel__who" aria-label="Whose threads" value={who} onChange={(event) => setWho(event.target.value)}>
            <option value="everyone">Everyone</option>
            <option value="mine">Mine</option>
            <option value="mentions">Mentioning me</option>
            <option value="assigned">Assigned to me</option>
            {authors.length > 0 && (
              <optgroup label="Comments by">
                {authors.map(([id, name]) => (
                  <option key={id} value={`author:${id}`}>
                    {name}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
          {source && (
            <select
              className="input input--compact comments-panel__stance"
              aria-label="Stance"
              value={stance}
              onChange={(event) => setStance(event.target.value as StanceFilter)}
            >
              <option value="any">Any stance</option>
              {STANCES.map((value) => (
                <option key={value} value={value}>
                  {STANCE_LABELS[value]}
                </option>
              ))}
              <option value="none">No stance</option>
            </select>
          )}
        </div>
      )}

      <div className="comments-panel__scroll">
        {draft && <DraftThread key={draft.key} comments={comments} quote={draft.quote} source={source} />}

        {state.status === 'ready' && state.live === false && (
          <p className="comments-panel__note" role="status">
            Reconnecting… Comments from others will show up again once connected.
          </p>
        )}
        {state.status === 'loading' && total === 0 && (
          <p className="comments-panel__note" role="status">
            Loading comments…
          </p>
        )}
        {state.status === 'error' && (
          <div className="comments-panel__empty" role="alert">
            <p>{state.error?.isNetworkError ? 'Comments can’t be loaded while the server is unreachable.' : 'Comments couldn’t be loaded.'}</p>
            <button type="button" className="button button--compact" onClick={state.reload}>
              Try again
            </button>
          </div>
        )}

        {state.status === 'ready' && total === 0 && !draft && (
          <div className="comments-panel__empty">
            <p>
              {source
                ? comments.canComment
                  ? 'No annotations yet. Select text, or press a paragraph’s Annotate button.'
                  : 'No annotations yet.'
                : comments.canComment
                  ? 'No comments yet. Select text and press Comment.'
                  : 'No comments yet.'}
            </p>
          </div>
        )}
        {total > 0 && shown.length === 0 && (
          <div className="comments-panel__empty">
            <p>{stance === 'any' ? emptyFilterMessage(status, who) : 'No threads match these filters.'}</p>
            <button
              type="button"
              className="button button--compact"
              onClick={() => {
                setStatus('all');
                setWho('everyone');
                setStance('any');
              }}
            >
              Show all threads
            </button>
          </div>
        )}

        {shown.length > 0 && (
          <ol ref={listRef} className="comments-panel__list" aria-label="Threads, in document order">
            {shown.map((thread) => (
              <li key={thread.id}>
                <ThreadCard
                  thread={thread}
                  number={ordered.numbers.get(thread.id) ?? 0}
                  textRemoved={ordered.removed.has(thread.id)}
                  active={thread.id === comments.activeId}
                  selfId={selfId}
                  canComment={comments.canComment}
                  canResolve={comments.canResolve}
                  canAssign={comments.canAssign}
                  assignable={comments.assignable}
                  people={comments.people}
                  actions={comments.actions}
                  onActivate={comments.activate}
                />
              </li>
            ))}
          </ol>
        )}
      </div>
    </aside>
  );
}

function emptyFilterMessage(status: StatusFilter, who: string): string {
  if (who === 'mentions') return status === 'all' ? 'No threads mention you.' : `No ${status} threads mention you.`;
  if (who === 'mine') return status === 'all' ? 'You haven’t taken part in any thread.' : `You have no ${status} threads.`;
  if (who === 'assigned') return status === 'all' ? 'No threads are assigned to you.' : `No ${status} threads are assigned to you.`;
  if (who.startsWith('author:')) return 'No threads match these filters.';
  return status === 'open' ? 'No open threads: everything is resolved.' : 'No resolved threads yet.';
}

/** The thread being written: its text, on a source paper its stance, and the first comment. */
function DraftThread({ comments, quote, source }: { comments: Comments; quote: string; source: boolean }) {
  const [stance, setStance] = useState<Stance | null>(null);
  return (
    <section className="thread thread--draft" aria-label={source ? 'New annotation' : 'New comment'}>
      <div className="thread__anchor">
        <span className="thread__number thread__number--new" aria-hidden="true">
          <Icon name="plus" size={14} />
        </span>
        <blockquote className="thread__quote">{quote}</blockquote>
      </div>
      {source && <StancePicker value={stance} onChange={setStance} />}
      <CommentComposer
        label={source ? 'New annotation' : 'New comment'}
        placeholder={source ? 'Annotation… (type @ to mention someone)' : 'Comment… (type @ to mention someone)'}
        submitLabel={source ? 'Annotate' : 'Comment'}
        people={comments.people}
        autoFocus
        alwaysShowActions
        onSubmit={(body, mentions) => comments.postDraft(body, mentions, stance ?? undefined)}
        onCancel={comments.cancelDraft}
        failure={source ? 'Couldn’t post the annotation.' : 'Couldn’t post the comment.'}
      />
    </section>
  );
}
