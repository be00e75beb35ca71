/*
 * Registry products' tag APIs, replayed for the indexing part: they cannot run here, so a loopback replay answers
 * in each product's documented shape (the same shapes the providers' tests replay), from the builds seeded into the
 * real registry, with the benchmark's round-trip time added to every answer. Each entry also says how the images
 * backend is configured for that product.
 */
import type {
  VendorApiReplay,
  VendorReplayAnswer,
} from '@berth/plugin-images-backend-test-utils';
import { sleep } from '../lib';
import { SeededBuild } from '../seedBuilds';

export type ListingScenario =
  | 'distribution'
  | 'quay'
  | 'dockerhub'
  | 'github'
  | 'digitalocean'
  | 'harbor'
  | 'acr'
  | 'ecr';

export const LISTING_SCENARIOS: ListingScenario[] = [
  'distribution',
  'quay',
  'dockerhub',
  'github',
  'digitalocean',
  'harbor',
  'acr',
  'ecr',
];

/** Tags a page of each product's API holds (its maximum). */
export const PAGE_SIZES: Record<ListingScenario, number> = {
  distribution: Infinity,
  quay: 100,
  dockerhub: 100,
  github: 100,
  digitalocean: 200,
  harbor: 100,
  acr: 100,
  ecr: 1000,
};

/** Whether Berth's provider lists the product newest first (a re-index may then stop at the first known page). */
export const NEWEST_FIRST: Record<ListingScenario, boolean> = {
  distribution: false,
  quay: true,
  dockerhub: true,
  github: false,
  digitalocean: false,
  harbor: false,
  acr: true,
  ecr: false,
};

/** API requests a complete listing takes besides its pages: ACR's token flow (a challenge, then a token). */
export const AUTH_REQUESTS: Record<ListingScenario, number> = {
  distribution: 0,
  quay: 0,
  dockerhub: 0,
  github: 0,
  digitalocean: 0,
  harbor: 0,
  acr: 2,
  ecr: 0,
};

const AMD64 = { os: 'linux', architecture: 'amd64' };
const ARM64 = { os: 'linux', architecture: 'arm64', variant: 'v8' };
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const SIZE = 4096;

/** `images.registries[]` for a scenario: the registry behind the proxy, the product's API at the replay. */
export function registryConfig(
  scenario: ListingScenario,
  host: string,
  registryUrl: string,
  apiUrl: string,
): object {
  const base = {
    host,
    endpoint: registryUrl,
    insecure: true,
    flavor: scenario,
  };
  switch (scenario) {
    case 'distribution':
      return base;
    case 'quay':
      return { ...base, api: { url: apiUrl, token: 'bench-oauth-token' } };
    case 'dockerhub':
      return { ...base, api: { url: apiUrl } };
    case 'ecr':
      // DescribeImages through the AWS SDK, signed with these keys, sent to the replay as to a VPC endpoint.
      return {
        ...base,
        api: { url: apiUrl },
        credentials: {
          aws: {
            region: 'eu-west-3',
            accessKeyId: 'bench-access-key',
            secretAccessKey: 'bench-secret-key',
          },
        },
      };
    default:
      return {
        ...base,
        api: { url: apiUrl },
        credentials: { username: 'bench', password: 'bench-api-token' },
      };
  }
}

/**
 * Routes the product's tag API for `repository` (`bench/<name>`) to `builds()`, read at each request so that builds
 * added later are listed; newest first where the product orders so.
 */
