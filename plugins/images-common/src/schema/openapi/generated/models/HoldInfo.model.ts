// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * Who holds an environment, since when and why.
 *
 * @public
 */
export type HoldInfo = {
  heldBy: string;
  reason: string;
  heldAt: string;
};
