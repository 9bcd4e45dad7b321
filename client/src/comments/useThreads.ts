/**
 * The threads of one document, kept current for everyone: loaded from the API, then updated
 * from the document's event stream (`thread`: created or changed, `thread-deleted`) and from the
 * answers to this person's own actions. The stream is opened before the list is fetched, and
 * events that arrive while the list loads are replayed on top of it, so nothing is missed; each
 * reconnect of the stream fetches the list again (changes made while it was down).
 */
import { useCallback, useEffect, useRef, useState } from 'react';

import { THREAD_DELETED_EVENT, THREAD_EVENT, ThreadId, ThreadView } from '../../../shared/api/index';
import { listThreads, threadEventsUrl } from '../api/comments';
import { ApiError } from '../api/http';

export type ThreadsStatus = 'loading' | 'ready' | 'error';

export interface ThreadsState {
  threads: ThreadView[];
  status: ThreadsStatus;
  error: ApiError | null;
  /** Whether changes are arriving live: the event stream is open (true), broke (false) or is still connecting (null). */
  live: boolean | null;
  /** Puts the thread as the server answered (unless a newer state of it is already here). */
  apply: (thread: ThreadView) => void;
  /** The thread is gone (its last comment was deleted). */
  remove: (threadId: string) => void;
  reload: () => void;
}

type StreamEvent = { kind: 'thread'; thread: ThreadView } | { kind: 'deleted'; id: string };

/** After a stream failed for good (e.g. a 5xx instead of the stream), how long until trying again. */
const STREAM_RETRY_MS = 5000;

/**
 * How far a thread's history has got. Every change moves one of these forward and none moves
 * back (comments stay as traces when deleted), so an answer that arrives after a newer event
 * (two connections, no ordering between them) can be told apart and ignored.
 */
function progress(thread: ThreadView): number[] {
  let edited = 0;
  let deleted = 0;
  for (const comment of thread.comments) {
    if (comment.deleted) deleted += 1;
    if (comment.editedAt) edited = Math.max(edited, Date.parse(comment.editedAt) || 0);
  }
  return [thread.comments.length, thread.events.length, deleted, edited];
}

/** `candidate` is strictly behind `current` (an older state of the same thread). */
function isBehind(candidate: ThreadView, current: ThreadView): boolean {
  const a = progress(candidate);
  const b = progress(current);
  return a.every((value, index) => value <= b[index]) && a.some((value, index) => value < b[index]);
}

export function useThreads(documentId: string): ThreadsState {
  const [threads, setThreads] = useState<ThreadView[]>([]);
  const [status, setStatus] = useState<ThreadsStatus>('loading');
  const [error, setError] = useState<ApiError | null>(null);
  const [live, setLive] = useState<boolean | null>(null);
  /** Threads known to be deleted: a late answer or event must not bring them back. */
  const deleted = useRef(new Set<string>());
  /** Events that arrived while a list request was under way (replayed on top of its answer). */
  const pending = useRef<StreamEvent[] | null>(null);
  const loadController = useRef<AbortController | null>(null);

  const applyEvent = useCallback((list: ThreadView[], event: StreamEvent): ThreadView[] => {
    if (event.kind === 'deleted') {
      deleted.current.add(event.id);
      return list.some((thread) => thread.id === event.id) ? list.filter((thread) => thread.id !== event.id) : list;
    }
    const incoming = event.thread;
    if (deleted.current.has(incoming.id)) return list;
    const index = list.findIndex((thread) => thread.id === incoming.id);
    if (index < 0) return [...list, incoming];
    if (isBehind(incoming, list[index])) return list;
    const next = list.slice();
    next[index] = incoming;
    return next;
  }, []);

  const receive = useCallback(
    (event: StreamEvent) => {
      pending.current?.push(event);
      setThreads((list) => applyEvent(list, event));
    },
    [applyEvent],
  );

  const load = useCallback(() => {
    loadController.current?.abort();
    const controller = new AbortController();
    loadController.current = controller;
    pending.current = [];
    listThreads(documentId, controller.signal)
      .then((loaded) => {
        if (controller.signal.aborted) return;
        const replay = pending.current ?? [];
        pending.current = null;
        let list = loaded.filter((thread) => !deleted.current.has(thread.id));
        for (const event of replay) list = applyEvent(list, event);
        setThreads(list);
        setStatus('ready');
        setError(null);
      })
      .catch((caught: unknown) => {
        if (controller.signal.aborted) return;
        pending.current = null;
        setError(caught instanceof ApiError ? caught : new ApiError(0, 'unknown', 'Something went wrong.'));
        setStatus((current) => (current === 'ready' ? 'ready' : 'error'));
      });
  }, [documentId, applyEvent]);

  useEffect(() => {
    let source: EventSource | null = null;
    let retry: number | undefined;
    let stopped = false;

    const onThread = (message: MessageEvent<string>) => {
      const parsed = ThreadView.safeParse(safeJson(message.data));
      if (parsed.success) receive({ kind: 'thread', thread: parsed.data });
    };
    const onDeleted = (message: MessageEvent<string>) => {
      const data = safeJson(message.data) as { id?: unknown } | null;
      const id = ThreadId.safeParse(data?.id);
      if (id.success) receive({ kind: 'deleted', id: id.data });
    };

    const open = () => {
      if (stopped) return;
      if (typeof EventSource === 'undefined') {
        load();
        return;
      }
      source = new EventSource(threadEventsUrl(documentId), { withCredentials: true });
      source.addEventListener(THREAD_EVENT, onThread as EventListener);
      source.addEventListener(THREAD_DELETED_EVENT, onDeleted as EventListener);
      // Every (re)connection: fetch the list, in case something changed while the stream was down.
      source.addEventListener('open', () => {
        setLive(true);
        load();
      });
      source.addEventListener('error', () => {
        setLive(false);
        // EventSource reconnects by itself (retry: 3000) unless the server answered with
        // something other than a stream; then it is closed for good and we try again later.
        if (source?.readyState === EventSource.CLOSED) {
          source = null;
          retry = window.setTimeout(open, STREAM_RETRY_MS);
        }
      });
    };

    // The list right away (not only once the stream opens), so the panel fills even when the
    // stream is slow or blocked by a proxy.
    load();
    open();
    return () => {
      stopped = true;
      window.clearTimeout(retry);
      source?.close();
      loadController.current?.abort();
    };
  }, [documentId, load, receive]);

  const apply = useCallback((thread: ThreadView) => setThreads((list) => applyEvent(list, { kind: 'thread', thread })), [applyEvent]);
  const remove = useCallback((threadId: string) => setThreads((list) => applyEvent(list, { kind: 'deleted', id: threadId })), [applyEvent]);

  return { threads, status, error, live, apply, remove, reload: load };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
