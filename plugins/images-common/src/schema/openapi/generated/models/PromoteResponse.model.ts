// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { PromotionInfo } from './PromotionInfo.model';
import type { PromotionPlanInfo } from './PromotionPlanInfo.model';

/**
 * The answer to a promotion or rollback request: the plan of a dry run, or the promotion. A promotion to a
 * protected environment comes back with status `pending-approval`.
 *
 * @public
 */
export type PromoteResponse =
  | {
      dryRun: true;
      plan: PromotionPlanInfo;
    }
  | {
      dryRun: false;
      promotion: PromotionInfo;
    };
