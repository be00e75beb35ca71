// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * One registry event; Berth reads the action and the target's repository, tag and digest.
 *
 * @public
 */
export type RegistryEvent = {
  action?: string;
  target?: {
    mediaType?: string;
    repository?: string;
    tag?: string;
    digest?: string;
  };
};
