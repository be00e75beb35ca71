import {
  startVendorApiReplay,
  VendorApiReplay,
} from '@berth/plugin-images-backend-test-utils';
import { registryFlavor } from '../../registry/flavors';
import { listAll, vendorTestClient } from './__testUtils__/listingHarness';
import { digitalOceanTagListing } from './digitalOcean';

// DigitalOcean's API cannot run here: the replay answers in the shapes of digitalocean/openapi
// (specification/resources/registry/registries_list_repositoryTags.yml, responses/repository_tags.yml,
// models/repository_tag.yml, shared/pages.yml and shared/headers.yml): `{tags: [{registry_name, repository, tag,
// manifest_digest, compressed_size_bytes, size_bytes, updated_at}], links: {pages: {first, prev, next, last}},
// meta: {total}}`, `per_page` at most 200, the `ratelimit-*` headers, and `{id, message}` errors.
describe('digitalOceanTagListing', () => {
  let docean: VendorApiReplay;

  beforeAll(async () => {
    docean = await startVendorApiReplay();
  });
  afterEach(() => docean.reset());
  afterAll(() => docean.stop());

  const client = () =>
    vendorTestClient({
      host: 'registry.digitalocean.com',
      credentials: { username: 'dop_v1_token', password: 'dop_v1_token' },
      api: { url: docean.url },
    });

  const tag = (n: number) => ({
    registry_name: 'acme',
    repository: 'web',
    tag: `build-${n}`,
    manifest_digest: `sha256:${String(n).padStart(64, '0')}`,
    compressed_size_bytes: 2_000_000 + n,
    size_bytes: 5_000_000 + n,
    updated_at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
  });

  const servePages = (
    total: number,
    path = '/v2/registries/acme/repositories/web/tags',
  ) =>
    docean.route('GET', path, url => {
      const page = Number(url.searchParams.get('page') ?? 1);
      const perPage = Number(url.searchParams.get('per_page') ?? 20);
      const start = (page - 1) * perPage;
      const tags = Array.from(
        { length: Math.max(0, Math.min(perPage, total - start)) },
        (_, i) => tag(start + i),
      );
      const link = (p: number) =>
        `${docean.url}${url.pathname}?page=${p}&per_page=${perPage}`;
      const last = Math.max(1, Math.ceil(total / perPage));
      return {
        headers: {
          'ratelimit-limit': '5000',
          'ratelimit-remaining': '4990',
          'ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
        },
        body: {
          tags,
          links: {
            pages: {
              ...(page > 1 && { first: link(1), prev: link(page - 1) }),
              ...(page < last && { last: link(last), next: link(page + 1) }),
            },
          },
          meta: { total },
        },
      };
    });

  const list = (repository = 'acme/web', limit = 10_000) =>
    listAll(digitalOceanTagListing, client().vendorApi(docean.url), {
      repository,
      limit,
    });

  it('lives on api.digitalocean.com and lists for DigitalOcean registries only', () => {
    const host = 'registry.digitalocean.com';
    expect(
      digitalOceanTagListing.apiUrl?.({ host, flavor: 'digitalocean' }),
    ).toBe('https://api.digitalocean.com');
    expect(
      digitalOceanTagListing.supports({
        host,
        flavor: registryFlavor(host).name,
      }),
    ).toBe(true);
    expect(
      digitalOceanTagListing.supports({ host: 'ghcr.io', flavor: 'github' }),
    ).toBe(false);
    // The API documents no order for the tags: a re-index reads every page.
    expect(digitalOceanTagListing.newestFirst).toBe(false);
  });

  it('lists every page by links.pages.next, 200 tags a request, with digests, sizes and update times, sending the API token', async () => {
    servePages(450);
    const { pages, result } = await list();
    expect(result).toEqual({
      truncated: false,
      stoppedEarly: false,
      requests: 3,
    });
    expect(pages.map(p => p.length)).toEqual([200, 200, 50]);
    expect(pages[0][0]).toEqual({
      tag: 'build-0',
      digest: `sha256:${'0'.repeat(64)}`,
      pushedAt: '2026-01-01T00:00:00.000Z',
      image: { size: 2_000_000 },
    });
    expect(docean.requests.map(r => r.path)).toEqual([
      '/v2/registries/acme/repositories/web/tags?per_page=200&page=1',
      '/v2/registries/acme/repositories/web/tags?page=2&per_page=200',
      '/v2/registries/acme/repositories/web/tags?page=3&per_page=200',
    ]);
    for (const request of docean.requests) {
      expect(request.headers.authorization).toBe('Bearer dop_v1_token');
    }
  });

  it('names the registry by the first path segment and sends a nested repository as one encoded segment', async () => {
    servePages(3, '/v2/registries/acme/repositories/team%2Fapi/tags');
    const { pages } = await list('acme/team/api');
    expect(pages.flat()).toHaveLength(3);
    expect(docean.requests.map(r => r.path)).toEqual([
      '/v2/registries/acme/repositories/team%2Fapi/tags?per_page=200&page=1',
    ]);
    // A repository without its registry segment cannot be on DigitalOcean: nothing is asked.
    docean.reset();
    await expect(list('web')).rejects.toMatchObject({ kind: 'not-found' });
    expect(docean.requests).toHaveLength(0);
  });

  it('stops at the limit and says the listing is truncated', async () => {
    servePages(450);
    const { pages, result } = await list('acme/web', 250);
    expect(result).toEqual({
      truncated: true,
      stoppedEarly: false,
      requests: 2,
    });
    expect(pages.flat()).toHaveLength(250);
  });

  it('stops when the listing knows the rest', async () => {
    servePages(450);
    const { result } = await listAll(
      digitalOceanTagListing,
      client().vendorApi(docean.url),
      { repository: 'acme/web', stopAfterFirstPage: true },
    );
    expect(result).toEqual({
      truncated: false,
      stoppedEarly: true,
      requests: 1,
    });
  });

  it('says the token was refused on a 401, and rate limited on a 429, without leaking the token', async () => {
    docean.route('GET', '/v2/registries/acme/repositories/web/tags', () => ({
      status: 401,
      body: { id: 'unauthorized', message: 'Unable to authenticate you.' },
    }));
    await expect(list()).rejects.toMatchObject({
      kind: 'unauthorized',
      message: expect.not.stringContaining('dop_v1_token'),
    });
    docean.route('GET', '/v2/registries/acme/repositories/web/tags', () => ({
      status: 429,
      headers: {
        'retry-after': '30',
        'ratelimit-limit': '5000',
        'ratelimit-remaining': '0',
      },
      body: { id: 'too_many_requests', message: 'API Rate limit exceeded.' },
    }));
    await expect(list()).rejects.toMatchObject({ kind: 'rate-limited' });
  });

  it('refuses an answer in another shape, a next page on another host, and a paging loop', async () => {
    docean.route('GET', '/v2/registries/acme/repositories/web/tags', () => ({
      body: { repository_tags: [] },
    }));
    await expect(list()).rejects.toMatchObject({ kind: 'invalid-response' });

    docean.route('GET', '/v2/registries/acme/repositories/web/tags', () => ({
      body: {
        tags: [tag(1)],
        links: { pages: { next: 'https://elsewhere.example/v2/steal' } },
      },
    }));
    await expect(list()).rejects.toMatchObject({ kind: 'refused-host' });

    docean.route('GET', '/v2/registries/acme/repositories/web/tags', url => ({
      body: {
        tags: [tag(1), { tag: 42 }, null, { manifest_digest: 'sha256:x' }],
        links: { pages: { next: `${docean.url}${url.pathname}?page=2` } },
      },
    }));
    await expect(list()).rejects.toMatchObject({ kind: 'invalid-response' });
  });
});
