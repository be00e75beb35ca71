import { Entity } from '@backstage/catalog-model';
import { hasImagesAnnotation } from '@berth/plugin-images-common';

/**
 * True when the entity is onboarded to Berth (it has the `berth.dev/images` annotation); use it in
 * `EntitySwitch.Case` to show the Images tab only where it has something to show.
 *
 * @public
 */
export const isImagesAvailable = (entity: Entity): boolean =>
  hasImagesAnnotation(entity);
