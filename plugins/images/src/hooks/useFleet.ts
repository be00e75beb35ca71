import { useApi } from '@backstage/core-plugin-api';
import { FleetPage } from '@berth/plugin-images-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { FleetRequest, imagesApiRef } from '../api';

/**
 * One page of the fleet for these filters, from the images backend. `retry` reloads.
 *
 * @public
 */
export function useFleet(request: FleetRequest) {
  const api = useApi(imagesApiRef);
  const key = JSON.stringify(request);
  return useAsyncRetry<FleetPage>(
    () => api.getFleet(request),
    // The request is captured by key: an equal request does not reload.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key],
  );
}
