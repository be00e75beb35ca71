// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * An error the API reports for one image (the others still answer).
 *
 * @public
 */
export type ImagesErrorInfo = {
  /** `RegistryError` kind, `InputError`, or `claim-refused` (the entity may not claim the repository). */
  kind: string;
  message: string;
};
