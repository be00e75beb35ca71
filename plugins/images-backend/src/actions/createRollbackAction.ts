import { PromotionService } from '../promotion/PromotionService';
import { answerAsTheApi, defineAction, entityRefOf } from './actionSupport';
import {
  promotionInputs,
  promotionOutput,
  promotionOutputSchema,
} from './promotionOutput';

/**
 * `images:rollback`: the rollback `POST /entities/{kind}/{namespace}/{name}/rollbacks` makes, through the same
 * promotion service with the caller's credentials: it takes the promotion's path (gates, approvals, history).
 */
export function createRollbackAction(options: {
  promotions: PromotionService;
}) {
  const { promotions } = options;
  return defineAction({
    name: 'rollback',
    title: 'Roll an environment back',
    description:
      "Rolls one environment of a catalog entity's container image back: to the digest it ran before its last move through Berth (default), or to `target`, a rollback tag or digest. It keeps a rollback tag on what the environment ran, so the rollback can be undone, and records it in the history. Gates and approvals apply as for a promotion: putting back a digest a protected environment ran before needs no second person, anything else waits (status pending-approval). Try `dryRun: true` first to see what it would run. Needs images.image.promote on the entity.",
    attributes: { destructive: true, readOnly: false, idempotent: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'The entity whose image moves back, such as component:default/dotca',
            ),
          environment: z
            .string()
            .describe('Environment to roll back, such as production'),
          target: z
            .string()
            .optional()
            .describe(
              'A rollback tag or digest to return to (default: what the environment ran before its last move)',
            ),
          ...promotionInputs(z),
        }),
      output: z => promotionOutputSchema(z),
    },
    action: async ({ input, credentials, logger }) =>
      answerAsTheApi(logger, 'rollback', async () => {
        const { entityRef: named, ...request } = input;
        const entityRef = entityRefOf(named);
        const response = await promotions.rollback(
          entityRef,
          credentials,
          request,
        );
        return { output: promotionOutput(response, entityRef) };
      }),
  });
}
