import {
  startVendorApiReplay,
  VendorApiReplay,
} from '@berth/plugin-images-backend-test-utils';
import { RegistryClient } from '../../registry/RegistryClient';
import { listAll, vendorTestClient } from './__testUtils__/listingHarness';
import { quayTagListing } from './quay';

// Quay's tag API cannot run here: the replay answers in the shapes of quay/quay endpoints/api/tag.py
// (`{tags: [{name, manifest_digest, size, start_ts, last_modified, is_manifest_list}], page, has_additional}`).
describe('quayTagListing', () => {
  let quay: VendorApiReplay;

  beforeAll(async () => {
    quay = await startVendorApiReplay();
  });
  afterEach(() => quay.reset());
  afterAll(() => quay.stop());

  const client = (extra: { token?: string; username?: string } = {}) =>
    vendorTestClient({
      host: 'quay.example',
      baseUrl: quay.url,
      flavor: 'quay',
      credentials: {
        username: extra.username ?? 'acme+ci',
        password: 'robot-secret',
      },
      api: extra.token ? { token: extra.token } : undefined,
    });

  const tag = (n: number) => ({
    name: `build-${n}`,
    reversion: false,
    start_ts: 1_780_000_000 - n * 60,
    manifest_digest: `sha256:${String(n).padStart(64, '0')}`,
    is_manifest_list: n % 10 === 0,
    size: 1000 + n,
    last_modified: 'Thu, 02 Dec 2026 12:00:00 -0000',
  });

  const servePages = (total: number) =>
    quay.route('GET', '/api/v1/repository/acme/web/tag/', url => {
      const page = Number(url.searchParams.get('page'));
      const limit = Number(url.searchParams.get('limit'));
      const start = (page - 1) * limit;
      const tags = Array.from(
        { length: Math.max(0, Math.min(limit, total - start)) },
        (_, i) => tag(start + i),
      );
      return {
        body: { tags, page, has_additional: start + limit < total },
      };
    });

  const list = (api: RegistryClient, limit = 10_000) =>
    listAll(quayTagListing, api.vendorApi(api.baseUrl), {
      repository: 'acme/web',
      limit,
    });

  it('lists every page newest first, with digests, sizes and push times, one request per 100 tags', async () => {
    servePages(250);
    const { pages, result } = await list(client({ token: 'app-token' }));
    expect(result).toEqual({
      truncated: false,
      stoppedEarly: false,
      requests: 3,
    });
    expect(pages.map(p => p.length)).toEqual([100, 100, 50]);
    expect(pages[0][0]).toEqual({
      tag: 'build-0',
      digest: `sha256:${'0'.repeat(64)}`,
      pushedAt: new Date(1_780_000_000_000).toISOString(),
      image: { size: 1000 },
    });
    expect(quay.requests.map(r => r.path)).toEqual([
      '/api/v1/repository/acme/web/tag/?onlyActiveTags=true&limit=100&page=1',
      '/api/v1/repository/acme/web/tag/?onlyActiveTags=true&limit=100&page=2',
      '/api/v1/repository/acme/web/tag/?onlyActiveTags=true&limit=100&page=3',
    ]);
    // The OAuth application token, never the robot's password.
    expect(quay.requests[0].headers.authorization).toBe('Bearer app-token');
  });

  it('asks anonymously without an API token (robot accounts cannot read the tag API)', async () => {
    servePages(3);
    await list(client());
    expect(quay.requests[0].headers.authorization).toBeUndefined();
    quay.reset();
    servePages(3);
    await list(client({ username: '$oauthtoken' }));
    expect(quay.requests[0].headers.authorization).toBe('Bearer robot-secret');
  });

  it('stops at the limit and says the listing is truncated', async () => {
    servePages(250);
    const { pages, result } = await list(client(), 150);
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
      quayTagListing,
      client().vendorApi(quay.url),
      { repository: 'acme/web', stopAfterFirstPage: true },
    );
    expect(result).toEqual({
      truncated: false,
      stoppedEarly: true,
      requests: 1,
    });
  });

  it('says the credentials were refused on a 401, and rate limited on a 429, without leaking the token', async () => {
    quay.route('GET', '/api/v1/repository/acme/web/tag/', () => ({
      status: 401,
      body: { error: 'Unauthorized' },
    }));
    await expect(list(client({ token: 'app-token' }))).rejects.toMatchObject({
      kind: 'unauthorized',
      message: expect.not.stringContaining('app-token'),
    });
    quay.route('GET', '/api/v1/repository/acme/web/tag/', () => ({
      status: 429,
      headers: { 'retry-after': '30' },
      body: { error: 'Too Many Requests' },
    }));
    await expect(list(client())).rejects.toMatchObject({
      kind: 'rate-limited',
    });
  });

  it('refuses an answer in another shape, and a paging loop', async () => {
    quay.route('GET', '/api/v1/repository/acme/web/tag/', () => ({
      body: { tags: 'all of them' },
    }));
    await expect(list(client())).rejects.toMatchObject({
      kind: 'invalid-response',
    });
    quay.route('GET', '/api/v1/repository/acme/web/tag/', () => ({
      body: { tags: [tag(1), { name: 42 }], page: 1, has_additional: true },
    }));
    // A page that never advances: the same page number cannot come twice, so the provider asks for page 2, 3, ...
    const { pages } = await list(client(), 5);
    expect(pages.flat().map(t => t.tag)).toEqual([
      'build-1',
      'build-1',
      'build-1',
      'build-1',
      'build-1',
    ]);
  });
});
