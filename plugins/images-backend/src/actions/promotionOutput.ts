import {
  PromoteResponse,
  PromotionInfo,
  PromotionPlanInfo,
} from '@berth/plugin-images-common';
import { Zod } from './actionSupport';

/** Inputs `images:promote` and `images:rollback` share, as the scaffolder actions take them. */
export function promotionInputs(z: Zod) {
  return {
    reason: z
      .string()
      .min(1)
      .describe('Why: kept in the history and in the rollback tag'),
    image: z
      .string()
      .optional()
      .describe(
        "One of the entity's images, when it has several (default: the first)",
      ),
    expectedCurrentDigest: z
      .string()
      .optional()
      .describe(
        'The digest the environment ran when the user chose (from images:get-environments): if it moved since, the call fails instead of overwriting',
      ),
    force: z
      .boolean()
      .optional()
      .describe(
        'Go past failed gates; needs the images.image.force permission. Say why in reason',
      ),
    dryRun: z
      .boolean()
      .optional()
      .describe(
        'Only work out the plan (digests, tags, gates, whether approval is needed) and write nothing',
      ),
  };
}

/** What `images:promote` and `images:rollback` answer: the scaffolder actions' outputs, and a sentence. */
export function promotionOutputSchema(z: Zod) {
  return z.object({
    dryRun: z.boolean().describe('True when only the plan was worked out'),
    status: z
      .enum(['pending-approval', 'running', 'succeeded', 'failed', 'rejected'])
      .optional()
      .describe(
        'succeeded, or pending-approval when the environment is protected: nothing moved yet, a second person approves on the Images tab (not in a dry run)',
      ),
    promotionId: z
      .string()
      .optional()
      .describe('The promotion or rollback in the history (not in a dry run)'),
    digest: z
      .string()
      .optional()
      .describe(
        'The digest the environment runs now (in a dry run: would run; not set while approval is pending)',
      ),
    previousDigest: z
      .string()
      .optional()
      .describe('What the environment ran before'),
    rollbackTag: z
      .string()
      .optional()
      .describe('Tag kept on the previous digest, to roll back to'),
    tags: z
      .array(z.string())
      .describe('Tags written on the digest (pending approval: to be written)'),
    gates: z
      .array(
        z.object({ id: z.string(), passed: z.boolean(), message: z.string() }),
      )
      .describe("The validation gates' verdicts on the image"),
    needsApproval: z
      .boolean()
      .optional()
      .describe('Dry run: the move would wait for a second person to approve'),
    approvers: z
      .array(z.string())
      .optional()
      .describe(
        'Who must approve, when not anyone with the approve permission',
      ),
    message: z.string().describe('What happened, in one or two sentences'),
  });
}

function gatesOf(gates: PromotionInfo['gates'] | undefined) {
  return (gates ?? []).map(({ id, passed, message }) => ({
    id,
    passed,
    message,
  }));
}

function planMessage(plan: PromotionPlanInfo): string {
  const move = plan.noChange
    ? `Dry run: ${plan.image} ${plan.environment} already runs ${plan.sourceDigest}; nothing would change`
    : `Dry run: ${plan.image} ${plan.environment} would move from ${
        plan.currentDigest ?? 'nothing'
      } to ${plan.sourceDigest}, writing ${plan.tags.join(', ')}${
        plan.rollbackTag
          ? ` and keeping ${plan.rollbackTag} on ${plan.currentDigest}`
          : ''
      }`;
  const failed = plan.gates.filter(gate => !gate.passed).map(gate => gate.id);
  return [
    move,
    ...(failed.length > 0
      ? [
          `it would fail the gates ${failed.join(
            ', ',
          )} unless forced (images.image.force, with a reason)`,
        ]
      : []),
    ...(plan.needsApproval
      ? ['it would wait for approval by a second person']
      : []),
  ].join('; ');
}

function promotionMessage(promotion: PromotionInfo, entityRef: string) {
  const named = `${promotion.kind} ${promotion.id}`;
  if (promotion.status === 'pending-approval') {
    return `${
      promotion.environment
    } is protected: ${named} is waiting for approval by ${
      promotion.approvers?.length
        ? `an owner of ${promotion.approvers.join(' or ')}`
        : 'a second person'
    }, on the Images tab of ${entityRef}; nothing moved yet`;
  }
  if (promotion.status === 'succeeded') {
    return `${promotion.image} ${promotion.environment} now runs ${
      promotion.sourceDigest
    } (${named}); wrote ${promotion.tags.join(', ')}${
      promotion.rollbackTag
        ? `. Kept ${promotion.rollbackTag} on ${promotion.previousDigest}, the digest ${promotion.environment} ran before`
        : ''
    }`;
  }
  return `${named} ${promotion.status}${
    promotion.error ? `: ${promotion.error}` : ''
  }`;
}

/** The service's answer as the action's output. */
export function promotionOutput(response: PromoteResponse, entityRef: string) {
  if (response.dryRun) {
    const { plan } = response;
    return {
      dryRun: true,
      digest: plan.sourceDigest,
      previousDigest: plan.currentDigest,
      rollbackTag: plan.rollbackTag,
      tags: plan.tags,
      gates: gatesOf(plan.gates),
      needsApproval: plan.needsApproval,
      approvers: plan.approvers,
      message: planMessage(plan),
    };
  }
  const { promotion } = response;
  const succeeded = promotion.status === 'succeeded';
  return {
    dryRun: false,
    status: promotion.status,
    promotionId: promotion.id,
    digest: succeeded ? promotion.sourceDigest : undefined,
    previousDigest: promotion.previousDigest,
    rollbackTag: succeeded ? promotion.rollbackTag : undefined,
    tags: promotion.tags,
    gates: gatesOf(promotion.gates),
    approvers: promotion.approvers,
    message: promotionMessage(promotion, entityRef),
  };
}
