// Read through the network, keep in IndexedDB, show the kept copy (with its age) at once and
// when offline. Stale-while-revalidate, by hand: the API data is the app's, not the
// service worker's, so the screen can say how old it is.

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, NetworkError } from '../api/client';
import { keep, kept } from '../offline/cache';

export interface KeptState<T> {
  data: T | undefined;
  /** When the shown data was fetched (ms), if it comes from the device. */
  savedAt: number | undefined;
  fromDevice: boolean;
  loading: boolean;
  error: ApiError | NetworkError | Error | undefined;
  reload(): Promise<void>;
}

export function useKept<T>(key: string | null, fetcher: () => Promise<T>): KeptState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [savedAt, setSavedAt] = useState<number | undefined>(undefined);
  const [fromDevice, setFromDevice] = useState(false);
  const [loading, setLoading] = useState(key !== null);
  const [error, setError] = useState<Error | undefined>(undefined);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const generation = useRef(0);
  const haveFresh = useRef(false);

  const load = useCallback(async () => {
    if (!key) return;
    const mine = ++generation.current;
    setLoading(true);
    try {
      const fresh = await fetcherRef.current();
      if (mine !== generation.current) return;
      const now = Date.now();
      haveFresh.current = true;
      setData(fresh);
      setSavedAt(now);
      setFromDevice(false);
      setError(undefined);
      await keep(key, fresh, now).catch(() => undefined);
    } catch (failure) {
      if (mine !== generation.current) return;
      setError(failure instanceof Error ? failure : new Error(String(failure)));
      if (failure instanceof NetworkError || !(failure instanceof ApiError)) {
        const copy = await kept<T>(key).catch(() => undefined);
        if (copy && mine === generation.current) {
          setData(copy.value);
          setSavedAt(copy.savedAt);
          setFromDevice(true);
        }
      }
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [key]);

  useEffect(() => {
    if (!key) return;
    let cancelled = false;
    haveFresh.current = false;
    setData(undefined);
    setSavedAt(undefined);
    setError(undefined);
    // The kept copy first, so a slow network shows something at once.
    void kept<T>(key)
      .then((copy) => {
        if (!cancelled && copy && !haveFresh.current) {
          setData(copy.value);
          setSavedAt(copy.savedAt);
          setFromDevice(true);
        }
      })
      .catch(() => undefined);
    void load();
    return () => {
      cancelled = true;
    };
  }, [key, load]);

  return { data, savedAt, fromDevice, loading, error, reload: load };
}
