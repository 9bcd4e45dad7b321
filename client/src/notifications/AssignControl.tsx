/**
 * A thread's assignment in the comments panel: who should act on it and by when (overdue in red),
 * and for co-chairs and the secretariat a small form to assign it (to a co-chair, member or the
 * secretariat), set or change the due date, or clear it.
 */
import { useId, useState, type FormEvent } from 'react';

import type { ThreadView } from '../api/comments';
import { messageOf } from '../ui/form-errors';
import { Icon } from '../ui/Icon';
import { formatDueDate, isOverdue } from './due-date';

export interface AssignablePerson {
  id: string;
  name: string;
}

export function AssignmentLine({ thread, selfId }: { thread: ThreadView; selfId: string }) {
  const assignment = thread.assignment;
  if (!assignment) return null;
  const overdue = thread.status === 'open' && isOverdue(assignment.dueDate);
  const who = assignment.assignee.id === selfId ? 'you' : assignment.assignee.name;
  return (
    <p className={overdue ? 'thread__assignment thread__assignment--overdue' : 'thread__assignment'} data-testid="thread-assignment">
      <Icon name="checklist" size={16} />
      <span>
        Assigned to <strong>{who}</strong>
        {assignment.dueDate && (
          <>
            {' · '}
            {overdue ? 'overdue, was due ' : 'due '}
            {formatDueDate(assignment.dueDate)}
          </>
        )}
      </span>
    </p>
  );
}

export function AssignControl({
  thread,
  people,
  onAssign,
}: {
  thread: ThreadView;
  people: AssignablePerson[];
  onAssign: (assigneeId: string | null, dueDate: string | null) => Promise<void>;
}) {
  const [editing, setEditing] = useState(false);
  const [assignee, setAssignee] = useState(thread.assignment?.assignee.id ?? '');
  const [due, setDue] = useState(thread.assignment?.dueDate ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const selectId = useId();
  const dateId = useId();

  if (!editing) {
    return (
      <button
        type="button"
        className="button button--compact thread__assign"
        onClick={() => {
          setAssignee(thread.assignment?.assignee.id ?? '');
          setDue(thread.assignment?.dueDate ?? '');
          setError(null);
          setEditing(true);
        }}
      >
        <Icon name="person" size={16} /> {thread.assignment ? 'Change assignment' : 'Assign'}
      </button>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onAssign(assignee || null, assignee && due ? due : null);
      setEditing(false);
    } catch (caught) {
      setError(`Couldn’t assign the thread. ${messageOf(caught)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="assign-form" onSubmit={(event) => void submit(event)} aria-label="Assign this thread">
      <div className="assign-form__fields">
        <label htmlFor={selectId}>Assign to</label>
        <select id={selectId} className="input input--compact" value={assignee} onChange={(event) => setAssignee(event.target.value)}>
          <option value="">Nobody</option>
          {people.map((person) => (
            <option key={person.id} value={person.id}>
              {person.name}
            </option>
          ))}
        </select>
        <label htmlFor={dateId}>Due date (optional)</label>
        <input id={dateId} type="date" className="input input--compact" value={due} disabled={!assignee} onChange={(event) => setDue(event.target.value)} />
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="assign-form__actions">
        <button type="submit" className="button button--primary button--compact" disabled={busy}>
          Save
        </button>
        <button type="button" className="button button--compact" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
