// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * A preview environment of an image (a tag such as `pr-412`).
 *
 * @public
 */
export type PreviewEnvironment = {
  tag: string;
  digest: string;
  /** When the tag was pushed, where the registry's listing says. */
  pushedAt?: string;
  /** When the image was built (its config's `created`). */
  created?: string;
};
