import { useApi } from '@backstage/core-plugin-api';
import { PromotionInfo } from '@berth/plugin-images-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { imagesApiRef, ImagesEntityRef } from '../api';
import { useEntityRefKey } from './useEntityRefKey';

/**
 * The entity's promotions and rollbacks, newest first, including those waiting for approval. `retry` reloads;
 * while it does, `value` still holds the previous list.
 *
 * @public
 */
export function usePromotions(entityRef: ImagesEntityRef) {
  const api = useApi(imagesApiRef);
  const key = useEntityRefKey(entityRef);
  return useAsyncRetry<PromotionInfo[]>(
    () => api.getPromotions(entityRef),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key],
  );
}
