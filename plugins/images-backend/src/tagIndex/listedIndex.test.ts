import { mockServices } from '@backstage/backend-test-utils';
import {
  createTestDatabases,
  pushTestImage,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
  startVendorApiReplay,
  TEST_DATABASE_KINDS,
  VendorApiReplay,
} from '@berth/plugin-images-backend-test-utils';
import { Knex } from 'knex';
import { RegistryClient } from '../registry/RegistryClient';
import { RegistryHosts } from '../registry/RegistryHosts';
import { registryFlavor } from '../registry/flavors';
import { RegistryEndpoint } from '../registry/types';
import { TagListings } from '../tagListings/TagListings';
import { TagIndex } from './TagIndex';
import { TagIndexStore } from './TagIndexStore';

// Real PostgreSQL servers on a 2-CPU machine shared with other suites: starting one can take seconds.
jest.setTimeout(30_000);

// The index fed by a product's own tag API: a real CNCF registry (behind a counting proxy) holds the images, and a
// replay of Quay's documented tag API (`/api/v1/repository/{ns}/{name}/tag/`, which cannot run here) lists them with
// their digests and push times, newest first, 100 a page.
describe('TagIndex with a product API listing', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  let quay: VendorApiReplay;
  const databases = createTestDatabases();
  const digests: string[] = [];
  /** The tags Quay's API lists, newest first. */
  let listed: Array<{ name: string; digest: string; start: number }> = [];

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ target: registry.url });
    quay = await startVendorApiReplay();
    const client = new RegistryClient({
      host: registry.host,
      baseUrl: registry.url,
    });
    for (let i = 0; i < 4; i++) {
      await pushTestImage(client, 'acme/web', [`build-${i}`], {
        layer: `web ${i}`,
      });
      digests.push((await client.resolveDigest('acme/web', `build-${i}`))!);
    }
  }, 60_000);
  beforeEach(() => {
    // 250 tags over the four digests, pushed a minute apart: tag n is n minutes old.
    listed = Array.from({ length: 250 }, (_, n) => ({
      name: `build-${n}`,
      digest: digests[n % 4],
      start: 1_780_000_000 - n * 60,
    }));
    quay.route('GET', '/api/v1/repository/acme/web/tag/', url => {
      const page = Number(url.searchParams.get('page'));
      const start = (page - 1) * 100;
      return {
        body: {
          tags: listed.slice(start, start + 100).map(t => ({
            name: t.name,
            manifest_digest: t.digest,
            start_ts: t.start,
            size: 1234,
          })),
          page,
          has_additional: start + 100 < listed.length,
        },
      };
    });
  });
  afterEach(() => {
    proxy.reset();
    quay.reset();
  });
  afterAll(async () => {
    await quay?.stop();
    await proxy?.stop();
    await registry?.stop();
    await databases.stop();
  }, 30_000);

  const endpoint = (
    extra: Partial<RegistryEndpoint> = {},
  ): RegistryEndpoint => ({
    host: 'quay.example',
    baseUrl: proxy.url,
    flavor: registryFlavor('quay.example', 'quay'),
    concurrency: 4,
    api: { url: quay.url, token: 'app-token' },
    ...extra,
  });
  const logger = mockServices.logger.mock();
  const indexOn = (db: Knex, extra?: Partial<RegistryEndpoint>) =>
    new TagIndex({
      store: new TagIndexStore(db),
      registries: new RegistryHosts([endpoint(extra)]),
      listings: new TagListings({ logger }),
      logger,
    });
  const image = { registry: 'quay.example', repository: 'acme/web' };
  const registryRequests = (method: string) =>
    proxy.requests.filter(r => r.method === method);

  describe.each(TEST_DATABASE_KINDS)('on %s', name => {
    it('indexes a page of tags per request with digests and push times, then describes each new digest once', async () => {
      const index = await indexOn(await databases.open(name));
      const repository = await index.ensureListed(image);
      expect(repository).toMatchObject({ tagCount: 250, truncated: false });
      expect(quay.requests).toHaveLength(3);
      // Newest first is right before any digest is described: every tag has its push time and digest.
      const snapshot = await index.snapshot(image);
      expect(snapshot.tags.every(t => t.digest && t.pushedAt)).toBe(true);
      expect(snapshot.byTag.get('build-0')!.pushedAt).toEqual(
        new Date(1_780_000_000_000),
      );
      expect(proxy.requests).toEqual([]);

      await index.complete(image);
      // No HEAD per tag: a manifest and a config GET for each of the four digests.
      expect(registryRequests('HEAD')).toEqual([]);
      expect(registryRequests('GET')).toHaveLength(8);
      expect((await index.snapshot(image)).complete).toBe(true);
    });

    it('re-indexes in proportion to what changed: a newest-first listing stops at the first page it knows', async () => {
      const index = await indexOn(await databases.open(name));
      await index.ensureListed(image);
      quay.requests.length = 0;
      listed.unshift(
        { name: 'build-new-1', digest: digests[1], start: 1_780_000_120 },
        { name: 'build-new-0', digest: digests[0], start: 1_780_000_060 },
      );
      listed[3] = { ...listed[3], digest: digests[2], start: 1_780_000_030 };
      await index.ensureListed(image, 0);
      // The first page holds what changed, the second only what is known: the third page is never asked for.
      expect(quay.requests.map(r => r.path)).toEqual([
        '/api/v1/repository/acme/web/tag/?onlyActiveTags=true&limit=100&page=1',
        '/api/v1/repository/acme/web/tag/?onlyActiveTags=true&limit=100&page=2',
      ]);
      const tags = (await index.snapshot(image)).byTag;
      expect(tags.size).toBe(252);
      expect(tags.get('build-new-1')!.digest).toBe(digests[1]);
      expect(tags.get(listed[3].name)!.digest).toBe(digests[2]);
    });
  });

  it('lists through the Distribution API when the product API refuses, and says why once', async () => {
    quay.route('GET', '/api/v1/repository/acme/web/tag/', () => ({
      status: 401,
      body: { error: 'Unauthorized' },
    }));
    const index = indexOn(await databases.open('SQLite'));
    const repository = await index.ensureListed(image);
    expect(repository.tagCount).toBe(4);
    expect(registryRequests('GET').map(r => r.path)).toEqual([
      '/v2/acme/web/tags/list?n=100',
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'quay.example: the quay API could not list tags (127.0.0.1',
      ),
    );
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain('app-token');
  });

  it('holds background work back within the registry rate budget, says why, and still answers page views', async () => {
    // Docker Hub's pull-limit headers on every answer; with a share of 0, background work may spend none of it.
    proxy.rewriteResponse(
      {},
      () => ({
        headers: {
          'ratelimit-limit': '100;w=21600',
          'ratelimit-remaining': '40;w=21600',
        },
      }),
      Infinity,
    );
    const index = indexOn(await databases.open('SQLite'), {
      api: { listing: 'distribution', backgroundShare: 0 },
    });
    await index.ensureListed(image);
    proxy.requests.length = 0;
    await expect(index.complete(image)).rejects.toMatchObject({
      kind: 'rate-limited',
    });
    expect(proxy.requests).toEqual([]);
    const snapshot = await index.snapshot(image);
    expect(snapshot.heldBack).toMatch(
      /^quay\.example's rate limit leaves 40 of 100 requests until .*: Berth keeps them for page views and promotions/,
    );
    // A page view's environment tag is asked at once.
    const resolved = await index.resolveTags(image, ['build-2'], 0);
    expect(resolved.get('build-2')).toBe(digests[2]);
  });

  it('resolves the tags a page showed undone before the others', async () => {
    const index = indexOn(await databases.open('SQLite'), {
      api: { listing: 'distribution' },
      concurrency: 1,
    });
    await index.ensureListed(image);
    proxy.requests.length = 0;
    index.prioritize(image, { tags: ['build-3', 'build-1'], digests: [] });
    await index.complete(image);
    expect(
      registryRequests('HEAD')
        .slice(0, 2)
        .map(r => r.path),
    ).toEqual([
      '/v2/acme/web/manifests/build-3',
      '/v2/acme/web/manifests/build-1',
    ]);
  });
});
