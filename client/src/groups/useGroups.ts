/** The person's working groups, reloaded when the tab becomes visible again (someone may have added them meanwhile). */
import { useEffect } from 'react';

import { listGroups, type GroupSummary } from '../api/groups';
import { useFetched, type Fetched } from '../ui/useFetched';

export function useGroups(): Fetched<GroupSummary[]> {
  const groups = useFetched((signal) => listGroups(signal), 'groups');
  const { refresh } = groups;
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') void refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [refresh]);
  return groups;
}
