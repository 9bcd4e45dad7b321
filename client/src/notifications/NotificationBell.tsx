/**
 * The bell in the top bar: the unread count, and a panel with the inbox (what concerns me:
 * mentions, replies, assignments, decisions, versions, rounds) and the threads assigned to me.
 * Each item opens the document at its place (the thread); opening one marks it read. A
 * disclosure: Esc or a click outside closes it and gives the focus back to the bell.
 */
import { useEffect, useId, useRef, useState } from 'react';

import type { AssignedThreadView, NotificationView } from '../api/notifications';
import { useSession } from '../auth/session';
import { Link } from '../router';
import { Avatar } from '../ui/Avatar';
import { Icon } from '../ui/Icon';
import { RelativeTime } from '../ui/RelativeTime';
import { formatDueDate } from './due-date';
import { useInbox } from './useInbox';

type Tab = 'inbox' | 'assigned';

export function NotificationBell() {
  const session = useSession();
  // Only for a signed-in person (a page may outlive the session: signed out in another tab).
  if (session.status !== 'ready' || !session.user) return null;
  return <Bell />;
}

function Bell() {
  const [open, setOpen] = useState(false);
  const [tab, setTab] = useState<Tab>('inbox');
  const inbox = useInbox(open);
  const panelId = useId();
  const titleId = useId();
  const wrapperRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    panelRef.current?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!wrapperRef.current?.contains(event.target as Node)) setOpen(false);
    };
    // Esc closes it wherever the focus is (a control that went away leaves it on the page).
    const onEscape = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      const focus = document.activeElement;
      if (focus && focus !== document.body && !wrapperRef.current?.contains(focus)) return;
      event.preventDefault();
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onEscape);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onEscape);
    };
  }, [open]);

  const unread = inbox.unread ?? 0;
  const overdue = inbox.assigned?.filter((thread) => thread.overdue).length ?? 0;
  return (
    <div className="bell" ref={wrapperRef}>
      <button
        ref={buttonRef}
        type="button"
        className="icon-button bell__button"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        aria-label={unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'}
        data-tooltip="Notifications"
        onClick={() => setOpen((value) => !value)}
      >
        <Icon name="bell" size={20} />
        {unread > 0 && (
          <span className="bell__count" aria-hidden="true" data-testid="unread-count">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div ref={panelRef} id={panelId} className="popover bell__panel" role="dialog" aria-labelledby={titleId} tabIndex={-1}>
          <div className="bell__header">
            <h2 id={titleId} className="bell__title">
              Notifications
            </h2>
            {tab === 'inbox' && unread > 0 && (
              <button
                type="button"
                className="button button--compact"
                onClick={() => {
                  // The button goes away with the last unread one: keep the focus in the panel.
                  panelRef.current?.focus();
                  void inbox.markRead('all').catch(() => undefined);
                }}
              >
                Mark all read
              </button>
            )}
          </div>
          <div className="segmented bell__tabs" role="group" aria-label="Show">
            <button type="button" className="segmented__button" aria-pressed={tab === 'inbox'} onClick={() => setTab('inbox')}>
              Inbox <span className="segmented__count">{unread}</span>
            </button>
            <button type="button" className="segmented__button" aria-pressed={tab === 'assigned'} onClick={() => setTab('assigned')}>
              Assigned to me <span className="segmented__count">{inbox.assigned?.length ?? 0}</span>
            </button>
          </div>
          {inbox.error && (
            <p className="form-error bell__note" role="alert">
              {inbox.error.isNetworkError ? 'Notifications can’t be loaded while the server is unreachable.' : 'Notifications couldn’t be loaded.'}{' '}
              <button type="button" className="link-button" onClick={inbox.reload}>
                Try again
              </button>
            </p>
          )}
          {tab === 'inbox' ? (
            <InboxList notifications={inbox.notifications} onOpen={(n) => (n.read ? undefined : void inbox.markRead([n.id]).catch(() => undefined))} onClose={() => setOpen(false)} />
          ) : (
            <AssignedList threads={inbox.assigned} overdue={overdue} onClose={() => setOpen(false)} />
          )}
        </div>
      )}
    </div>
  );
}

function InboxList({ notifications, onOpen, onClose }: { notifications: NotificationView[] | null; onOpen: (n: NotificationView) => void; onClose: () => void }) {
  if (notifications === null) return <p className="bell__note">Loading…</p>;
  if (notifications.length === 0) return <p className="bell__note">Nothing yet. Mentions, replies, assignments and decisions will show up here.</p>;
  return (
    <ul className="bell__list" aria-label="Notifications, newest first">
      {notifications.map((n) => (
        <li key={n.id} className={n.read ? 'bell-item' : 'bell-item bell-item--unread'}>
          <Link
            href={n.path}
            className="bell-item__link"
            onClick={() => {
              onOpen(n);
              onClose();
            }}
          >
            {n.actor ? <Avatar person={n.actor} size="small" /> : <span className="bell-item__dot" aria-hidden="true" />}
            <span className="bell-item__text">
              <span className="bell-item__summary">
                {!n.read && <span className="visually-hidden">Unread: </span>}
                {n.summary}
              </span>
              <span className="bell-item__where">
                {n.document.title} · {n.group.name}
              </span>
              {n.excerpt && n.kind !== 'version' && n.kind !== 'round' && n.kind !== 'round-closing' && <span className="bell-item__excerpt">“{n.excerpt}”</span>}
              <span className="bell-item__time">
                <RelativeTime iso={n.createdAt} />
              </span>
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function AssignedList({ threads, overdue, onClose }: { threads: AssignedThreadView[] | null; overdue: number; onClose: () => void }) {
  if (threads === null) return <p className="bell__note">Loading…</p>;
  if (threads.length === 0) return <p className="bell__note">No open threads are assigned to you.</p>;
  return (
    <>
      {overdue > 0 && (
        <p className="bell__note bell__note--overdue">
          {overdue} {overdue === 1 ? 'thread is' : 'threads are'} overdue.
        </p>
      )}
      <ul className="bell__list" aria-label="Threads assigned to me, soonest due first">
        {threads.map((thread) => (
          <li key={thread.threadId} className="bell-item">
            <Link href={thread.path} className="bell-item__link" onClick={onClose}>
              <span className="bell-item__dot bell-item__dot--assigned" aria-hidden="true">
                <Icon name="checklist" size={14} />
              </span>
              <span className="bell-item__text">
                <span className="bell-item__summary">{thread.firstComment || `“${thread.quote}”`}</span>
                <span className="bell-item__where">
                  {thread.document.title} · {thread.group.name}
                </span>
                <span className={thread.overdue ? 'due due--overdue' : 'due'}>
                  {thread.dueDate ? `${thread.overdue ? 'Overdue: due' : 'Due'} ${formatDueDate(thread.dueDate)}` : 'No due date'}
                  {' · assigned by '}
                  {thread.assignedBy.name}
                </span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
