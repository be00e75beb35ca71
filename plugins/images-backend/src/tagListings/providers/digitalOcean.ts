import type { ListedTag, TagListingProvider } from '@berth/plugin-images-node';
import { RegistryError } from '../../registry/errors';
import { arrayField, count, isoDate, listPages, text } from './pages';

/** The API's largest `per_page` (DigitalOcean's shared `per_page` parameter: at most 200; doctl asks for 200). */
const PAGE_SIZE = 200;

/**
 * DigitalOcean Container Registry: `GET /v2/registries/{registry}/repositories/{repository}/tags` on
 * `api.digitalocean.com`, 200 tags a page with their manifest digest, compressed size and last update, following
 * `links.pages.next`. The registry is the first segment of the repository (`acme/web` is repository `web` of
 * registry `acme`); a nested repository name is one URL-encoded segment (`a%2Fb`). The DigitalOcean API token (the
 * registry password, or `api.token`) goes as a Bearer token. The API documents no order for the tags, so a
 * re-index never stops early.
 */
export const digitalOceanTagListing: TagListingProvider = {
  id: 'digitalocean',
  newestFirst: false,
  supports: ({ flavor }) => flavor === 'digitalocean',
  apiUrl: () => 'https://api.digitalocean.com',
  async listTags(api, request) {
    const { repository } = request;
    const what = `the tags of ${repository}`;
    const slash = repository.indexOf('/');
    if (slash <= 0 || slash === repository.length - 1) {
      throw new RegistryError(
        'not-found',
        api.host,
        `${repository} names no DigitalOcean registry and repository (registry/repository)`,
      );
    }
    const registry = encodeURIComponent(repository.slice(0, slash));
    const name = encodeURIComponent(repository.slice(slash + 1));
    return listPages<string>(api, request, {
      first: `/v2/registries/${registry}/repositories/${name}/tags?per_page=${PAGE_SIZE}&page=1`,
      async fetch(path) {
        const { body } = await api.json({
          path,
          what,
          repository,
          auth: 'bearer',
        });
        const tags = arrayField(api, body, 'tags', what).flatMap(
          (entry): ListedTag[] => {
            if (typeof entry !== 'object' || entry === null) return [];
            const tag = entry as Record<string, unknown>;
            const tagName = text(tag.tag);
            if (!tagName) return [];
            return [
              {
                tag: tagName,
                digest: text(tag.manifest_digest),
                pushedAt: isoDate(tag.updated_at),
                image: { size: count(tag.compressed_size_bytes) },
              },
            ];
          },
        );
        return { tags, next: nextPage(body) };
      },
    });
  },
};

/** `links.pages.next`: an absolute URL on the API's origin (the VendorApi refuses any other). */
function nextPage(body: unknown): string | undefined {
  const links = (body as { links?: unknown }).links;
  if (typeof links !== 'object' || links === null) return undefined;
  const pages = (links as { pages?: unknown }).pages;
  if (typeof pages !== 'object' || pages === null) return undefined;
  return text((pages as { next?: unknown }).next);
}
