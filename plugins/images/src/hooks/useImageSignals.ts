import { useApiHolder } from '@backstage/core-plugin-api';
import { imageSignalChannel } from '@berth/plugin-images-common';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { useEffect, useState } from 'react';

/**
 * How many times the images backend has said, through Backstage signals, that one of these images changed (a push
 * the registry reported, a promotion) since the component mounted: a key to read again on. Stays 0 in an app
 * without the signals plugin; the tab then shows what it read, as before.
 *
 * @public
 */
export function useImageSignals(images: string[]): number {
  const signals = useApiHolder().get(signalApiRef);
  const [count, setCount] = useState(0);
  const channels = [...new Set(images.map(imageSignalChannel))]
    .sort()
    .join('\n');
  useEffect(() => {
    if (!signals || !channels) return undefined;
    const subscriptions = channels
      .split('\n')
      .map(channel => signals.subscribe(channel, () => setCount(n => n + 1)));
    return () => subscriptions.forEach(s => s.unsubscribe());
  }, [signals, channels]);
  return count;
}
