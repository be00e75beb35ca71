// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * Where a promotion stands: `pending-approval` waits for a second person (a protected environment), `rejected`
 * was refused by them, `failed` says why in `error`.
 *
 * @public
 */
export type PromotionStatus =
  | 'pending-approval'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'rejected';
