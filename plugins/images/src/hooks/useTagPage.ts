import { useApi } from '@backstage/core-plugin-api';
import { TagPage } from '@berth/plugin-images-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { imagesApiRef, ImagesEntityRef, TagPageRequest } from '../api';
import { useEntityRefKey } from './useEntityRefKey';

/**
 * One page of an image's tags. While a new page loads, `value` still holds the previous one.
 *
 * @public
 */
export function useTagPage(
  entityRef: ImagesEntityRef,
  request: TagPageRequest,
) {
  const api = useApi(imagesApiRef);
  const key = useEntityRefKey(entityRef);
  const { image, page, pageSize, sort, search, artifacts } = request;
  return useAsyncRetry<TagPage>(
    () =>
      api.getTags(entityRef, {
        image,
        page,
        pageSize,
        sort,
        search,
        artifacts,
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key, image, page, pageSize, sort, search, artifacts],
  );
}
