// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { ApprovalInfo } from './ApprovalInfo.model';
import type { GateResultInfo } from './GateResultInfo.model';
import type { PromotionStatus } from './PromotionStatus.model';

/**
 * One promotion or rollback, as the history shows it.
 *
 * @public
 */
export type PromotionInfo = {
  id: string;
  image: string;
  environment: string;
  kind: 'promotion' | 'rollback';
  status: PromotionStatus;
  requestedBy: string;
  reason: string;
  /** The tag or digest asked for. */
  source: string;
  sourceDigest?: string;
  /** What the environment ran before. */
  previousDigest?: string;
  rollbackTag?: string;
  /** Tags written on the source digest (for a pending promotion: the tags it will write). */
  tags: string[];
  /** The gates' verdicts when the promotion was requested. */
  gates: GateResultInfo[];
  /** Went ahead past failed gates, by a user with the force permission. */
  forced: boolean;
  /** Who approved or rejected it (protected environments). */
  decidedBy?: string;
  decisionComment?: string;
  decidedAt?: string;
  error?: string;
  /** A retry: the earlier attempt whose work this one finished (its rollback tag is kept, not written again). */
  resumedFrom?: string;
  /** The later attempt (a retry) that finished this one's work. */
  supersededBy?: string;
  /** Who must approve a pending promotion, when not anyone with the approve permission. */
  approvers?: string[];
  /** Approvals from distinct people (none of them the requester) the promotion waits for. */
  approvalsNeeded?: number;
  /** The group whose members alone may approve. */
  approvalGroup?: string;
  /** The approvals given so far, for a promotion that needs several. */
  approvals?: ApprovalInfo[];
  createdAt: string;
  finishedAt?: string;
};
