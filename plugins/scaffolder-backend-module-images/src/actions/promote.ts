import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { PromoteResponse } from '@berth/plugin-images-common';
import { callImagesBackend } from './imagesBackend';
import { examples } from './promote.examples';

function promotionsPath(entityRef: string): string {
  const match = /^([^:]+):(?:([^/]+)\/)?(.+)$/.exec(entityRef.trim());
  if (!match) {
    throw new Error(
      `"${entityRef}" is not an entity reference: write it as kind:namespace/name, such as component:default/dotca`,
    );
  }
  const [, kind, namespace = 'default', name] = match;
  return `/entities/${[kind.toLowerCase(), namespace, name]
    .map(encodeURIComponent)
    .join('/')}/promotions`;
}

/**
 * `images:promote`: moves an environment of an entity's image to a tag or digest, through the images backend and on
 * behalf of the user who runs the task (so their permissions apply). A dry run reports the plan and writes nothing;
 * the promotion itself is a checkpoint, so a resumed task does not promote twice.
 *
 * @public
 */
export function createPromoteImageAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}) {
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
      },
      output: {
        digest: z => z.string().describe('The digest the environment runs now'),
        previousDigest: z =>
          z.string().optional().describe('What the environment ran before'),
        rollbackTag: z =>
          z
            .string()
            .optional()
            .describe('Tag kept on the previous digest, to roll back to'),
        tags: z => z.array(z.string()).describe('Tags written on the digest'),
        promotionId: z =>
          z
            .string()
            .optional()
            .describe('The promotion in the history (not in a dry run)'),
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
      } = ctx.input;
      const path = promotionsPath(entityRef);
      const body = {
        environment,
        source,
        reason,
        image,
        expectedCurrentDigest,
      };
      const credentials = await ctx.getInitiatorCredentials();

      if (ctx.isDryRun) {
        const answer = await callImagesBackend<PromoteResponse>(
          options,
          credentials,
          path,
          {
            ...body,
            dryRun: true,
          },
        );
        if (!answer.dryRun)
          throw new Error('The images backend promoted during a dry run');
        const plan = answer.plan;
        ctx.logger.info(
          `Dry run: ${plan.image} ${environment} would move from ${
            plan.currentDigest ?? 'nothing'
          } to ${plan.sourceDigest}, writing ${plan.tags.join(', ')}${
            plan.rollbackTag ? ` and keeping ${plan.rollbackTag}` : ''
          }`,
        );
        ctx.output('digest', plan.sourceDigest);
        if (plan.currentDigest)
          ctx.output('previousDigest', plan.currentDigest);
        if (plan.rollbackTag) ctx.output('rollbackTag', plan.rollbackTag);
        ctx.output('tags', plan.tags);
        return;
      }

      // A task resumed after a restart gets the stored result instead of promoting again.
      const promotion = await ctx.checkpoint({
        key: `images-promote:${entityRef}:${
          image ?? ''
        }:${environment}:${source}`,
        fn: async () => {
          const answer = await callImagesBackend<PromoteResponse>(
            options,
            credentials,
            path,
            body,
          );
          if (answer.dryRun) throw new Error('The images backend only planned');
          const p = answer.promotion;
          return {
            id: p.id,
            image: p.image,
            sourceDigest: p.sourceDigest ?? '',
            previousDigest: p.previousDigest ?? '',
            rollbackTag: p.rollbackTag ?? '',
            tags: p.tags,
          };
        },
      });
      ctx.logger.info(
        `${promotion.image} ${environment} now runs ${
          promotion.sourceDigest
        } (tags ${promotion.tags.join(', ')})${
          promotion.rollbackTag
            ? `; ${promotion.rollbackTag} keeps ${promotion.previousDigest}`
            : ''
        }`,
      );
      ctx.output('digest', promotion.sourceDigest);
      if (promotion.previousDigest)
        ctx.output('previousDigest', promotion.previousDigest);
      if (promotion.rollbackTag)
        ctx.output('rollbackTag', promotion.rollbackTag);
      ctx.output('tags', promotion.tags);
      ctx.output('promotionId', promotion.id);
    },
  });
}
