import {
  createTestDatabases,
  pushTestIndex,
  RecordedRequest,
  RegistryProxy,
  roundTripLevels,
  RunningRegistry,
  sequentialRoundTrips,
  startRegistry,
  startRegistryProxy,
  startTokenServer,
} from '@berth/plugin-images-backend-test-utils';
import { RegistryClient } from '../registry/RegistryClient';
import { RegistryHosts } from '../registry/RegistryHosts';
import { Promoter } from './Promoter';
import { PromotionRequest } from './PromotionPlanner';
import { PromotionLocks } from './PromotionLocks';
import { PromotionStore } from './PromotionStore';

// Every request is held this long by the proxy, so that requests sent together are in flight together and each
// round trip shows in the recorded times. The assertions are on order and overlap, not on durations.
const HOLD_MS = 100;

const production = { name: 'production', tag: 'latest', alsoTag: ['main'] };

// The round trips of a same-repository promotion (issue 13: at most five in a row), recorded by a proxy in front of
// a real CNCF registry.
describe('same-repository promotion round trips', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  let direct: RegistryClient;
  let promoter: Promoter;
  const databases = createTestDatabases();

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({
      target: registry.url,
      latencyMs: HOLD_MS,
    });
    direct = new RegistryClient({ host: registry.host, baseUrl: registry.url });
    const db = await databases.open('SQLite');
    promoter = new Promoter({
      registries: new RegistryHosts([
        { host: 'ghcr.io', baseUrl: proxy.url, retryBaseDelayMs: 10 },
      ]),
      store: new PromotionStore(db),
      locks: new PromotionLocks(db),
    });
  }, 60_000);
  afterEach(() => proxy.reset());
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
    await databases.stop();
  }, 30_000);

  /** A repository whose production runs one image, and a staging build to promote, pinned as the API pins it. */
  const seed = async (repository: string): Promise<PromotionRequest> => {
    const live = await pushTestIndex(direct, repository, ['latest', 'main'], {
      layerPrefix: `${repository} live`,
    });
    const candidate = await pushTestIndex(direct, repository, ['staging'], {
      layerPrefix: `${repository} new`,
    });
    proxy.reset();
    return {
      entityRef: 'component:default/dotca',
      image: { registry: 'ghcr.io', repository },
      environment: production,
      source: 'staging',
      sourceDigest: candidate,
      expectedCurrentDigest: live,
      reason: 'Checkout fix',
      requestedBy: 'user:default/ada',
      extraTags: ['main-{sourceTag}'],
    };
  };

  const describeRequest = (r: RecordedRequest) =>
    `${r.method} ${decodeURIComponent(
      r.path.split('/manifests/')[1] ?? r.path,
    )}`;
  const sorted = (levels: string[][]) => levels.map(level => [...level].sort());
  const puts = (tag: string) =>
    proxy.requests.filter(
      r => r.method === 'PUT' && r.path.endsWith(`/manifests/${tag}`),
    );

  it('takes four round trips when the PUT answers confirm the digests: resolve, read, rollback tag, tags', async () => {
    const request = await seed('shop/round-trips');
    const record = await promoter.promote(request);
    expect(record.status).toBe('succeeded');
    const rollbackTag = record.rollbackTag!;
    const { requests } = proxy;

    const levels = roundTripLevels(requests).map(level =>
      level.map(describeRequest).sort(),
    );
    expect(levels).toEqual(
      sorted([
        [
          `HEAD ${request.sourceDigest}`,
          'HEAD latest',
          'HEAD main',
          'HEAD main-staging',
        ],
        [`GET ${record.previousDigest}`, `GET ${request.sourceDigest}`],
        [`PUT ${rollbackTag}`],
        ['PUT latest', 'PUT main', 'PUT main-staging'],
      ]),
    );
    expect(sequentialRoundTrips(requests)).toBeLessThanOrEqual(5);

    // The rollback tag is written before the environment moves; the environment's tags are written together.
    const [rollbackPut] = puts(rollbackTag);
    const tagPuts = ['latest', 'main', 'main-staging'].flatMap(puts);
    for (const put of tagPuts) {
      expect(put.startedAt).toBeGreaterThanOrEqual(rollbackPut.finishedAt!);
    }
    expect(Math.max(...tagPuts.map(r => r.startedAt))).toBeLessThan(
      Math.min(...tagPuts.map(r => r.finishedAt!)),
    );
    // The PUT answers carried Docker-Content-Digest: no HEAD reads anything back.
    const firstPut = Math.min(
      ...[rollbackPut, ...tagPuts].map(r => r.startedAt),
    );
    expect(
      requests.filter(r => r.method === 'HEAD' && r.startedAt >= firstPut),
    ).toEqual([]);

    for (const tag of ['latest', 'main', 'main-staging']) {
      expect(await direct.resolveDigest('shop/round-trips', tag)).toBe(
        request.sourceDigest,
      );
    }
    expect(await direct.resolveDigest('shop/round-trips', rollbackTag)).toBe(
      record.previousDigest,
    );
  });

  it('reads the tags back with one HEAD each when the PUT answers leave out Docker-Content-Digest, still within five', async () => {
    const request = await seed('shop/no-digest');
    proxy.rewriteResponse(
      { method: 'PUT', path: '/manifests/' },
      head => {
        delete head.headers['docker-content-digest'];
      },
      Infinity,
    );
    const record = await promoter.promote(request);
    expect(record.status).toBe('succeeded');
    const rollbackTag = record.rollbackTag!;

    const levels = roundTripLevels(proxy.requests).map(level =>
      level.map(describeRequest).sort(),
    );
    expect(levels.slice(2)).toEqual(
      sorted([
        [`PUT ${rollbackTag}`],
        ['PUT latest', 'PUT main', 'PUT main-staging'],
        [
          'HEAD latest',
          'HEAD main',
          'HEAD main-staging',
          `HEAD ${rollbackTag}`,
        ],
      ]),
    );
    expect(sequentialRoundTrips(proxy.requests)).toBe(5);
    expect(
      Math.min(...puts('latest').map(r => r.startedAt)),
    ).toBeGreaterThanOrEqual(puts(rollbackTag)[0].finishedAt!);
  });

  it('fails, recording why, when a tag read back points elsewhere', async () => {
    const request = await seed('shop/read-back');
    const elsewhere = `sha256:${'e'.repeat(64)}`;
    proxy.rewriteResponse(
      { method: 'PUT', path: '/manifests/' },
      head => {
        delete head.headers['docker-content-digest'];
      },
      Infinity,
    );
    // Only the read after the write (the plan's HEAD of latest comes first) sees another digest.
    proxy.rewriteResponse(
      { method: 'HEAD', path: '/manifests/latest' },
      head => {
        if (puts('latest').length > 0) {
          head.headers['docker-content-digest'] = elsewhere;
        }
      },
      Infinity,
    );
    const error = await promoter.promote(request).catch(e => e);
    expect(error.message).toBe(
      `ghcr.io/shop/read-back:latest points at ${elsewhere} after it was written, not ${request.sourceDigest}`,
    );
    const [failed] = await promoter.store.list('component:default/dotca');
    expect(failed).toMatchObject({ status: 'failed', error: error.message });
    expect(failed.progress.rollbackTagWritten).toBe(true);
  });
});

