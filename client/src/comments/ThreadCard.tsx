/**
 * One comment thread in the side panel: the quoted text (or "Text removed") with, on a source
 * paper, the annotation's stance; the comments with their authors and times, a reply box, the
 * author's own edit and delete, and for co-chairs the resolution (a disposition and an optional
 * reason) and reopening. A resolved thread shows as a
 * one-line summary (disposition, who, when) that expands to the whole discussion and its history.
 */
import { useId, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';

import { DISPOSITION_LABELS, DISPOSITIONS, REASON_MAX_LENGTH, type Disposition } from '../../../shared/api/index';
import type { CommentView, ThreadEvent, ThreadView } from '../api/comments';
import { Avatar } from '../ui/Avatar';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Icon } from '../ui/Icon';
import { RelativeTime } from '../ui/RelativeTime';
import { useFormSubmit } from '../ui/useFormSubmit';
import { CommentComposer, SUBMIT_HINT } from './CommentComposer';
import { CommentText } from './comment-text';
import { StanceChip } from './StancePicker';
import type { MentionPerson } from './MentionTextarea';
import { AssignControl, AssignmentLine, type AssignablePerson } from '../notifications/AssignControl';

export interface ThreadActions {
  reply: (threadId: string, body: string, mentions: string[]) => Promise<void>;
  edit: (threadId: string, commentId: string, body: string, mentions: string[]) => Promise<void>;
  remove: (threadId: string, commentId: string) => Promise<void>;
  resolve: (threadId: string, disposition: Disposition, reason: string) => Promise<void>;
  reopen: (threadId: string) => Promise<void>;
  assign: (threadId: string, assigneeId: string | null, dueDate: string | null) => Promise<void>;
}

export interface ThreadCardProps {
  thread: ThreadView;
  /** Its place in the document (1 = first), as in the resolution report. */
  number: number;
  /** All of its text was deleted from the document. */
  textRemoved: boolean;
  active: boolean;
  selfId: string;
  canComment: boolean;
  canResolve: boolean;
  /** Co-chairs and the secretariat: the thread's assignment can be changed. */
  canAssign: boolean;
  /** Who a thread can be assigned to. */
  assignable: AssignablePerson[];
  people: MentionPerson[];
  actions: ThreadActions;
  onActivate: (threadId: string) => void;
}

export function ThreadCard(props: ThreadCardProps) {
  const { thread, active } = props;
  const resolved = thread.status === 'resolved';
  const [expanded, setExpanded] = useState(false);
  const bodyId = useId();
  const articleRef = useRef<HTMLElement>(null);

  const activate = (event: MouseEvent) => {
    // Fields and links inside do their own thing; anywhere else selects the thread.
    if ((event.target as HTMLElement).closest('a, textarea, select, input, [role="option"]')) return;
    props.onActivate(thread.id);
  };

  /** After resolving or reopening, the control that was used is gone: keep the focus on this thread. */
  const keepFocus = () =>
    requestAnimationFrame(() => {
      const article = articleRef.current;
      if (!article || article.contains(document.activeElement)) return;
      (article.querySelector<HTMLElement>('.thread__summary') ?? article).focus();
    });

  const className = ['thread', active ? 'thread--active' : '', resolved ? 'thread--resolved' : ''].filter(Boolean).join(' ');
  const showBody = !resolved || expanded;

  return (
    <article
      ref={articleRef}
      className={className}
      data-thread-id={thread.id}
      tabIndex={-1}
      aria-label={`${resolved ? 'Resolved thread' : 'Thread'} ${props.number}`}
      onClick={activate}
      // Moving through the panel with the keyboard selects each thread (and shows its text) in turn.
      onFocus={() => {
        if (!active) props.onActivate(thread.id);
      }}
    >
      {resolved && (
        <button
          type="button"
          className={expanded ? 'thread__summary thread__summary--open' : 'thread__summary'}
          aria-expanded={expanded}
          aria-controls={expanded ? bodyId : undefined}
          onClick={() => setExpanded(!expanded)}
        >
          <span className="thread__summary-icon" aria-hidden="true">
            <Icon name="check" size={16} />
          </span>
          <span className="thread__summary-text">
            <strong>{thread.resolution ? DISPOSITION_LABELS[thread.resolution.disposition] : 'Resolved'}</strong>
            {thread.resolution && (
              <>
                {' · '}
                {thread.resolution.by.name}, <RelativeTime iso={thread.resolution.at} />
              </>
            )}
            {!expanded && thread.quote && <span className="thread__summary-quote">“{thread.quote}”</span>}
          </span>
          <span className={expanded ? 'thread__chevron thread__chevron--up' : 'thread__chevron'}>
            <Icon name="chevronDown" size={16} />
          </span>
        </button>
      )}
      {showBody && (
        <div id={bodyId} className="thread__body">
          <Quote thread={thread} number={props.number} textRemoved={props.textRemoved} />
          <AssignmentLine thread={thread} selfId={props.selfId} />
          <ol className="thread__comments">
            {thread.comments.map((comment) => (
              <CommentItem key={comment.id} comment={comment} {...props} />
            ))}
          </ol>
          {resolved && thread.resolution?.reason && (
            <div className="thread__resolution">
              <span className="thread__resolution-label">Reason</span>
              <CommentText body={thread.resolution.reason} />
            </div>
          )}
          {thread.events.length > 0 && <History events={thread.events} startOpen={resolved} />}
          {!resolved && props.canComment && (
            <CommentComposer
              key={`reply-${thread.id}`}
              label={`Reply to thread ${props.number}`}
              placeholder="Reply… (type @ to mention someone)"
              rows={1}
              submitLabel="Reply"
              people={props.people}
              onSubmit={(body, mentions) => props.actions.reply(thread.id, body, mentions)}
              onCancel={() => undefined}
              failure="Couldn’t post the reply."
            />
          )}
          {!resolved && props.canAssign && (
            <AssignControl thread={thread} people={props.assignable} onAssign={(assigneeId, dueDate) => props.actions.assign(thread.id, assigneeId, dueDate)} />
          )}
          {props.canResolve && <ResolveControls {...props} onDone={keepFocus} />}
        </div>
      )}
    </article>
  );
}

