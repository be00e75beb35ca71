import { useApiHolder } from '@backstage/core-plugin-api';
import { useEffect, useState } from 'react';
import { imagesApiRef } from '../api';

/** How often the count of what waits for approval is asked again. */
const REFRESH_MS = 60_000;

/**
 * How many promotions wait for an approval the signed-in user may give, asked again every minute. 0 while unknown
 * or when the backend cannot answer: the count is a hint, the Images page says what went wrong. Without the images
 * API (an app that left it out) it stays 0 rather than failing the nav that shows it.
 */
export function useApprovalCount(): number {
  const api = useApiHolder().get(imagesApiRef);
  const [waiting, setWaiting] = useState(0);
  useEffect(() => {
    if (!api) return undefined;
    let live = true;
    const ask = () =>
      api
        .getApprovalInbox()
        .then(items => live && setWaiting(items.length))
        .catch(() => undefined);
    ask();
    const timer = setInterval(ask, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api]);
  return waiting;
}
