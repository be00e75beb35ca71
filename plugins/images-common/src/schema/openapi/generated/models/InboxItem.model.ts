// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { PromotionInfo } from './PromotionInfo.model';

/**
 * A promotion waiting for the caller's approval, and its entity.
 *
 * @public
 */
export type InboxItem = {
  entityRef: string;
  promotion: PromotionInfo;
};
