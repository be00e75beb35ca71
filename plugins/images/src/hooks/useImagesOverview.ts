import { useApi } from '@backstage/core-plugin-api';
import { EntityImagesOverview } from '@berth/plugin-images-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { imagesApiRef, ImagesEntityRef } from '../api';
import { useEntityRefKey } from './useEntityRefKey';

/**
 * The entity's images and their environments, from the images backend. `retry` reloads.
 *
 * @public
 */
export function useImagesOverview(entityRef: ImagesEntityRef) {
  const api = useApi(imagesApiRef);
  const key = useEntityRefKey(entityRef);
  return useAsyncRetry<EntityImagesOverview>(
    () => api.getOverview(entityRef),
    // entityRef is captured by key: a new object for the same entity does not reload.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key],
  );
}
