import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  EnvironmentDefinition,
  ImageReference,
  ImageReferenceError,
  readEntityImagesSpec,
  resolveEnvironments,
} from '@berth/plugin-images-common';

/**
 * An entity's images and environments, from its annotations and the configured environments: an InputError (a 400)
 * that says what is wrong when they are malformed or missing.
 */
export function readEntitySpec(
  entity: Entity,
  configured: EnvironmentDefinition[],
): { images: ImageReference[]; environments: EnvironmentDefinition[] } {
  let spec;
  try {
    spec = readEntityImagesSpec(entity);
  } catch (error) {
    if (error instanceof ImageReferenceError)
      throw new InputError(error.message);
    throw error;
  }
  if (!spec) {
    throw new InputError(
      `${stringifyEntityRef(
        entity,
      )} has no berth.dev/images annotation: add one, such as berth.dev/images: ghcr.io/owner/app`,
    );
  }
  return {
    images: spec.images,
    environments: resolveEnvironments(configured, spec.environmentOverrides),
  };
}
