import type { ListedTag, TagListingProvider } from '@berth/plugin-images-node';
import { parseNextLink } from '../../registry/httpHeaders';
import { arrayField, encodeSegments, isoDate, listPages, text } from './pages';

/** Tags a page: what the Azure CLI asks for (`DEFAULT_PAGINATION = 100`); ACR documents no larger `n`. */
const PAGE_SIZE = 100;

/**
 * Azure Container Registry: `GET /acr/v1/{repository}/_tags?n=100&orderby=timedesc` on the registry's own origin,
 * newest first by last update, each tag with its digest and times, following the `Link` header's `rel="next"`. It
 * authenticates through the registry's token flow with the `metadata_read` scope ACR's tag API asks for.
 */
export const acrTagListing: TagListingProvider = {
  id: 'acr',
  newestFirst: true,
  supports: ({ flavor }) => flavor === 'acr',
  async listTags(api, request) {
    const { repository } = request;
    const what = `the tags of ${repository}`;
    return listPages<string>(api, request, {
      first: `/acr/v1/${encodeSegments(
        repository,
      )}/_tags?n=${PAGE_SIZE}&orderby=timedesc`,
      async fetch(path) {
        const { body, headers } = await api.json({
          path,
          what,
          repository,
          auth: 'registry',
          scopes: [`repository:${repository}:metadata_read`],
        });
        const tags = arrayField(api, body, 'tags', what).flatMap(
          (entry): ListedTag[] => {
            if (typeof entry !== 'object' || entry === null) return [];
            const tag = entry as Record<string, unknown>;
            const name = text(tag.name);
            if (!name) return [];
            return [
              {
                tag: name,
                digest: text(tag.digest),
                pushedAt:
                  isoDate(tag.lastUpdateTime) ?? isoDate(tag.createdTime),
              },
            ];
          },
        );
        const next = parseNextLink(headers.get('link'));
        // A relative link (ACR sends `</acr/v1/...>`) is on the API's origin; the VendorApi refuses any other.
        return {
          tags,
          next:
            next === undefined
              ? undefined
              : new URL(next, new URL(path, api.apiUrl)).href,
        };
      },
    });
  },
};
