/**
 * Loads something from the API when a page opens (and again on `refresh()`), with the states a
 * page shows: loading, failed, loaded. `update` changes the loaded value right away after an
 * action, without waiting for a reload.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

import { ApiError } from '../api/http';

export interface Fetched<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  refresh: () => Promise<void>;
  update: (change: (current: T) => T) => void;
}

export function useFetched<T>(load: (signal: AbortSignal) => Promise<T>, key: string): Fetched<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  const controller = useRef<AbortController | null>(null);

  const refresh = useCallback(async () => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setLoading(true);
    try {
      const result = await loadRef.current(current.signal);
      if (current.signal.aborted) return;
      setData(result);
      setError(null);
    } catch (caught) {
      if (current.signal.aborted) return;
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'unknown', 'Something went wrong.'));
    } finally {
      if (!current.signal.aborted) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setData(null);
    setError(null);
    void refresh();
    return () => controller.current?.abort();
  }, [key, refresh]);

  const update = useCallback((change: (current: T) => T) => {
    setData((current) => (current === null ? current : change(current)));
  }, []);

  return { data, error, loading, refresh, update };
}
