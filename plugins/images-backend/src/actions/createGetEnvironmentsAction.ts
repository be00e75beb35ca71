import { EnvironmentLanesService } from '../tab/EnvironmentLanesService';
import { answerAsTheApi, defineAction, entityRefOf } from './actionSupport';

/**
 * `images:get-environments`: what the Images tab's overview shows of an entity, trimmed to what an agent decides
 * with: for each image, each environment's tag, the digest it points at, and its status. Read through the same
 * service as `GET /entities/{kind}/{namespace}/{name}/overview`, with the caller's credentials.
 */
export function createGetEnvironmentsAction(options: {
  lanes: EnvironmentLanesService;
}) {
  const { lanes } = options;
  return defineAction({
    name: 'get-environments',
    title: "Get the environments of an entity's images",
    description:
      'Lists, for a catalog entity, each of its container images and each environment of that image (such as staging, production): the tag the environment reads, the digest that tag points at in the registry, and a status (GREEN: the tag exists; RED: it does not; GREY: the registry could not be read). Use it to see what runs where before promoting or rolling back, and pass a digest as expectedCurrentDigest so the move fails if the environment changed meanwhile. Protected environments need a second person to approve a promotion. Needs read access to the entity (images.image.read).',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'The catalog entity, as kind:namespace/name, such as component:default/dotca',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string().describe('The entity, as the catalog names it'),
          images: z.array(
            z.object({
              image: z
                .string()
                .describe('The image repository, such as ghcr.io/owner/app'),
              error: z
                .object({ kind: z.string(), message: z.string() })
                .optional()
                .describe('Why this image could not be read, if it could not'),
              environments: z.array(
                z.object({
                  name: z.string(),
                  tag: z.string().describe('The tag the environment reads'),
                  protected: z
                    .boolean()
                    .describe('Promotions wait for a second person to approve'),
                  status: z.enum(['GREEN', 'RED', 'GREY']),
                  digest: z
                    .string()
                    .optional()
                    .describe('The digest the tag points at, when it exists'),
                  created: z
                    .string()
                    .optional()
                    .describe('When that image was built (ISO time)'),
                  tags: z
                    .array(z.string())
                    .optional()
                    .describe('Other tags on that digest, releases first'),
                  drift: z
                    .enum(['same', 'behind', 'ahead', 'different'])
                    .optional()
                    .describe(
                      'Compared with the previous environment in the pipeline',
                    ),
                  message: z
                    .string()
                    .optional()
                    .describe('Why the status is RED or GREY'),
                  repository: z
                    .string()
                    .optional()
                    .describe(
                      "The repository the tag lives in, when not the image's own",
                    ),
                }),
              ),
            }),
          ),
        }),
    },
    action: async ({ input, credentials, logger }) =>
      answerAsTheApi(logger, 'get-environments', async () => {
        const overview = await lanes.overview(
          entityRefOf(input.entityRef),
          credentials,
        );
        return {
          output: {
            entityRef: overview.entityRef,
            images: overview.images.map(image => ({
              image: image.image,
              error: image.error && {
                kind: image.error.kind,
                message: image.error.message,
              },
              environments: image.environments.map(lane => ({
                name: lane.name,
                tag: lane.tag,
                protected: lane.protected,
                status: lane.status,
                digest: lane.digest,
                created: lane.image?.created,
                tags: lane.image?.tags,
                drift: lane.drift,
                message: lane.message,
                repository: lane.repository,
              })),
            })),
          },
        };
      }),
  });
}
