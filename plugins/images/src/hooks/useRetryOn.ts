import { useEffect, useRef } from 'react';

/**
 * Reads again (`retry`) each time `key` changes. `retry()` does nothing while a read is in flight, so a change that
 * comes meanwhile waits for it, then reads again.
 */
export function useRetryOn(
  key: string | number | undefined,
  state: { loading: boolean; retry: () => void },
): void {
  const { loading, retry } = state;
  const shownFor = useRef(key);
  useEffect(() => {
    if (key === shownFor.current || loading) return;
    shownFor.current = key;
    retry();
  }, [key, loading, retry]);
}
