// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * A layer of an image.
 *
 * @public
 */
export type LayerInfo = {
  digest: string;
  mediaType: string;
  size: number;
};
