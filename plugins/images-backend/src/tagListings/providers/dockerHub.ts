import type {
  ListedTag,
  TagListingProvider,
  VendorApi,
} from '@berth/plugin-images-node';
import { RegistryError } from '../../registry/errors';
import { MEDIA_TYPES } from '../../registry/mediaTypes';
import { arrayField, count, isoDate, listPages, text } from './pages';

/** Docker Hub answers at most 100 tags per page. */
const PAGE_SIZE = 100;

/** Docker Hub's access tokens last 10 minutes ("This expires in 10 minutes"); one is renewed a minute early. */
const TOKEN_LIFETIME_MS = 10 * 60_000;
const TOKEN_MARGIN_MS = 60_000;

interface HubToken {
  jwt: string;
  expiresAt: number;
}

/**
 * Docker Hub (docker.io): `GET https://hub.docker.com/v2/namespaces/{namespace}/repositories/{repository}/tags`,
 * 100 tags a page with each tag's digest, push time and per-platform images, following the answer's absolute
 * `next` URL. `ordering=last_updated` is not in the published OpenAPI description (content/reference/api/hub/
 * latest.yaml documents `page` and `page_size` only) but is what Renovate's Docker Hub datasource sends, and its
 * incremental cache stops paging at the first tag it already knows: the tags come most recently updated first.
 *
 * Public repositories list anonymously. With credentials, the Hub API wants its own token: the user name and
 * password or access token are exchanged at `POST /v2/auth/token` for a JWT that lasts 10 minutes, kept per
 * registry and user name until shortly before it expires and sent as a Bearer token.
 *
 * The listing describes each digest in full (media type and platforms), so Berth never GETs its manifest: on Docker
 * Hub every manifest GET counts against the pull quota.
 */
export function createDockerHubTagListing(
  now: () => number = Date.now,
): TagListingProvider {
  const tokens = new Map<string, Promise<HubToken>>();

  /** The Hub JWT for the configured credentials, exchanged when none is cached or it is about to expire. */
  const bearer = async (
    api: VendorApi,
    repository: string,
  ): Promise<{ key: string; authorization: string } | undefined> => {
    const credentials = await api.credentials();
    if (!credentials) return undefined;
    const key = `${api.apiUrl}\n${api.host}\n${credentials.username}`;
    const cached = await tokens.get(key)?.catch(() => undefined);
    let pending: Promise<HubToken>;
    if (cached && cached.expiresAt - TOKEN_MARGIN_MS > now()) {
      pending = Promise.resolve(cached);
    } else {
      pending = exchange(api, repository, credentials, now);
      tokens.set(key, pending);
      // A refused exchange is not kept: the next listing asks again.
      pending.catch(() => {
        if (tokens.get(key) === pending) tokens.delete(key);
      });
    }
    const token = await pending;
    return { key, authorization: `Bearer ${token.jwt}` };
  };

  return {
    id: 'dockerhub',
    newestFirst: true,
    supports: ({ flavor }) => flavor === 'dockerhub',
    apiUrl: () => 'https://hub.docker.com',
    async listTags(api, request) {
      const { repository } = request;
      const what = `the tags of ${repository}`;
      const segments = repository.split('/');
      // Official images live in `library`; Docker Hub has no deeper paths than namespace/repository.
      const [namespace, ...rest] =
        segments.length === 1 ? ['library', ...segments] : segments;
      const first = `/v2/namespaces/${encodeURIComponent(
        namespace,
      )}/repositories/${encodeURIComponent(
        rest.join('/'),
      )}/tags?page_size=${PAGE_SIZE}&ordering=last_updated`;
      return listPages(api, request, {
        first,
        async fetch(path) {
          const auth = await bearer(api, repository);
          let body: unknown;
          try {
            ({ body } = await api.json({
              path,
              what,
              repository,
              auth: 'none',
              headers: auth ? { authorization: auth.authorization } : {},
            }));
          } catch (error) {
            // A token Docker Hub no longer takes is exchanged afresh next time.
            if (
              auth &&
              error instanceof RegistryError &&
              error.kind === 'unauthorized'
            ) {
              tokens.delete(auth.key);
            }
            throw error;
          }
          const tags = arrayField(api, body, 'results', what).flatMap(
            listedTag,
          );
          const next = text((body as { next?: unknown }).next);
          return { tags, next };
        },
      });
    },
  };
}

