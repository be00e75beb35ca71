import type { ListedTag, TagListingProvider } from '@berth/plugin-images-node';
import { arrayField, count, encodeSegments, listPages, text } from './pages';

/** Quay answers at most 100 tags per page. */
const PAGE_SIZE = 100;

/**
 * Quay (quay.io and Red Hat Quay): `GET /api/v1/repository/{namespace}/{name}/tag/?onlyActiveTags=true`, newest
 * first, 100 tags a page with their manifest digest, size and push time. The tag API takes an OAuth application
 * token (`api.token`, or `$oauthtoken` credentials); robot accounts cannot read it, so without a token Berth asks
 * anonymously (public repositories) and a private one falls back to the Distribution API.
 */
export const quayTagListing: TagListingProvider = {
  id: 'quay',
  newestFirst: true,
  supports: ({ flavor }) => flavor === 'quay',
  async listTags(api, request) {
    const { repository } = request;
    const what = `the tags of ${repository}`;
    const bearer = api.hasApiToken || (await api.username()) === '$oauthtoken';
    return listPages(api, request, {
      first: 1,
      async fetch(page) {
        const { body } = await api.json({
          path: `/api/v1/repository/${encodeSegments(
            repository,
          )}/tag/?onlyActiveTags=true&limit=${PAGE_SIZE}&page=${page}`,
          what,
          repository,
          auth: bearer ? 'bearer' : 'none',
        });
        const tags = arrayField(api, body, 'tags', what).flatMap(
          (entry): ListedTag[] => {
            const tag = entry as Record<string, unknown>;
            const name = text(tag.name);
            if (!name) return [];
            const start = count(tag.start_ts);
            return [
              {
                tag: name,
                digest: text(tag.manifest_digest),
                pushedAt:
                  start === undefined
                    ? undefined
                    : new Date(start * 1000).toISOString(),
                image: { size: count(tag.size) },
              },
            ];
          },
        );
        const more =
          (body as { has_additional?: unknown }).has_additional === true;
        return { tags, next: more ? page + 1 : undefined };
      },
    });
  },
};
