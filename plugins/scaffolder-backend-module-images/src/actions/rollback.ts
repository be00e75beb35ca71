import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './rollback.examples';
import { PromotionActionOptions, runPromotionStep } from './promotionStep';
import {
  promotionStepInputs,
  promotionStepOutputs,
} from './promotionStepSchema';

/**
 * `images:rollback`: moves an environment of an entity's image back to what it ran before its last move (or to a
 * rollback tag or digest), through the images backend on behalf of the user who runs the task. It takes the same
 * path as a promotion: a rollback tag for what the environment ran, gates, approvals, history; a dry run writes
 * nothing and the rollback is a checkpoint.
 *
 * @public
 */
export function createRollbackImageAction(options: PromotionActionOptions) {
  return createTemplateAction({
    id: 'images:rollback',
    description:
      'Rolls an environment back to the image it ran before its last move, or to a rollback tag or digest, keeping a rollback tag for what it ran and recording it in the history',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .describe(
              'The entity whose image moves back, such as component:default/dotca',
            ),
        environment: z =>
          z.string().describe('Environment to roll back, such as production'),
        target: z =>
          z
            .string()
            .optional()
            .describe(
              'A rollback tag or digest to return to (default: what the environment ran before its last move)',
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
          z
            .string()
            .optional()
            .describe('What the environment ran before the rollback'),
        rollbackTag: z =>
          z
            .string()
            .optional()
            .describe(
              'Tag kept on the digest the environment ran before the rollback, to undo it',
            ),
        tags: promotionStepOutputs.tags,
        promotionId: z =>
          z
            .string()
            .optional()
            .describe('The rollback in the history (not in a dry run)'),
        status: promotionStepOutputs.status,
        gates: promotionStepOutputs.gates,
      },
    },
    async handler(ctx) {
      const {
        entityRef,
        environment,
        reason,
        image,
        target,
        expectedCurrentDigest,
        force,
        waitForApproval,
      } = ctx.input;
      await runPromotionStep(ctx, options, {
        entityRef,
        endpoint: 'rollbacks',
        body: {
          environment,
          target,
          reason,
          image,
          expectedCurrentDigest,
          force,
        },
        checkpointKey: `images-rollback:${entityRef}:${
          image ?? ''
        }:${environment}:${target ?? ''}`,
        waitForApproval,
      });
    },
  });
}
