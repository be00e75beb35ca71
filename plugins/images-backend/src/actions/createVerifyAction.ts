import { NotFoundError } from '@backstage/errors';
import { VerifyService } from '../verify/VerifyService';
import { answerAsTheApi, defineAction, entityRefOf } from './actionSupport';

/**
 * `images:verify`: whether an image tag exists in its registry, as `POST /verify` and the scaffolder action of the
 * same name answer it: through the verify service, with the caller's credentials (read access to the entity named,
 * or `images.image.verify` for an image no entity names yet).
 */
export function createVerifyAction(options: { verifier: VerifyService }) {
  const { verifier } = options;
  return defineAction({
    name: 'verify',
    title: 'Verify an image tag',
    description:
      "Checks whether a tag of a container image exists in its registry: GREEN with the digest it points at, or RED. Give the entity whose image it is (entityRef): the caller needs read access to that entity (images.image.read), and the image must be one of the entity's. Without entityRef (an image no entity names yet, as when onboarding), the caller needs the images.image.verify permission. Reads only; nothing changes.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          image: z
            .string()
            .describe(
              'Image repository as CI writes it, such as ghcr.io/owner/app (no tag)',
            ),
          tag: z
            .string()
            .describe('Tag to look for, such as staging or v1.2.3'),
          entityRef: z
            .string()
            .optional()
            .describe(
              'The entity whose image this is, such as component:default/dotca: the caller needs read access to it. Without it, the caller needs the images.image.verify permission',
            ),
          failIfMissing: z
            .boolean()
            .optional()
            .describe(
              'Answer with an error when the tag is missing (default: answer RED)',
            ),
        }),
      output: z =>
        z.object({
          status: z
            .enum(['GREEN', 'RED'])
            .describe('GREEN when the tag exists, RED when it does not'),
          digest: z
            .string()
            .optional()
            .describe('Digest the tag points at, when it exists'),
          reference: z
            .string()
            .describe('The fully qualified image reference that was checked'),
        }),
    },
    action: async ({ input, credentials, logger }) =>
      answerAsTheApi(logger, 'verify', async () => {
        const { image, tag, entityRef, failIfMissing } = input;
        const result = await verifier.verify(
          {
            image,
            tag,
            ...(entityRef !== undefined && {
              entityRef: entityRefOf(entityRef),
            }),
          },
          credentials,
        );
        if (result.status === 'RED' && failIfMissing) {
          throw new NotFoundError(
            `${result.reference} does not exist in the registry`,
          );
        }
        return {
          output: {
            status: result.status,
            reference: result.reference,
            ...(result.status === 'GREEN' && { digest: result.digest }),
          },
        };
      }),
  });
}
