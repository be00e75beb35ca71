import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { PromotionInfo } from '@berth/plugin-images-common';
import { JsonObject } from '@backstage/types';
import { PromotionRecord } from './PromotionStore';

/** A recorded attempt as the API shows it. */
export function toInfo(record: PromotionRecord): PromotionInfo {
  return {
    id: record.id,
    image: record.image,
    environment: record.environment,
    kind: record.kind,
    status: record.status,
    requestedBy: record.requestedBy,
    reason: record.reason,
    source: record.source,
    sourceDigest: record.sourceDigest,
    previousDigest: record.previousDigest,
    rollbackTag: record.rollbackTag,
    tags: record.tags,
    gates: record.gates,
    forced: record.forced,
    decidedBy: record.decidedBy,
    decisionComment: record.decisionComment,
    decidedAt: record.decidedAt?.toISOString(),
    error: record.error,
    resumedFrom: record.resumedFrom,
    supersededBy: record.supersededBy,
    approvers: record.approvers,
    approvalsNeeded: record.approvalsNeeded,
    approvalGroup: record.approvalGroup,
    approvals: record.approvals,
    createdAt: record.createdAt.toISOString(),
    finishedAt: record.finishedAt?.toISOString(),
  };
}

/** Errors that stop an attempt before it writes anything, for a reason the requester can act on. */
export function isRefusal(error: unknown): boolean {
  return (
    error instanceof ConflictError ||
    error instanceof InputError ||
    error instanceof NotAllowedError
  );
}

/** What the audit trail says of a recorded promotion. */
export function auditMeta(record: PromotionRecord): JsonObject {
  return {
    id: record.id,
    entityRef: record.entityRef,
    image: record.image,
    environment: record.environment,
    sourceDigest: record.sourceDigest ?? null,
  };
}
