// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * `POST /entities/{kind}/{namespace}/{name}/promotions/{id}/approve` and `/reject`.
 *
 * @public
 */
export type PromotionDecisionRequest = {
  comment?: string;
};
