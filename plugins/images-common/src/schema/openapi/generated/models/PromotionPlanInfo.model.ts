// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { GateResultInfo } from './GateResultInfo.model';

/**
 * What a promotion will do: the answer of a dry run.
 *
 * @public
 */
export type PromotionPlanInfo = {
  image: string;
  environment: string;
  sourceDigest: string;
  currentDigest?: string;
  rollbackTag?: string;
  tags: string[];
  noChange: boolean;
  gates: GateResultInfo[];
  /** The environment is protected: the promotion will wait for a second person's approval. */
  needsApproval: boolean;
  /**
   * Who must approve, when not anyone with the approve permission: the owners of the entity that claimed a
   * contested repository first.
   */
  approvers?: string[];
  /** Approvals from distinct people (none of them the requester) the promotion will wait for. */
  approvalsNeeded?: number;
  /** The group whose members alone may approve. */
  approvalGroup?: string;
};
