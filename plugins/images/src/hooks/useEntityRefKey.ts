import { stringifyEntityRef } from '@backstage/catalog-model';
import { ImagesEntityRef } from '../api';

/** A stable string for an entity reference, for hook dependencies. */
export function useEntityRefKey(entityRef: ImagesEntityRef): string {
  return typeof entityRef === 'string'
    ? entityRef
    : stringifyEntityRef(entityRef);
}
