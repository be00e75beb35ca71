import {
  startVendorApiReplay,
  VendorApiReplay,
} from '@berth/plugin-images-backend-test-utils';
import type { TagListingProvider } from '@berth/plugin-images-node';
import { RegistryClient } from '../../registry/RegistryClient';
import { listAll, vendorTestClient } from './__testUtils__/listingHarness';
import { createDockerHubTagListing, dockerHubTagListing } from './dockerHub';

// Docker Hub's API cannot run here: the replay answers in the shapes of Docker's published Hub API description
// (docker/docs content/reference/api/hub/latest.yaml: `POST /v2/auth/token {identifier, secret}` → `{access_token}`,
// `GET /v2/namespaces/{namespace}/repositories/{repository}/tags` → `{count, next, previous, results: [{name,
// last_updated, tag_last_pushed, full_size, images: [{architecture, os, variant, digest, size}]}]}`, `X-RateLimit-*`
// headers, 429 when over the limit), plus the `digest`, `media_type` and `content_type` the live API adds to each
// result (as Renovate's schema and client code written against it read them).
describe('dockerHubTagListing', () => {
  let hub: VendorApiReplay;
  let provider: TagListingProvider;
  let clock: number;

  beforeAll(async () => {
    hub = await startVendorApiReplay();
  });
  beforeEach(() => {
    clock = Date.parse('2026-12-02T12:00:00Z');
    provider = createDockerHubTagListing(() => clock);
  });
  afterEach(() => hub.reset());
  afterAll(() => hub.stop());

  const client = (credentials?: { username: string; password: string }) =>
    vendorTestClient({
      host: 'docker.io',
      baseUrl: 'https://registry-1.docker.io',
      flavor: 'dockerhub',
      credentials,
      api: { url: hub.url },
    });

  const digest = (n: number) => `sha256:${String(n).padStart(64, '0')}`;
  const tag = (n: number) => ({
    id: 1000 + n,
    name: `build-${n}`,
    digest: digest(n),
    media_type: 'application/vnd.oci.image.index.v1+json',
    content_type: 'image',
    full_size: 5000 + n,
    last_updated: new Date(Date.UTC(2026, 11, 1) - n * 60_000).toISOString(),
    tag_last_pushed: new Date(Date.UTC(2026, 11, 1) - n * 60_000).toISOString(),
    tag_status: 'active',
    images: [
      {
        architecture: 'amd64',
        os: 'linux',
        variant: null,
        digest: digest(100_000 + n),
        size: 3000 + n,
      },
      {
        architecture: 'arm64',
        os: 'linux',
        variant: 'v8',
        digest: digest(200_000 + n),
        size: 2900 + n,
      },
      {
        architecture: 'unknown',
        os: 'unknown',
        variant: null,
        digest: digest(300_000 + n),
        size: 800,
      },
    ],
  });

  const TAGS = '/v2/namespaces/acme/repositories/web/tags';

  const servePages = (total: number, path = TAGS) =>
    hub.route('GET', path, url => {
      const page = Number(url.searchParams.get('page') ?? 1);
      const size = Number(url.searchParams.get('page_size'));
      const start = (page - 1) * size;
      const results = Array.from(
        { length: Math.max(0, Math.min(size, total - start)) },
        (_, i) => tag(start + i),
      );
      const next = new URL(url.pathname, hub.url);
      next.search = `page=${page + 1}&page_size=${size}&ordering=last_updated`;
      return {
        headers: {
          'x-ratelimit-limit': '180',
          'x-ratelimit-remaining': '170',
          'x-ratelimit-reset': '1796212800',
        },
        body: {
          count: total,
          next: start + size < total ? next.toString() : null,
          previous: null,
          results,
        },
      };
    });

  const jwt = (exp: number) =>
    [
      Buffer.from('{"alg":"RS256"}').toString('base64url'),
      Buffer.from(JSON.stringify({ sub: 'ci-bot', exp })).toString('base64url'),
      'signature',
    ].join('.');

  const serveTokens = () => {
    let issued = 0;
    hub.route('POST', '/v2/auth/token', () => {
      issued++;
      return {
        body: { access_token: jwt(clock / 1000 + 600) + issued },
      };
    });
  };

  const list = (
    api: RegistryClient,
    options: { limit?: number; repository?: string } = {},
  ) =>
    listAll(provider, api.vendorApi(hub.url), {
      repository: options.repository ?? 'acme/web',
      limit: options.limit,
    });

  it('is the built-in provider for Docker Hub, whose API lives on hub.docker.com', () => {
    expect(
      dockerHubTagListing.supports({ host: 'docker.io', flavor: 'dockerhub' }),
    ).toBe(true);
    expect(
      dockerHubTagListing.supports({ host: 'ghcr.io', flavor: 'github' }),
    ).toBe(false);
    expect(
      dockerHubTagListing.apiUrl?.({ host: 'docker.io', flavor: 'dockerhub' }),
    ).toBe('https://hub.docker.com');
    expect(dockerHubTagListing.newestFirst).toBe(true);
  });

  it('lists every page anonymously, most recently updated first, describing each digest in full', async () => {
    servePages(250);
    const { pages, result } = await list(client());
    expect(result).toEqual({
      truncated: false,
      stoppedEarly: false,
      requests: 3,
    });
    expect(pages.map(p => p.length)).toEqual([100, 100, 50]);
    expect(pages[0][0]).toEqual({
      tag: 'build-0',
      digest: digest(0),
      pushedAt: '2026-12-01T00:00:00.000Z',
      // The largest platform's size; the attestation manifest is no platform.
      image: {
        mediaType: 'application/vnd.oci.image.index.v1+json',
        size: 3000,
        platforms: ['linux/amd64', 'linux/arm64/v8'],
      },
    });
    expect(hub.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      `GET ${TAGS}?page_size=100&ordering=last_updated`,
      `GET ${TAGS}?page=2&page_size=100&ordering=last_updated`,
      `GET ${TAGS}?page=3&page_size=100&ordering=last_updated`,
    ]);
    expect(hub.requests.every(r => r.headers.authorization === undefined)).toBe(
      true,
    );
  });

  it('lists official images under library/', async () => {
    servePages(3, '/v2/namespaces/library/repositories/nginx/tags');
    const { pages } = await list(client(), { repository: 'nginx' });
    expect(pages.flat()).toHaveLength(3);
    expect(hub.requests[0].path).toBe(
      '/v2/namespaces/library/repositories/nginx/tags?page_size=100&ordering=last_updated',
    );
  });

  it('exchanges the credentials for a Hub token once, and again only when it is about to expire', async () => {
    serveTokens();
    servePages(150);
    const api = client({ username: 'ci-bot', password: 'dckr_pat_secret' });
    await list(api);
    await list(api);
    const exchanges = hub.requests.filter(r => r.method === 'POST');
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({
      path: '/v2/auth/token',
      body: { identifier: 'ci-bot', secret: 'dckr_pat_secret' },
    });
    // The Hub token, never the password, authenticates the listing.
    const listings = hub.requests.filter(r => r.method === 'GET');
    expect(listings).toHaveLength(4);
    for (const request of listings) {
      expect(request.headers.authorization).toBe(
        `Bearer ${jwt(clock / 1000 + 600)}1`,
      );
    }

    // Nine and a half minutes on, the token is about to run out: a new one is exchanged.
    clock += 9.5 * 60_000;
    hub.requests.length = 0;
    await list(api);
    expect(hub.requests.map(r => r.method)).toEqual(['POST', 'GET', 'GET']);
    expect(hub.requests[1].headers.authorization).toBe(
      `Bearer ${jwt(clock / 1000 + 600)}2`,
    );
  });

  it('says the credentials were refused when the exchange is, without leaking them, and asks again next time', async () => {
    hub.route('POST', '/v2/auth/token', () => ({
      status: 401,
      body: { errinfo: {}, detail: 'Incorrect authentication credentials' },
    }));
    const api = client({ username: 'ci-bot', password: 'dckr_pat_secret' });
    const failure = list(api);
    await expect(failure).rejects.toMatchObject({ kind: 'unauthorized' });
    await expect(failure).rejects.toMatchObject({
      message: expect.not.stringContaining('dckr_pat_secret'),
    });
    expect(hub.requests.map(r => r.method)).toEqual(['POST']);

    serveTokens();
    servePages(3);
    await list(api);
    expect(hub.requests.map(r => r.method)).toEqual(['POST', 'POST', 'GET']);
  });

  it('drops a Hub token the listing refuses', async () => {
    serveTokens();
    hub.route('GET', TAGS, () => ({
      status: 401,
      body: { detail: 'token expired' },
    }));
    const api = client({ username: 'ci-bot', password: 'dckr_pat_secret' });
    await expect(list(api)).rejects.toMatchObject({
      kind: 'unauthorized',
      message: expect.not.stringContaining('eyJ'),
    });
    servePages(3);
    await list(api);
    expect(hub.requests.map(r => r.method)).toEqual([
      'POST',
      'GET',
      'POST',
      'GET',
    ]);
  });

  it('stops at the limit and says the listing is truncated', async () => {
    servePages(250);
    const { pages, result } = await list(client(), { limit: 150 });
    expect(result).toEqual({
      truncated: true,
      stoppedEarly: false,
      requests: 2,
    });
    expect(pages.flat()).toHaveLength(150);
  });

  it('stops when the listing knows the rest', async () => {
    servePages(250);
    const { result } = await listAll(provider, client().vendorApi(hub.url), {
      repository: 'acme/web',
      stopAfterFirstPage: true,
    });
    expect(result).toEqual({
      truncated: false,
      stoppedEarly: true,
      requests: 1,
    });
  });

  it("says rate limited on a 429, until Docker Hub's X-Retry-After when it sends no Retry-After", async () => {
    const retryAt = Math.floor(Date.now() / 1000) + 900;
    hub.route('GET', TAGS, () => ({
      status: 429,
      headers: {
        'x-retry-after': String(retryAt),
        'x-ratelimit-limit': '180',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(retryAt),
      },
      body: { detail: 'Rate limit exceeded', error: false },
    }));
    const error = await list(client()).catch(e => e);
    expect(error).toMatchObject({ kind: 'rate-limited' });
    // That time, give or take the milliseconds the answer took.
    expect(Math.abs(error.retryAt.getTime() - retryAt * 1000)).toBeLessThan(
      1000,
    );
  });

  it('describes a digest only as far as the listing states it', async () => {
    hub.route('GET', TAGS, () => ({
      body: {
        count: 7,
        next: null,
        results: [
          // No media type: several images can only be an index.
          { ...tag(1), media_type: undefined },
          // No media type, one image: a single manifest.
          {
            ...tag(2),
            media_type: undefined,
            images: [tag(2).images[0]],
          },
          // An image that does not say its platform: sizes, no description.
          {
            ...tag(3),
            images: [{ ...tag(3).images[0], os: null }],
          },
          // Not an image (a Helm chart): no platforms to state.
          { ...tag(4), content_type: 'helm', images: [] },
          // Never pushed since Docker Hub kept push times: the last update.
          { ...tag(5), tag_last_pushed: null },
          { name: '', digest: digest(6) },
          { name: 42 },
        ],
      },
    }));
    const { pages } = await list(client());
    expect(pages.flat()).toEqual([
      expect.objectContaining({
        tag: 'build-1',
        image: expect.objectContaining({
          mediaType: 'application/vnd.oci.image.index.v1+json',
        }),
      }),
      expect.objectContaining({
        tag: 'build-2',
        image: {
          mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
          size: 3002,
          platforms: ['linux/amd64'],
        },
      }),
      expect.objectContaining({ tag: 'build-3', image: { size: 3003 } }),
      expect.objectContaining({ tag: 'build-4', image: { size: 5004 } }),
      expect.objectContaining({
        tag: 'build-5',
        pushedAt: new Date(Date.UTC(2026, 11, 1) - 5 * 60_000).toISOString(),
      }),
    ]);
  });

  it('refuses an answer in another shape, and a paging loop', async () => {
    hub.route('GET', TAGS, () => ({ body: { results: 'all of them' } }));
    await expect(list(client())).rejects.toMatchObject({
      kind: 'invalid-response',
    });
    hub.route('GET', TAGS, () => ({
      body: {
        next: `${hub.url}${TAGS}?page=2&page_size=100`,
        results: [tag(1)],
      },
    }));
    await expect(list(client())).rejects.toMatchObject({
      kind: 'invalid-response',
      message: expect.stringContaining('in a loop'),
    });
    // A next page on another origin is never asked for.
    hub.route('GET', TAGS, () => ({
      body: {
        next: `https://elsewhere.example${TAGS}?page=2`,
        results: [tag(1)],
      },
    }));
    hub.requests.length = 0;
    await expect(list(client())).rejects.toMatchObject({
      kind: 'refused-host',
    });
    expect(hub.requests).toHaveLength(1);
  });
});
