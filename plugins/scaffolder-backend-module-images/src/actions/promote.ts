import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './promote.examples';
import {
  MAX_WAIT_FOR_APPROVAL_MINUTES,
  PromotionActionOptions,
  runPromotionStep,
} from './promotionStep';

/**
 * `images:promote`: moves an environment of an entity's image to a tag or digest, through the images backend and on
 * behalf of the user who runs the task (so their permissions apply). A dry run reports the plan and writes nothing;
 * the promotion itself is a checkpoint, so a resumed task does not promote twice. A protected environment's
 * promotion waits for a second person, and the step can wait for their decision.
 *
 * @public
 */
export function createPromoteImageAction(options: PromotionActionOptions) {
  return createTemplateAction({
    id: 'images:promote',
    description:
      "Promotes an image to an environment: keeps a rollback tag for what the environment ran, moves the environment's tags to the source digest, and records it in the history",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .describe(
              'The entity whose image moves, such as component:default/dotca',
            ),
        environment: z =>
          z.string().describe('Environment to promote to, such as staging'),
        source: z =>
          z
            .string()
            .describe(
              'Tag or digest of the image to promote, such as v1.2.3 or sha256:…',
            ),
        reason: z =>
          z
            .string()
            .min(1)
            .describe('Why: kept in the history and in the rollback tag'),
        image: z =>
          z
            .string()
            .optional()
            .describe(
              "One of the entity's images, when it has several (default: the first)",
            ),
        expectedCurrentDigest: z =>
          z
            .string()
            .optional()
            .describe(
              'The digest the environment ran when the user chose: if it moved since, the step fails instead of overwriting',
            ),
        force: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Go past failed gates; needs the images.image.force permission. Say why in reason',
            ),
        waitForApproval: z =>
          z
            .number()
            .min(0)
            .max(MAX_WAIT_FOR_APPROVAL_MINUTES)
            .optional()
            .describe(
              'Minutes to wait for a second person to approve when the environment is protected (default 0: the step ends with status pending-approval)',
            ),
      },
      output: {
        digest: z =>
          z
            .string()
            .optional()
            .describe(
              'The digest the environment runs now (in a dry run: would run; not set while approval is pending)',
            ),
        previousDigest: z =>
          z.string().optional().describe('What the environment ran before'),
        rollbackTag: z =>
          z
            .string()
            .optional()
            .describe('Tag kept on the previous digest, to roll back to'),
        tags: z =>
          z
            .array(z.string())
            .describe(
              'Tags written on the digest (pending approval: to be written)',
            ),
        promotionId: z =>
          z
            .string()
            .optional()
            .describe('The promotion in the history (not in a dry run)'),
        status: z =>
          z
            .enum([
              'pending-approval',
              'running',
              'succeeded',
              'failed',
              'rejected',
            ])
            .optional()
            .describe(
              'succeeded, or pending-approval when the environment is protected and the step did not wait (not in a dry run)',
            ),
        gates: z =>
          z
            .array(
              z.object({
                id: z.string(),
                passed: z.boolean(),
                message: z.string(),
              }),
            )
            .describe("The validation gates' verdicts on the image"),
      },
    },
    async handler(ctx) {
      const {
        entityRef,
        environment,
        source,
        reason,
        image,
        expectedCurrentDigest,
        force,
        waitForApproval,
      } = ctx.input;
      await runPromotionStep(ctx, options, {
        entityRef,
        endpoint: 'promotions',
        body: {
          environment,
          source,
          reason,
          image,
          expectedCurrentDigest,
          force,
        },
        checkpointKey: `images-promote:${entityRef}:${
          image ?? ''
        }:${environment}:${source}`,
        waitForApproval,
      });
    },
  });
}
