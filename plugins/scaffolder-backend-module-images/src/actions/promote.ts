import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './promote.examples';
import { PromotionActionOptions, runPromotionStep } from './promotionStep';
import {
  promotionStepInputs,
  promotionStepOutputs,
} from './promotionStepSchema';

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
        reason: promotionStepInputs.reason,
        image: promotionStepInputs.image,
        expectedCurrentDigest: promotionStepInputs.expectedCurrentDigest,
        force: promotionStepInputs.force,
        waitForApproval: promotionStepInputs.waitForApproval,
      },
      output: {
        digest: promotionStepOutputs.digest,
        previousDigest: z =>
          z.string().optional().describe('What the environment ran before'),
        rollbackTag: z =>
          z
            .string()
            .optional()
            .describe('Tag kept on the previous digest, to roll back to'),
        tags: promotionStepOutputs.tags,
        promotionId: z =>
          z
            .string()
            .optional()
            .describe('The promotion in the history (not in a dry run)'),
        status: promotionStepOutputs.status,
        gates: promotionStepOutputs.gates,
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