// With token auth, a token for a read does not let Berth write: the promotion asks for the write's scopes from its
// first request, so one token exchange serves it (not one more before the first write).
describe('same-repository promotion with token auth', () => {
  it('takes one token for the whole promotion', async () => {
    const tokens = await startTokenServer({ users: { ci: 'ci-password' } });
    const registry = await startRegistry({
      extraConfig: tokens.registryAuthConfig,
    });
    const proxy = await startRegistryProxy({ target: registry.url });
    const databases = createTestDatabases();
    try {
      const credentials = {
        getCredentials: async () => ({
          username: 'ci',
          password: 'ci-password',
        }),
      };
      const direct = RegistryClient.forEndpoint({
        host: registry.host,
        baseUrl: registry.url,
        credentials,
        authOrigins: [tokens.url],
      });
      const live = await pushTestIndex(direct, 'shop/tokens', ['latest'], {
        layerPrefix: 'tokens live',
      });
      const candidate = await pushTestIndex(direct, 'shop/tokens', ['rc'], {
        layerPrefix: 'tokens new',
      });
      const db = await databases.open('SQLite');
      const promoter = new Promoter({
        registries: new RegistryHosts([
          {
            host: 'ghcr.io',
            baseUrl: proxy.url,
            credentials,
            authOrigins: [tokens.url],
          },
        ]),
        store: new PromotionStore(db),
        locks: new PromotionLocks(db),
      });
      tokens.reset();
      const record = await promoter.promote({
        entityRef: 'component:default/dotca',
        image: { registry: 'ghcr.io', repository: 'shop/tokens' },
        environment: { name: 'production', tag: 'latest' },
        source: 'rc',
        sourceDigest: candidate,
        expectedCurrentDigest: live,
        reason: 'Token check',
        requestedBy: 'user:default/ada',
      });
      expect(record.status).toBe('succeeded');
      expect(tokens.requests.map(r => r.scopes)).toEqual([
        ['repository:shop/tokens:pull,push'],
      ]);
      expect(await direct.resolveDigest('shop/tokens', 'latest')).toBe(
        candidate,
      );
    } finally {
      await proxy.stop();
      await registry.stop();
      await tokens.stop();
      await databases.stop();
    }
  }, 60_000);
});
