// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { PromotionInfo } from './PromotionInfo.model';

/**
 * Promotions and rollbacks, newest first.
 *
 * @public
 */
export type GetPromotions200Response = {
  items: PromotionInfo[];
};
