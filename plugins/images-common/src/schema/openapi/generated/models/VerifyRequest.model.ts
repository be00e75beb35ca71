// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * `POST /verify`: whether a tag exists in an image repository.
 *
 * @public
 */
export type VerifyRequest = {
  /** An image repository such as ghcr.io/owner/app. */
  image: string;
  tag: string;
  /**
   * The entity the image is verified for, such as component:default/dotca. Without it, the caller needs
   * images.image.verify (meant for onboarding an image that no entity names yet).
   */
  entityRef?: string;
};
