import { createPermission } from '@backstage/plugin-permission-common';

// Same value as RESOURCE_TYPE_CATALOG_ENTITY in @backstage/plugin-catalog-common: images permissions are decided
// per catalog entity, so catalog rules such as "is entity owner" apply to them.
const CATALOG_ENTITY = 'catalog-entity';

/**
 * Read an entity's images, tags and environment status.
 *
 * @public
 */
export const imagesReadPermission = createPermission({
  name: 'images.image.read',
  attributes: { action: 'read' },
  resourceType: CATALOG_ENTITY,
});

/**
 * Promote or roll back an entity's image in an environment.
 *
 * @public
 */
export const imagesPromotePermission = createPermission({
  name: 'images.image.promote',
  attributes: { action: 'update' },
  resourceType: CATALOG_ENTITY,
});

/**
 * Promote past failed validation gates, with a reason.
 *
 * @public
 */
export const imagesForcePermission = createPermission({
  name: 'images.image.force',
  attributes: { action: 'update' },
  resourceType: CATALOG_ENTITY,
});

/**
 * Approve or reject another user's promotion to a protected environment.
 *
 * @public
 */
export const imagesApprovePermission = createPermission({
  name: 'images.promotion.approve',
  attributes: { action: 'update' },
  resourceType: CATALOG_ENTITY,
});

/**
 * Verify a tag of an image that no entity is named for (the onboarding template does this before the entity exists).
 * Not bound to an entity: verifying an entity's own image needs {@link imagesReadPermission} on that entity instead.
 *
 * @public
 */
export const imagesVerifyPermission = createPermission({
  name: 'images.image.verify',
  attributes: { action: 'read' },
});

/**
 * All permissions of the images plugin.
 *
 * @public
 */
export const imagesPermissions = [
  imagesReadPermission,
  imagesPromotePermission,
  imagesForcePermission,
  imagesApprovePermission,
  imagesVerifyPermission,
];
