/** Loads data for a page: the value, the failure, and a way to load again after a change. */
import { useCallback, useEffect, useRef, useState } from 'react';

import { toFailure, type ApiFailure } from '../api/client';

export interface Loaded<T> {
  data: T | null;
  failure: ApiFailure | null;
  loading: boolean;
  reload: () => void;
  setData: (data: T) => void;
}

/** `load` runs again whenever `key` changes; a stale answer never overwrites a newer one. */
export function useLoad<T>(load: (() => Promise<T>) | null, key: string): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [loading, setLoading] = useState(Boolean(load));
  const [round, setRound] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const run = loadRef.current;
    if (!run) {
      setLoading(false);
      return;
    }
    let current = true;
    setLoading(true);
    run()
      .then((value) => {
        if (!current) return;
        setData(value);
        setFailure(null);
      })
      .catch((error: unknown) => current && setFailure(toFailure(error)))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [key, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data, failure, loading, reload, setData };
}
