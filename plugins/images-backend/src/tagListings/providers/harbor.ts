import type {
  ListedTag,
  TagListingProvider,
  VendorApi,
} from '@berth/plugin-images-node';
import { RegistryError } from '../../registry/errors';
import { parseNextLink } from '../../registry/httpHeaders';
import { arrayField, count, isoDate, listPages, text } from './pages';

/** Harbor's largest `page_size` (swagger `pageSize`: maximum 100). */
const PAGE_SIZE = 100;

/** Architectures whose variant tells images apart (`arm/v7`, `arm64/v8`): Harbor's `extra_attrs` never names it. */
const VARIANT_ARCHITECTURES = new Set(['arm', 'arm64']);

/**
 * Harbor: `GET /api/v2.0/projects/{project}/repositories/{repository}/artifacts?with_tag=true` on the registry's
 * own origin with the robot account as Basic, 100 tagged artifacts (`q=tags=*`) a page, each with its digest, size,
 * manifest media type, platforms (`extra_attrs` of an image, `references[].platform` of an index) and tags with
 * their push times. The repository after the project is URL-encoded twice (`a/b` → `a%252Fb`), as the API asks.
 *
 * Pages are artifacts sorted by the artifact's push time (then id, for stable pages), but a tag moved onto an
 * artifact pushed earlier (a promotion by re-tagging) keeps that artifact's place: the listing is not newest first
 * by tag push time, so a re-index reads every page.
 */
export const harborTagListing: TagListingProvider = {
  id: 'harbor',
  newestFirst: false,
  supports: ({ flavor }) => flavor === 'harbor',
  async listTags(api, request) {
    const { repository } = request;
    const what = `the tags of ${repository}`;
    const slash = repository.indexOf('/');
    if (slash <= 0 || slash === repository.length - 1) {
      throw new RegistryError(
        'not-found',
        api.host,
        `${repository} names no Harbor project and repository (project/repository)`,
      );
    }
    const project = encodeURIComponent(repository.slice(0, slash));
    const name = encodeURIComponent(
      encodeURIComponent(repository.slice(slash + 1)),
    );
    return listPages(api, request, {
      first: 1,
      async fetch(page) {
        const { body, headers } = await api.json({
          path: `/api/v2.0/projects/${project}/repositories/${name}/artifacts?with_tag=true&q=tags%3D*&sort=-push_time,-id&page_size=${PAGE_SIZE}&page=${page}`,
          what,
          repository,
          auth: 'basic',
        });
        if (!Array.isArray(body)) throw api.invalidResponse(what);
        const tags = body.flatMap(artifact => listed(api, artifact, what));
        return {
          tags,
          next: hasMore(headers, body.length, page) ? page + 1 : undefined,
        };
      },
    });
  },
};

/** One listed tag per tag of the artifact, each with the artifact's digest and what it states about the image. */
function listed(api: VendorApi, entry: unknown, what: string): ListedTag[] {
  if (typeof entry !== 'object' || entry === null) return [];
  const artifact = entry as Record<string, unknown>;
  const tags =
    artifact.tags === undefined || artifact.tags === null
      ? []
      : arrayField(api, artifact, 'tags', what);
  const digest = text(artifact.digest);
  const image = describe(artifact);
  return tags.flatMap((t): ListedTag[] => {
    if (typeof t !== 'object' || t === null) return [];
    const tag = t as Record<string, unknown>;
    const name = text(tag.name);
    if (!name) return [];
    return [
      {
        tag: name,
        digest,
        pushedAt: isoDate(tag.push_time) ?? isoDate(artifact.push_time),
        image: { ...image },
      },
    ];
  });
}

/**
 * What the artifact says of its image: the manifest media type and platforms when it states both (an image's
 * `extra_attrs.os`/`architecture` without a variant its architecture needs is not enough); the size of a single
 * manifest (an index's is the sum of its children, not the largest platform's).
 */
function describe(artifact: Record<string, unknown>): ListedTag['image'] {
  const mediaType = manifestMediaType(artifact);
  const size = count(artifact.size);
  if (!mediaType) return { size };
  if (/index|manifest\.list/.test(mediaType)) {
    const references = Array.isArray(artifact.references)
      ? artifact.references
      : [];
    const platforms = references.flatMap(reference => {
      const platform =
        typeof reference === 'object' && reference !== null
          ? (reference as { platform?: unknown }).platform
          : undefined;
      const formatted = formatPlatform(platform, true);
      return formatted ? [formatted] : [];
    });
    return platforms.length > 0 ? { mediaType, platforms } : {};
  }
  const platform = formatPlatform(artifact.extra_attrs, false);
  return platform ? { mediaType, size, platforms: [platform] } : { size };
}

/** `manifest_media_type`, or `media_type` where it names a manifest (for an image it is the config's). */
function manifestMediaType(
  artifact: Record<string, unknown>,
): string | undefined {
  const manifest = text(artifact.manifest_media_type);
  if (manifest) return manifest;
  const media = text(artifact.media_type);
  return media && /manifest|index/.test(media) ? media : undefined;
}

/**
 * `os/architecture[/variant]`; undefined when unstated, for an index's attestation entries (`unknown`), and, without
 * `variant` in the data, for architectures whose variant matters unless the data could state one (an index entry).
 */
function formatPlatform(
  value: unknown,
  statesVariant: boolean,
): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const platform = value as Record<string, unknown>;
  const os = text(platform.os);
  const architecture = text(platform.architecture);
  const variant = text(platform.variant);
  if (!os || !architecture || os === 'unknown') return undefined;
  if (!variant && !statesVariant && VARIANT_ARCHITECTURES.has(architecture)) {
    return undefined;
  }
  return [os, architecture, variant].filter(Boolean).join('/');
}

/** A next page: the `Link` header's `rel="next"`, else `X-Total-Count`, else a full page. */
function hasMore(headers: Headers, length: number, page: number): boolean {
  const link = headers.get('link');
  if (link) return parseNextLink(link) !== undefined;
  const total = Number(headers.get('x-total-count') ?? Number.NaN);
  if (Number.isFinite(total)) return page * PAGE_SIZE < total;
  return length === PAGE_SIZE;
}
