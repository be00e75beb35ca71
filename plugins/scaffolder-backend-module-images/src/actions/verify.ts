import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { callImagesBackend } from './imagesBackend';
import { examples } from './verify.examples';

/**
 * `images:verify`: says whether an image tag exists in its registry (GREEN, with its digest) or not (RED).
 * It asks the images backend, on behalf of the user who runs the task; it never talks to a registry itself. With
 * `entityRef`, the user needs read access to that entity, which must name the image; without, the
 * `images.image.verify` permission (for onboarding an image no entity names yet).
 *
 * @public
 */
export function createVerifyImageAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  return createTemplateAction({
    id: 'images:verify',
    description:
      'Checks that an image tag exists in its registry, and outputs GREEN with its digest, or RED',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        image: z =>
          z
            .string()
            .describe(
              'Image repository as CI writes it, such as ghcr.io/owner/app (no tag)',
            ),
        tag: z =>
          z.string().describe('Tag to look for, such as staging or v1.2.3'),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe(
              'The entity whose image this is, such as component:default/dotca: the user needs read access to it. Without it (an image no entity names yet), the user needs the images.image.verify permission',
            ),
        failIfMissing: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Fail the step when the tag is missing (default: output RED and go on)',
            ),
      },
      output: {
        status: z =>
          z
            .enum(['GREEN', 'RED'])
            .describe('GREEN when the tag exists, RED when it does not'),
        digest: z =>
          z
            .string()
            .optional()
            .describe('Digest the tag points at, when it exists'),
        reference: z =>
          z
            .string()
            .describe('The fully qualified image reference that was checked'),
      },
    },
    async handler(ctx) {
      const { image, tag, entityRef, failIfMissing } = ctx.input;
      // Verification only reads, so it runs in a dry run as well.
      const result = await callImagesBackend(
        options,
        await ctx.getInitiatorCredentials(),
        (api, requestOptions) =>
          api.verify(
            {
              body: {
                image,
                tag,
                ...(entityRef ? { entityRef: entityRef.trim() } : {}),
              },
            },
            requestOptions,
          ),
      );
      if (result.status === 'GREEN') {
        ctx.logger.info(
          `GREEN: ${result.reference} exists, digest ${result.digest}`,
        );
      } else {
        ctx.logger.warn(
          `RED: ${result.reference} does not exist in the registry`,
        );
        if (failIfMissing) {
          throw new NotFoundError(
            `${result.reference} does not exist in the registry`,
          );
        }
      }
      ctx.output('status', result.status);
      ctx.output('reference', result.reference);
      if (result.digest) ctx.output('digest', result.digest);
    },
  });
}