export function replayListing(
  replay: VendorApiReplay,
  scenario: ListingScenario,
  repository: string,
  builds: () => SeededBuild[],
  rttMs: number,
): void {
  const [owner, name] = repository.split('/');
  const newestFirst = () => [...builds()].reverse();
  const page = (url: URL, size: number) => {
    const number = Number(url.searchParams.get('page') ?? '1');
    const all = newestFirst();
    const start = (number - 1) * size;
    return {
      number,
      items: all.slice(start, start + size),
      more: start + size < all.length,
    };
  };
  const route = (
    path: string,
    answer: (url: URL) => { body: unknown; headers?: Record<string, string> },
  ) =>
    replay.route('GET', path, async url => {
      await sleep(rttMs);
      return answer(url);
    });

  switch (scenario) {
    case 'quay':
      route(`/api/v1/repository/${owner}/${name}/tag/`, url => {
        const { number, items, more } = page(url, 100);
        return {
          body: {
            page: number,
            has_additional: more,
            tags: items.map(b => ({
              name: b.tag,
              manifest_digest: b.digest,
              is_manifest_list: b.multiArch,
              size: SIZE,
              start_ts: Math.floor(Date.parse(b.created) / 1000),
            })),
          },
        };
      });
      break;
    case 'dockerhub':
      route(`/v2/namespaces/${owner}/repositories/${name}/tags`, url => {
        const { number, items, more } = page(url, 100);
        const next = new URL(url.href.replace('http://replay', replay.url));
        next.searchParams.set('page', String(number + 1));
        return {
          body: {
            count: builds().length,
            next: more ? next.href : null,
            results: items.map(b => ({
              name: b.tag,
              digest: b.digest,
              media_type: b.multiArch ? OCI_INDEX : OCI_MANIFEST,
              tag_last_pushed: b.created,
              images: (b.multiArch ? [AMD64, ARM64] : [AMD64]).map(p => ({
                ...p,
                size: SIZE,
                status: 'active',
              })),
            })),
          },
        };
      });
      break;
    case 'github':
      route(`/orgs/${owner}/packages/container/${name}/versions`, url => {
        const { number, items, more } = page(url, 100);
        const at = (n: number) =>
          `<${replay.url}/orgs/${owner}/packages/container/${name}/versions?per_page=100&page=${n}&state=active>`;
        return {
          // GitHub pages with Link; the last page names only the first.
          headers: {
            link: more
              ? `${at(number + 1)}; rel="next", ${at(1)}; rel="first"`
              : `${at(1)}; rel="first"`,
          },
          body: items.map((b, i) => ({
            id: b.build * 10 + i,
            name: b.digest,
            created_at: b.created,
            updated_at: b.created,
            metadata: {
              package_type: 'container',
              container: { tags: [b.tag] },
            },
          })),
        };
      });
      break;
    case 'digitalocean':
      route(`/v2/registries/${owner}/repositories/${name}/tags`, url => {
        const { number, items, more } = page(url, 200);
        const next = `${
          replay.url
        }/v2/registries/${owner}/repositories/${name}/tags?per_page=200&page=${
          number + 1
        }`;
        return {
          body: {
            tags: items.map(b => ({
              registry_name: owner,
              repository: name,
              tag: b.tag,
              manifest_digest: b.digest,
              compressed_size_bytes: SIZE,
              size_bytes: SIZE,
              updated_at: b.created,
            })),
            links: { pages: more ? { next } : {} },
            meta: { total: builds().length },
          },
        };
      });
      break;
    case 'harbor':
      route(
        `/api/v2.0/projects/${owner}/repositories/${name}/artifacts`,
        url => {
          const { items } = page(url, 100);
          return {
            headers: { 'x-total-count': String(builds().length) },
            body: items.map(b => ({
              digest: b.digest,
              push_time: b.created,
              size: SIZE,
              manifest_media_type: b.multiArch ? OCI_INDEX : OCI_MANIFEST,
              extra_attrs: b.multiArch ? {} : AMD64,
              references: b.multiArch
                ? [AMD64, ARM64].map(platform => ({ platform }))
                : null,
              tags: [{ name: b.tag, push_time: b.created }],
            })),
          };
        },
      );
      break;
    case 'acr': {
      // ACR's token flow: a Bearer challenge for metadata_read, answered by /oauth2/token with the credentials.
      const token = 'bench-acr-token';
      route('/oauth2/token', () => ({ body: { access_token: token } }));
      const tags = `/acr/v1/${owner}/${name}/_tags`;
      replay.route(
        'GET',
        tags,
        async (url, request): Promise<VendorReplayAnswer> => {
          await sleep(rttMs);
          if (request.headers.authorization !== `Bearer ${token}`) {
            return {
              status: 401,
              headers: {
                'www-authenticate': `Bearer realm="${replay.url}/oauth2/token",service="bench",scope="repository:${repository}:metadata_read"`,
              },
              body: { errors: [{ code: 'UNAUTHORIZED' }] },
            };
          }
          const all = newestFirst();
          const n = Number(url.searchParams.get('n') ?? '100');
          const last = url.searchParams.get('last');
          const start = last ? all.findIndex(b => b.tag === last) + 1 : 0;
          const items = all.slice(start, start + n);
          const more = start + n < all.length;
          return {
            headers: more
              ? {
                  link: `<${tags}?last=${
                    items[items.length - 1].tag
                  }&n=${n}&orderby=timedesc>; rel="next"`,
                }
              : {},
            body: {
              registry: 'bench.azurecr.io',
              imageName: repository,
              tags: items.map(b => ({
                name: b.tag,
                digest: b.digest,
                createdTime: b.created,
                lastUpdateTime: b.created,
                signed: false,
              })),
            },
          };
        },
      );
      break;
    }
    case 'ecr':
      // DescribeImages (AWS JSON 1.1): the next token is the offset, as an opaque string.
      replay.route('POST', '/', async (_url, request) => {
        await sleep(rttMs);
        const body = request.body as {
          nextToken?: string;
          maxResults?: number;
        };
        const all = newestFirst();
        const start = body.nextToken ? Number(atob(body.nextToken)) : 0;
        const end = Math.min(all.length, start + (body.maxResults ?? 100));
        return {
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: {
            imageDetails: all.slice(start, end).map(b => ({
              registryId: '012345678910',
              repositoryName: repository,
              imageDigest: b.digest,
              imageTags: [b.tag],
              imageSizeInBytes: SIZE,
              imagePushedAt: Date.parse(b.created) / 1000,
              imageManifestMediaType: b.multiArch ? OCI_INDEX : OCI_MANIFEST,
            })),
            ...(end < all.length && { nextToken: btoa(String(end)) }),
          },
        };
      });
      break;
    default:
  }
}
