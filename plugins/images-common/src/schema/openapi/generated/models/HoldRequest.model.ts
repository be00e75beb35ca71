// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * `POST /entities/{kind}/{namespace}/{name}/holds`.
 *
 * @public
 */
export type HoldRequest = {
  environment: string;
  /** One of the entity's images; the first when omitted. */
  image?: string;
  reason: string;
};