function Quote({ thread, number, textRemoved }: { thread: ThreadView; number: number; textRemoved: boolean }) {
  return (
    <div className="thread__anchor">
      {/* The thread's label says its number already. */}
      <span className="thread__number" aria-hidden="true">
        {number}
      </span>
      <div className="thread__anchor-text">
        {thread.stance && <StanceChip stance={thread.stance} />}
        {textRemoved && <span className="tag tag--removed">Text removed</span>}
        <blockquote className={textRemoved ? 'thread__quote thread__quote--removed' : 'thread__quote'}>{thread.quote || '(no text)'}</blockquote>
      </div>
    </div>
  );
}

function CommentItem(props: ThreadCardProps & { comment: CommentView }) {
  const { comment, thread, selfId } = props;
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const own = comment.author.id === selfId && !comment.deleted && thread.status === 'open';
  const liveComments = thread.comments.filter((other) => !other.deleted).length;

  return (
    <li className={comment.deleted ? 'comment comment--deleted' : 'comment'}>
      <div className="comment__head">
        <Avatar person={comment.author} size="small" />
        <span className="comment__author">{comment.author.name}</span>
        <span className="comment__time">
          <RelativeTime iso={comment.createdAt} />
          {comment.editedAt && !comment.deleted && <span className="comment__edited"> · edited</span>}
        </span>
        {own && !editing && (
          <span className="comment__actions">
            <button type="button" className="icon-button icon-button--small" aria-label="Edit comment" data-tooltip="Edit" onClick={() => setEditing(true)}>
              <Icon name="pencil" size={16} />
            </button>
            <button
              type="button"
              className="icon-button icon-button--small icon-button--danger"
              aria-label="Delete comment"
              data-tooltip="Delete"
              onClick={() => setConfirming(true)}
            >
              <Icon name="trash" size={16} />
            </button>
          </span>
        )}
      </div>
      {comment.deleted ? (
        <p className="comment__body comment__body--deleted">Comment deleted</p>
      ) : editing ? (
        <CommentComposer
          label="Edit comment"
          placeholder="Comment"
          submitLabel="Save"
          people={props.people}
          initialBody={comment.body}
          initialMentions={comment.mentions}
          autoFocus
          alwaysShowActions
          onSubmit={async (body, mentions) => {
            await props.actions.edit(thread.id, comment.id, body, mentions);
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
          failure="Couldn’t save the comment."
        />
      ) : (
        <CommentText body={comment.body} mentions={comment.mentions} selfId={selfId} />
      )}
      <ConfirmDialog
        open={confirming}
        title="Delete this comment?"
        message={
          liveComments <= 1
            ? 'It is the only comment in this thread, so the thread will be removed too.'
            : 'The thread will show “Comment deleted” in its place.'
        }
        confirmLabel="Delete"
        danger
        onConfirm={() => props.actions.remove(thread.id, comment.id)}
        onClose={() => setConfirming(false)}
      />
    </li>
  );
}

/** Resolutions and reopenings; shown open on a resolved thread, folded on an open one. */
function History({ events, startOpen }: { events: ThreadEvent[]; startOpen: boolean }) {
  return (
    <details className="thread__history" open={startOpen || undefined}>
      <summary>History ({events.length})</summary>
      <ol>
        {events.map((event, index) => (
          <li key={index}>
            {event.kind === 'resolved' ? (
              <>
                Resolved{event.disposition ? ` as ${DISPOSITION_LABELS[event.disposition]}` : ''} by {event.by.name}, <RelativeTime iso={event.at} />
                {event.reason && (
                  <>
                    : <span className="thread__history-reason">{event.reason}</span>
                  </>
                )}
              </>
            ) : (
              <>
                Reopened by {event.by.name}, <RelativeTime iso={event.at} />
              </>
            )}
          </li>
        ))}
      </ol>
    </details>
  );
}

/** Co-chairs: "Resolve" opens a small form (disposition, optional reason); "Reopen" on resolved threads. */
function ResolveControls(props: ThreadCardProps & { onDone: () => void }) {
  const { thread } = props;
  const [open, setOpen] = useState(false);
  const [disposition, setDisposition] = useState<Disposition | ''>('');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const form = useFormSubmit({ failure: thread.status === 'open' ? 'Couldn’t resolve the thread.' : 'Couldn’t reopen the thread.' });
  const selectId = useId();
  const reasonId = useId();
  const missingId = useId();

  if (thread.status === 'resolved') {
    return (
      <div className="thread__resolve">
        {form.general && (
          <p className="form-error" role="alert">
            {form.general}
          </p>
        )}
        <button type="button" className="button button--compact" disabled={form.busy} onClick={() =>
            void form.run(async () => {
              await props.actions.reopen(thread.id);
              props.onDone();
            })
          }
        >
          {form.busy ? 'Reopening…' : 'Reopen'}
        </button>
      </div>
    );
  }

  if (!open) {
    return (
      <div className="thread__resolve">
        <button type="button" className="button button--compact thread__resolve-button" onClick={() => setOpen(true)}>
          <Icon name="check" size={16} />
          Resolve
        </button>
      </div>
    );
  }

  const cancel = () => {
    if (form.busy) return;
    setOpen(false);
    setDisposition('');
    setReason('');
    setMissing(false);
    form.clearMessages();
  };
  const submit = () => {
    if (form.busy) return;
    if (!disposition) {
      setMissing(true);
      document.getElementById(selectId)?.focus();
      return;
    }
    void form.run(async () => {
      await props.actions.resolve(thread.id, disposition, reason.trim());
      props.onDone();
    });
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      cancel();
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form
      className="resolve-form"
      aria-label={`Resolve thread ${props.number}`}
      onKeyDown={onKeyDown}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="form__field">
        <label htmlFor={selectId}>Disposition</label>
        <select
          id={selectId}
          className="input input--compact"
          value={disposition}
          autoFocus
          aria-invalid={missing || undefined}
          aria-describedby={missing ? missingId : undefined}
          onChange={(event) => {
            setDisposition(event.target.value as Disposition | '');
            setMissing(false);
          }}
        >
          <option value="" disabled>
            Choose…
          </option>
          {DISPOSITIONS.map((value) => (
            <option key={value} value={value}>
              {DISPOSITION_LABELS[value]}
            </option>
          ))}
        </select>
        {missing && (
          <p id={missingId} className="form-error" role="alert">
            Choose how the comment was dealt with.
          </p>
        )}
      </div>
      <div className="form__field">
        <label htmlFor={reasonId}>
          Reason <span className="form__optional">(optional)</span>
        </label>
        <textarea
          id={reasonId}
          className="input textarea"
          rows={2}
          maxLength={REASON_MAX_LENGTH}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      </div>
      {form.general && (
        <p className="form-error" role="alert">
          {form.general}
        </p>
      )}
      <div className="composer__actions">
        <span className="composer__hint">{SUBMIT_HINT.replace('post', 'resolve')}</span>
        <button type="button" className="button button--quiet button--compact" onClick={cancel} disabled={form.busy}>
          Cancel
        </button>
        <button type="submit" className="button button--primary button--compact" disabled={form.busy}>
          {form.busy ? 'Resolving…' : 'Resolve'}
        </button>
      </div>
    </form>
  );
}