/** The provider Berth registers: one token cache for the backend's lifetime. */
export const dockerHubTagListing = createDockerHubTagListing();

async function exchange(
  api: VendorApi,
  repository: string,
  credentials: { username: string; password: string },
  now: () => number,
): Promise<HubToken> {
  const issuedAt = now();
  const what = 'a Docker Hub API token';
  const { body } = await api.json({
    method: 'POST',
    path: '/v2/auth/token',
    what,
    repository,
    auth: 'none',
    body: { identifier: credentials.username, secret: credentials.password },
  });
  const jwt = text((body as { access_token?: unknown } | null)?.access_token);
  if (!jwt) throw api.invalidResponse(what);
  const expiry = jwtExpiry(jwt);
  return {
    jwt,
    expiresAt: Math.min(
      expiry ?? Number.POSITIVE_INFINITY,
      issuedAt + TOKEN_LIFETIME_MS,
    ),
  };
}

/** The `exp` claim of a JWT in epoch milliseconds, when it has a readable one. */
function jwtExpiry(jwt: string): number | undefined {
  try {
    const payload = JSON.parse(
      Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { exp?: unknown };
    const exp = count(payload?.exp);
    return exp === undefined ? undefined : exp * 1000;
  } catch {
    return undefined;
  }
}

/**
 * One result of the tag listing. `{name, digest, tag_last_pushed, last_updated, media_type, content_type, full_size,
 * images: [{architecture, os, variant, size, digest}]}`.
 */
function listedTag(entry: unknown): ListedTag[] {
  if (typeof entry !== 'object' || entry === null) return [];
  const tag = entry as Record<string, unknown>;
  const name = text(tag.name);
  if (!name) return [];
  const digest = text(tag.digest);
  const images = (Array.isArray(tag.images) ? tag.images : []).filter(
    (image): image is Record<string, unknown> =>
      typeof image === 'object' && image !== null,
  );
  const sizes = images
    .map(image => count(image.size))
    .filter((size): size is number => size !== undefined);
  const size = sizes.length > 0 ? Math.max(...sizes) : count(tag.full_size);
  const listed: ListedTag = {
    tag: name,
    digest,
    pushedAt: isoDate(tag.tag_last_pushed) ?? isoDate(tag.last_updated),
    image: { size },
  };
  const platforms = platformsOf(images);
  const contentType = text(tag.content_type);
  if (
    digest &&
    platforms &&
    platforms.length > 0 &&
    (contentType === undefined || contentType === 'image')
  ) {
    listed.image = {
      // Docker Hub's answers carry the digest's `media_type` (the published OpenAPI description does not list it,
      // nor `digest` and `content_type`, but the live API sends all three). Without it, the shape tells the kind:
      // several images (platforms, or a platform and its attestation) can only be an index, and OCI's since
      // BuildKit pushes one by default; a single image is taken for the Docker v2 manifest that `docker push` of
      // a classic build sends. Either way `isIndexMediaType` answers right; only the OCI/Docker flavour may be off.
      mediaType:
        text(tag.media_type) ??
        (images.length > 1 ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.dockerManifest),
      size,
      platforms,
    };
  }
  return [listed];
}

/**
 * `os/architecture[/variant]` of each image, without BuildKit's `unknown/unknown` attestation manifests; undefined
 * when an image does not say its platform (the listing then does not describe the digest in full).
 */
function platformsOf(
  images: Array<Record<string, unknown>>,
): string[] | undefined {
  const platforms = new Set<string>();
  for (const image of images) {
    const os = text(image.os);
    const architecture = text(image.architecture);
    if (os === 'unknown' && architecture === 'unknown') continue;
    if (!os || !architecture) return undefined;
    const variant = text(image.variant);
    platforms.add(
      variant ? `${os}/${architecture}/${variant}` : `${os}/${architecture}`,
    );
  }
  return [...platforms];
}
