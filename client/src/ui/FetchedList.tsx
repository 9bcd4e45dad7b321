/** A panel's list loaded with useFetched: "Loading…", why it couldn't load, a note when it is empty, or the items. */
import type { ReactNode } from 'react';

import { messageOf } from './form-errors';
import type { Fetched } from './useFetched';

export interface FetchedListProps<T> {
  fetched: Fetched<T[]>;
  /** Goes before the reason it couldn't load, e.g. "Couldn’t load your tokens." */
  failed: string;
  empty: string;
  children: (items: T[]) => ReactNode;
}

export function FetchedList<T>({ fetched, failed, empty, children }: FetchedListProps<T>) {
  if (fetched.data === null) {
    return fetched.error ? (
      <p className="form-error" role="alert">
        {failed} {messageOf(fetched.error)}
      </p>
    ) : (
      <p className="panel__note" role="status">
        Loading…
      </p>
    );
  }
  if (fetched.data.length === 0) return <p className="panel__note">{empty}</p>;
  return children(fetched.data);
}
