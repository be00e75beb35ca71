import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { RegistryHosts } from '../registry/RegistryHosts';
import { RegistryClient } from '../registry/RegistryClient';
import {
  pushTestImage,
  RegistryProxy,
  RunningRegistry,
  createTestDatabases,
  TEST_DATABASE_KINDS,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { TagIndex } from './TagIndex';
import { TagIndexStore } from './TagIndexStore';

// The tag index on both databases Backstage runs on: SQLite (in memory) and PostgreSQL (Debian's server, started
// by the test), against a real CNCF registry behind a counting proxy.
describe('TagIndex', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  const databases = createTestDatabases();

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ target: registry.url });
    const client = new RegistryClient({
      host: registry.host,
      baseUrl: registry.url,
    });
    for (let i = 0; i < 3; i++) {
      await pushTestImage(client, 'shop/api', [`v1.${i}.0`, `build-${i}`], {
        layer: `api ${i}`,
      });
    }
    await pushTestImage(client, 'shop/api', ['staging', 'latest'], {
      layer: 'api 3',
    });
  }, 60_000);
  afterEach(() => proxy.reset());
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
    await databases.stop();
  }, 30_000);

  const indexOn = async (db: Knex) => {
    const registries = new RegistryHosts([
      { host: 'ghcr.io', baseUrl: proxy.url, concurrency: 4 },
    ]);
    return new TagIndex({
      store: new TagIndexStore(db),
      registries,
      logger: mockServices.logger.mock(),
    });
  };
  const image = { registry: 'ghcr.io', repository: 'shop/api' };
  const heads = () => proxy.requests.filter(r => r.method === 'HEAD');

  describe.each(TEST_DATABASE_KINDS)('on %s', name => {
    it('lists, resolves and describes each digest once; a second listing keeps what is known', async () => {
      const index = await indexOn(await databases.open(name));
      const repository = await index.ensureListed(image);
      expect(repository.tagCount).toBe(8);
      await index.complete(image);
      const tags = await index.store.getTags(image);
      expect(tags.every(t => t.digest)).toBe(true);
      expect(new Set(tags.map(t => t.digest)).size).toBe(4);
      const manifests = await index.store.getAllManifests(image);
      expect([...manifests.values()].map(m => m.platforms)).toEqual([
        ['linux/amd64'],
        ['linux/amd64'],
        ['linux/amd64'],
        ['linux/amd64'],
      ]);

      proxy.reset();
      await index.ensureListed(image, 0);
      await index.complete(image);
      // Listed again; nothing new to resolve or describe.
      expect(proxy.requests.map(r => r.method)).toEqual(['GET']);
      expect((await index.store.getTags(image)).every(t => t.digest)).toBe(
        true,
      );
    });

    it('answers fresh environment tags from the index, and a missing tag from a fresh listing, without requests', async () => {
      const index = await indexOn(await databases.open(name));
      await index.ensureListed(image);
      const first = await index.resolveTags(image, ['staging', 'latest-dev']);
      expect(first.get('staging')).toMatch(/^sha256:/);
      expect(first.get('latest-dev')).toBeUndefined();
      expect(heads().map(r => r.path)).toEqual([
        '/v2/shop/api/manifests/staging',
      ]);
      proxy.reset();
      const again = await index.resolveTags(image, ['staging', 'latest-dev']);
      expect(again).toEqual(first);
      expect(proxy.requests).toEqual([]);
    });
  });

  it('answers a first view of a paged repository after its first page, and stores the rest as it arrives', async () => {
    const index = await indexOn(await databases.open('SQLite'));
    // Distribution 2.8 does not page: the proxy answers two pages the way ghcr.io does, slowly.
    const page = (tags: string[], link?: string) => ({
      status: 200,
      headers: {
        'content-type': 'application/json',
        ...(link && { link: `<${link}>; rel="next"` }),
      },
      body: JSON.stringify({ name: 'paged/app', tags }),
    });
    proxy.inject(
      { path: '/v2/paged/app/tags/list?n=1000' },
      page(['a', 'b'], '/v2/paged/app/tags/list?last=b&n=1000'),
    );
    proxy.inject({ path: 'last=b' }, page(['c']));
    proxy.setLatency(300);
    try {
      const paged = { registry: 'ghcr.io', repository: 'paged/app' };
      const first = await index.ensureListed(paged, undefined, {
        firstPage: true,
      });
      expect(first).toMatchObject({ partial: true, tagCount: 2 });
      expect((await index.store.getTags(paged)).map(t => t.tag).sort()).toEqual(
        ['a', 'b'],
      );
      const full = await index.ensureListed(paged);
      expect(full).toMatchObject({ tagCount: 3 });
      expect(full.partial).toBeUndefined();
      expect((await index.store.getTags(paged)).map(t => t.tag).sort()).toEqual(
        ['a', 'b', 'c'],
      );
    } finally {
      proxy.setLatency(0);
    }
  });

  it('answers a lapsed environment tag at once with what it was, and resolves it again behind the answer', async () => {
    const client = new RegistryClient({
      host: registry.host,
      baseUrl: registry.url,
    });
    const swr = { registry: 'ghcr.io', repository: 'shop/swr' };
    const first = await pushTestImage(client, 'shop/swr', ['staging'], {
      layer: 'swr one',
    });
    const index = await indexOn(await databases.open('SQLite'));
    expect((await index.resolveTags(swr, ['staging'])).get('staging')).toBe(
      first,
    );
    // CI moves staging; the window (0 ms here) has lapsed, the stale allowance has not.
    const second = await pushTestImage(client, 'shop/swr', ['staging'], {
      layer: 'swr two',
    });
    proxy.reset();
    const stale = await index.resolveTags(swr, ['staging'], 0, {
      staleMs: 60_000,
    });
    expect(stale.get('staging')).toBe(first);
    // The HEAD went out behind the answer; once it is back, the index knows the new digest.
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(heads()).toHaveLength(1);
    expect(
      (await index.resolveTags(swr, ['staging'], 60_000)).get('staging'),
    ).toBe(second);
    // Past the stale allowance, the caller waits for the registry.
    await pushTestImage(client, 'shop/swr', ['staging'], { layer: 'swr one' });
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(
      (await index.resolveTags(swr, ['staging'], 0, { staleMs: 1 })).get(
        'staging',
      ),
    ).toBe(first);
  });

  it('answers a lapsed listing at once and lists again behind the answer', async () => {
    const client = new RegistryClient({
      host: registry.host,
      baseUrl: registry.url,
    });
    const listed = { registry: 'ghcr.io', repository: 'shop/relist' };
    await pushTestImage(client, 'shop/relist', ['v1'], { layer: 'relist 1' });
    const index = await indexOn(await databases.open('SQLite'));
    expect((await index.ensureListed(listed)).tagCount).toBe(1);
    await pushTestImage(client, 'shop/relist', ['v2'], { layer: 'relist 2' });
    // Lapsed (0 ms window) within the stale allowance: the known listing, at once.
    const stale = await index.ensureListed(listed, 0, { staleMs: 60_000 });
    expect(stale.tagCount).toBe(1);
    // The relisting went on behind it.
    await new Promise(resolve => setTimeout(resolve, 300));
    expect((await index.store.getTags(listed)).map(t => t.tag).sort()).toEqual([
      'v1',
      'v2',
    ]);
    // Without the allowance, the caller waits for the registry.
    await pushTestImage(client, 'shop/relist', ['v3'], { layer: 'relist 3' });
    expect((await index.ensureListed(listed, 0)).tagCount).toBe(3);
  });

  it('lets one of two replicas sharing PostgreSQL complete a repository, not both', async () => {
    const db = await databases.open('PostgreSQL');
    const [one, two] = [await indexOn(db), await indexOn(db)];
    await one.ensureListed(image);
    proxy.reset();
    await Promise.all([one.complete(image), two.complete(image)]);
    // Eight tags, each resolved by exactly one replica.
    expect(heads()).toHaveLength(8);
    expect((await one.store.getTags(image)).every(t => t.digest)).toBe(true);
  });

  it('keeps the snapshots of the repositories used last, and reads the others again from the database', async () => {
    const db = await databases.open('SQLite');
    const store = new TagIndexStore(db);
    const index = new TagIndex({
      store,
      registries: new RegistryHosts([{ host: 'ghcr.io', baseUrl: proxy.url }]),
      logger: mockServices.logger.mock(),
      options: { snapshotsKept: 2, snapshotMaxAgeMs: 60_000 },
    });
    const reads = jest.spyOn(store, 'getTags');
    const repository = (name: string) => ({
      registry: 'ghcr.io',
      repository: name,
    });
    const first = await index.snapshot(repository('shop/a'));
    await index.snapshot(repository('shop/b'));
    // Used again: shop/a is now the most recent, shop/b the one to go.
    expect(await index.snapshot(repository('shop/a'))).toBe(first);
    await index.snapshot(repository('shop/c'));
    expect(reads).toHaveBeenCalledTimes(3);
    expect(await index.snapshot(repository('shop/a'))).toBe(first);
    expect(reads).toHaveBeenCalledTimes(3);
    await index.snapshot(repository('shop/b'));
    expect(reads).toHaveBeenCalledTimes(4);
  });
});
