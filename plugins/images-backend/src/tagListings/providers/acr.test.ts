import {
  startVendorApiReplay,
  VendorApiReplay,
  VendorReplayAnswer,
} from '@berth/plugin-images-backend-test-utils';
import { listAll, vendorTestClient } from './__testUtils__/listingHarness';
import { acrTagListing } from './acr';

// ACR cannot run here: the replay answers in the shapes of the Azure Container Registry REST reference ("Tag - Get
// List", GET /acr/v1/{name}/_tags?last=&n=&orderby=: `{registry, imageName, tags: [{name, digest, createdTime,
// lastUpdateTime, signed, changeableAttributes}]}`, paged by a relative `Link: </acr/v1/...&last=...>; rel="next"`)
// and ACR's token flow (a Bearer challenge naming `repository:<name>:metadata_read`, answered by GET /oauth2/token
// with the registry credentials as Basic; see azure.github.io/acr AAD-OAuth.md), with `{errors: [{code, message}]}`
// errors.
describe('acrTagListing', () => {
  let acr: VendorApiReplay;

  beforeAll(async () => {
    acr = await startVendorApiReplay();
  });
  afterEach(() => acr.reset());
  afterAll(() => acr.stop());

  const HOST = 'shop.azurecr.io';
  const client = () =>
    vendorTestClient({
      host: HOST,
      baseUrl: acr.url,
      credentials: { username: 'sp-client-id', password: 'sp-secret' },
    });

  const time = (minute: number) =>
    new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
  const tag = (n: number) => ({
    name: `build-${n}`,
    digest: `sha256:${String(n).padStart(64, '0')}`,
    createdTime: time(0),
    lastUpdateTime: time(1000 - n),
    signed: false,
    changeableAttributes: {
      deleteEnabled: true,
      writeEnabled: true,
      readEnabled: true,
      listEnabled: true,
    },
  });

  const TAGS = '/acr/v1/shop/web/_tags';
  const challenge = (repository: string) =>
    `Bearer realm="${acr.url}/oauth2/token",service="${HOST}",scope="repository:${repository}:metadata_read"`;

  /** ACR's token flow: a challenge without a token, a token for the registry credentials. */
  const serveTokens = () =>
    acr.route('GET', '/oauth2/token', (_url, request) =>
      request.headers.authorization ===
      `Basic ${Buffer.from('sp-client-id:sp-secret').toString('base64')}`
        ? { body: { access_token: 'acr-access-token' } }
        : { status: 401, body: { errors: [{ code: 'UNAUTHORIZED' }] } },
    );

  const servePages = (total: number, path = TAGS, repository = 'shop/web') => {
    serveTokens();
    acr.route('GET', path, (url, request): VendorReplayAnswer => {
      if (request.headers.authorization !== 'Bearer acr-access-token') {
        return {
          status: 401,
          headers: { 'www-authenticate': challenge(repository) },
          body: { errors: [{ code: 'UNAUTHORIZED' }] },
        };
      }
      const n = Number(url.searchParams.get('n') ?? 100);
      const last = url.searchParams.get('last');
      const start = last ? Number(last.replace('build-', '')) + 1 : 0;
      const tags = Array.from(
        { length: Math.max(0, Math.min(n, total - start)) },
        (_, i) => tag(start + i),
      );
      const more = start + n < total;
      return {
        headers: more
          ? {
              link: `<${url.pathname}?last=${
                tags[tags.length - 1].name
              }&n=${n}&orderby=timedesc>; rel="next"`,
            }
          : {},
        body: { registry: HOST, imageName: repository, tags },
      };
    });
  };

  const list = (repository = 'shop/web', limit = 10_000) =>
    listAll(acrTagListing, client().vendorApi(acr.url), { repository, limit });

  it('lists every page newest first by the Link header, with digests and update times, through the token flow', async () => {
    servePages(250);
    const { pages, result } = await list();
    expect(acrTagListing.newestFirst).toBe(true);
    expect(result).toEqual({
      truncated: false,
      stoppedEarly: false,
      requests: 3,
    });
    expect(pages.map(p => p.length)).toEqual([100, 100, 50]);
    expect(pages[0][0]).toEqual({
      tag: 'build-0',
      digest: `sha256:${'0'.repeat(64)}`,
      pushedAt: time(1000),
    });
    // One challenge, one token for the metadata_read scope, then every page with that token.
    expect(acr.requests.map(r => r.path)).toEqual([
      `${TAGS}?n=100&orderby=timedesc`,
      `/oauth2/token?service=${HOST}&scope=${encodeURIComponent(
        'repository:shop/web:metadata_read',
      )}`,
      `${TAGS}?n=100&orderby=timedesc`,
      `${TAGS}?last=build-99&n=100&orderby=timedesc`,
      `${TAGS}?last=build-199&n=100&orderby=timedesc`,
    ]);
    expect(acr.requests[0].headers.authorization).toBeUndefined();
    expect(acr.requests[3].headers.authorization).toBe(
      'Bearer acr-access-token',
    );
  });

  it('answers the token flow on the API origin when api.url sends the tag API elsewhere than the registry', async () => {
    servePages(3);
    // The registry's own origin is never reached: only the configured API origin is.
    const elsewhere = vendorTestClient({
      host: HOST,
      credentials: { username: 'sp-client-id', password: 'sp-secret' },
      api: { url: acr.url },
    });
    const { pages } = await listAll(
      acrTagListing,
      elsewhere.vendorApi(acr.url),
      {
        repository: 'shop/web',
      },
    );
    expect(pages.flat().map(t => t.tag)).toEqual([
      'build-0',
      'build-1',
      'build-2',
    ]);
    expect(acr.requests.map(r => r.path.split('?')[0])).toEqual([
      TAGS,
      '/oauth2/token',
      TAGS,
    ]);
  });

  it('keeps the slashes of a nested repository name and asks for its scope', async () => {
    servePages(2, '/acr/v1/shop/team/api/_tags', 'shop/team/api');
    const { pages } = await list('shop/team/api');
    expect(pages.flat().map(t => t.tag)).toEqual(['build-0', 'build-1']);
    expect(acr.requests[1].path).toBe(
      `/oauth2/token?service=${HOST}&scope=${encodeURIComponent(
        'repository:shop/team/api:metadata_read',
      )}`,
    );
  });

  it('stops at the limit and says the listing is truncated', async () => {
    servePages(250);
    const { pages, result } = await list('shop/web', 150);
    expect(result).toEqual({
      truncated: true,
      stoppedEarly: false,
      requests: 2,
    });
    expect(pages.flat()).toHaveLength(150);
  });

  it('stops when the listing knows the rest', async () => {
    servePages(250);
    const { result } = await listAll(
      acrTagListing,
      client().vendorApi(acr.url),
      {
        repository: 'shop/web',
        stopAfterFirstPage: true,
      },
    );
    expect(result).toEqual({
      truncated: false,
      stoppedEarly: true,
      requests: 1,
    });
  });

  it('says the credentials were refused when the token service refuses them, and rate limited on a 429, without leaking the secret', async () => {
    acr.route('GET', TAGS, () => ({
      status: 401,
      headers: { 'www-authenticate': challenge('shop/web') },
      body: { errors: [{ code: 'UNAUTHORIZED' }] },
    }));
    acr.route('GET', '/oauth2/token', () => ({
      status: 401,
      body: { errors: [{ code: 'UNAUTHORIZED' }] },
    }));
    await expect(list()).rejects.toMatchObject({
      kind: 'unauthorized',
      message: expect.not.stringContaining('sp-secret'),
    });
    acr.reset();
    serveTokens();
    acr.route('GET', TAGS, () => ({
      status: 429,
      headers: { 'retry-after': '30' },
      body: { errors: [{ code: 'TOOMANYREQUESTS' }] },
    }));
    await expect(list()).rejects.toMatchObject({ kind: 'rate-limited' });
  });

  it('refuses an answer in another shape, a next link to another host, and a paging loop', async () => {
    acr.route('GET', TAGS, () => ({ body: { tags: { latest: {} } } }));
    await expect(list()).rejects.toMatchObject({ kind: 'invalid-response' });

    acr.route('GET', TAGS, () => ({
      headers: { link: '<https://elsewhere.example/acr/v1/x>; rel="next"' },
      body: { tags: [tag(1)] },
    }));
    await expect(list()).rejects.toMatchObject({ kind: 'refused-host' });

    acr.route('GET', TAGS, url => ({
      headers: { link: `<${url.pathname}?last=build-1&n=100>; rel="next"` },
      body: { tags: [tag(1), { name: 7 }, null, { digest: 'sha256:x' }] },
    }));
    await expect(list()).rejects.toMatchObject({ kind: 'invalid-response' });
  });
});
