// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * One person's approval of a promotion that needs several.
 *
 * @public
 */
export type ApprovalInfo = {
  by: string;
  at: string;
  comment?: string;
};
