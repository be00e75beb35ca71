import { PromotionService } from '../promotion/PromotionService';
import { answerAsTheApi, defineAction, entityRefOf } from './actionSupport';
import {
  promotionInputs,
  promotionOutput,
  promotionOutputSchema,
} from './promotionOutput';

/**
 * `images:promote`: the promotion `POST /entities/{kind}/{namespace}/{name}/promotions` makes, through the same
 * promotion service with the caller's credentials: permissions, gates, approvals of protected environments and the
 * history apply as they do for the Images tab.
 */
export function createPromoteAction(options: { promotions: PromotionService }) {
  const { promotions } = options;
  return defineAction({
    name: 'promote',
    title: 'Promote an image to an environment',
    description:
      "Promotes a catalog entity's container image to one of its environments: moves the environment's tag(s) in the registry to the digest of `source` (a tag or digest), keeps a rollback tag on what the environment ran, and records it in the history. Validation gates run first; a failed gate refuses the promotion unless `force` is set by a user with images.image.force. A protected environment (such as production) is not moved: the answer is status pending-approval, and a second person approves on the Images tab. Try `dryRun: true` first to see the plan, and pass `expectedCurrentDigest` (from images:get-environments) so the promotion fails if the environment moved meanwhile. Needs images.image.promote on the entity.",
    attributes: { destructive: true, readOnly: false, idempotent: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'The entity whose image moves, such as component:default/dotca',
            ),
          environment: z
            .string()
            .describe('Environment to promote to, such as staging'),
          source: z
            .string()
            .describe(
              'Tag or digest of the image to promote, such as v1.2.3 or sha256:…',
            ),
          ...promotionInputs(z),
        }),
      output: z => promotionOutputSchema(z),
    },
    action: async ({ input, credentials, logger }) =>
      answerAsTheApi(logger, 'promote', async () => {
        const { entityRef: named, ...request } = input;
        const entityRef = entityRefOf(named);
        const response = await promotions.promote(
          entityRef,
          credentials,
          request,
        );
        return { output: promotionOutput(response, entityRef) };
      }),
  });
}
