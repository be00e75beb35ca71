import { useApi } from '@backstage/core-plugin-api';
import { ImageDetails } from '@berth/plugin-images-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { imagesApiRef, ImagesEntityRef } from '../api';
import { useEntityRefKey } from './useEntityRefKey';

/**
 * Details of one image (a digest); nothing is loaded while `digest` is undefined.
 *
 * @public
 */
export function useImageDetails(
  entityRef: ImagesEntityRef,
  request: { image: string; digest?: string },
) {
  const api = useApi(imagesApiRef);
  const key = useEntityRefKey(entityRef);
  const { image, digest } = request;
  return useAsyncRetry<ImageDetails | undefined>(
    async () =>
      digest ? api.getDetails(entityRef, { image, digest }) : undefined,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key, image, digest],
  );
}
