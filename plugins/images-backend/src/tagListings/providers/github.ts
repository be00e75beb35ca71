import type { ListedTag, TagListingProvider } from '@berth/plugin-images-node';
import { RegistryError } from '../../registry/errors';
import { parseNextLink } from '../../registry/httpHeaders';
import { isoDate, listPages, text } from './pages';

/** GitHub answers at most 100 package versions per page. */
const PAGE_SIZE = 100;

const HEADERS = {
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
};

/**
 * GitHub Container Registry (ghcr.io) through GitHub's REST API for packages: `GET /orgs/{org}/packages/container/
 * {package}/versions?state=active`, or `/users/{user}/...` when the owner is no organization, 100 versions a page,
 * each a digest (`name`) with its tags (`metadata.container.tags`) and dates. The package is the repository path
 * after the owner, URL-encoded as one segment (`acme/shop/web` → `shop%2Fweb`). Versions without tags are the
 * platform manifests of multi-arch images and list nothing.
 *
 * The API takes only a personal access token (classic) with `read:packages` — the registry password — even for
 * public packages; without one it answers 401 and Berth lists through the Distribution API.
 *
 * Not `newestFirst`: GitHub documents no order for this listing and offers no parameter to ask for one. Versions are
 * seen to come newest first by creation, but a tag moved onto an older version need not bring that version to the
 * top, so a re-index that stopped at the first known page could miss the move.
 */
export const githubTagListing: TagListingProvider = {
  id: 'github',
  newestFirst: false,
  supports: ({ flavor }) => flavor === 'github',
  apiUrl: () => 'https://api.github.com',
  async listTags(api, request) {
    const { repository } = request;
    const what = `the tags of ${repository}`;
    const [owner, ...rest] = repository.split('/');
    if (!owner || rest.length === 0) {
      throw new RegistryError(
        'unsupported',
        api.host,
        `${api.host} packages are named owner/package: ${repository} names no package Berth can ask GitHub about`,
      );
    }
    const versions = (scope: 'orgs' | 'users', page: number) =>
      `/${scope}/${encodeURIComponent(
        owner,
      )}/packages/container/${encodeURIComponent(
        rest.join('/'),
      )}/versions?per_page=${PAGE_SIZE}&page=${page}&state=active`;

    let scope: 'orgs' | 'users' = 'orgs';
    let page = 0;
    const fetchPage = async (path: string) => {
      try {
        return await api.json({
          path,
          what,
          repository,
          auth: 'bearer',
          headers: HEADERS,
        });
      } catch (error) {
        // The owner is a user, not an organization: the same listing lives under /users.
        if (
          scope === 'orgs' &&
          page === 1 &&
          error instanceof RegistryError &&
          error.kind === 'not-found'
        ) {
          scope = 'users';
          return api.json({
            path: versions(scope, 1),
            what,
            repository,
            auth: 'bearer',
            headers: HEADERS,
          });
        }
        throw error;
      }
    };

    return listPages(api, request, {
      first: versions(scope, 1),
      async fetch(path) {
        page++;
        const { body, headers } = await fetchPage(path);
        if (!Array.isArray(body)) throw api.invalidResponse(what);
        const tags = body.flatMap(listedTags);
        // GitHub pages with a Link header; without one, a full page may have more after it.
        const link = headers.get('link');
        let next: string | undefined;
        if (link) next = parseNextLink(link);
        else if (body.length >= PAGE_SIZE) next = versions(scope, page + 1);
        return { tags, next };
      },
    });
  },
};

/**
 * One package version: `{id, name: "sha256:…", created_at, updated_at, metadata: {package_type: "container",
 * container: {tags: [...]}}}`, one listed tag per tag.
 */
function listedTags(entry: unknown): ListedTag[] {
  if (typeof entry !== 'object' || entry === null) return [];
  const version = entry as Record<string, unknown>;
  const digest = text(version.name);
  const metadata = version.metadata as
    | { container?: { tags?: unknown } | null }
    | null
    | undefined;
  const names: unknown[] = Array.isArray(metadata?.container?.tags)
    ? metadata!.container!.tags
    : [];
  const pushedAt = isoDate(version.updated_at) ?? isoDate(version.created_at);
  return names.flatMap((name: unknown): ListedTag[] => {
    const tag = text(name);
    return tag ? [{ tag, digest, pushedAt }] : [];
  });
}
