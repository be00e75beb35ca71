import type { PromotionStatus } from '@berth/plugin-images-common';
import { z } from 'zod/v3';

/** The longest a step may wait for an approval: a day, after which the request is better handled on the tab. */
export const MAX_WAIT_FOR_APPROVAL_MINUTES = 1440;

type Zod = typeof z;

// Every PromotionStatus, for the status output: a status the API adds fails to compile until it is listed here.
const STATUSES: Record<PromotionStatus, true> = {
  'pending-approval': true,
  running: true,
  succeeded: true,
  failed: true,
  rejected: true,
};
const PROMOTION_STATUSES = Object.keys(STATUSES) as [
  PromotionStatus,
  ...PromotionStatus[],
];

/** Inputs `images:promote` and `images:rollback` share. */
export const promotionStepInputs = {
  reason: (zod: Zod) =>
    zod
      .string()
      .min(1)
      .describe('Why: kept in the history and in the rollback tag'),
  image: (zod: Zod) =>
    zod
      .string()
      .optional()
      .describe(
        "One of the entity's images, when it has several (default: the first)",
      ),
  expectedCurrentDigest: (zod: Zod) =>
    zod
      .string()
      .optional()
      .describe(
        'The digest the environment ran when the user chose: if it moved since, the step fails instead of overwriting',
      ),
  force: (zod: Zod) =>
    zod
      .boolean()
      .optional()
      .describe(
        'Go past failed gates; needs the images.image.force permission. Say why in reason',
      ),
  waitForApproval: (zod: Zod) =>
    zod
      .number()
      .min(0)
      .max(MAX_WAIT_FOR_APPROVAL_MINUTES)
      .optional()
      .describe(
        'Minutes to wait for a second person to approve when the environment is protected (default 0: the step ends with status pending-approval)',
      ),
};

/** Outputs `images:promote` and `images:rollback` share. */
export const promotionStepOutputs = {
  digest: (zod: Zod) =>
    zod
      .string()
      .optional()
      .describe(
        'The digest the environment runs now (in a dry run: would run; not set while approval is pending)',
      ),
  tags: (zod: Zod) =>
    zod
      .array(zod.string())
      .describe('Tags written on the digest (pending approval: to be written)'),
  status: (zod: Zod) =>
    zod
      .enum(PROMOTION_STATUSES)
      .optional()
      .describe(
        'succeeded, or pending-approval when the environment is protected and the step did not wait (not in a dry run)',
      ),
  gates: (zod: Zod) =>
    zod
      .array(
        zod.object({
          id: zod.string(),
          passed: zod.boolean(),
          message: zod.string(),
        }),
      )
      .describe("The validation gates' verdicts on the image"),
};
