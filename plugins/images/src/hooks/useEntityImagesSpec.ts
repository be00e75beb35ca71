import { Entity } from '@backstage/catalog-model';
import {
  EntityImagesSpec,
  readEntityImagesSpec,
} from '@berth/plugin-images-common';
import { useMemo } from 'react';

/** What the entity's Berth annotations say: its images, none (not onboarded), or why they are malformed. */
export type EntityImagesSpecState =
  | { state: 'missing' }
  | { state: 'malformed'; error: Error }
  | { state: 'ok'; spec: EntityImagesSpec };

export function useEntityImagesSpec(entity: Entity): EntityImagesSpecState {
  return useMemo(() => {
    try {
      const spec = readEntityImagesSpec(entity);
      return spec ? { state: 'ok', spec } : { state: 'missing' };
    } catch (error) {
      return { state: 'malformed', error: error as Error };
    }
  }, [entity]);
}
