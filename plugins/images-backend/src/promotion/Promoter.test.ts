import { Knex } from 'knex';
import { RegistryClient } from '../registry/RegistryClient';
import { RegistryHosts } from '../registry/RegistryHosts';
import {
  pushTestImage,
  pushTestIndex,
  RegistryProxy,
  RunningRegistry,
  createTestDatabases,
  TEST_DATABASE_KINDS,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { Promoter } from './Promoter';
import { PromotionRequest, rollbackTagName } from './PromotionPlanner';
import { PromotionLocks } from './PromotionLocks';
import { PromotionRecord, PromotionStore } from './PromotionStore';

const production = {
  name: 'production',
  tag: 'latest',
  alsoTag: ['main'],
  protected: true,
};

// Promotions against a real CNCF registry behind a counting, fault-injecting proxy, with the audit trail and the
// locks on SQLite and on PostgreSQL (Debian's server, started by the test).
describe('Promoter', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  let direct: RegistryClient;
  const databases = createTestDatabases();

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ target: registry.url });
    direct = new RegistryClient({ host: registry.host, baseUrl: registry.url });
  }, 60_000);
  afterEach(() => proxy.reset());
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
    await databases.stop();
  }, 30_000);

  const promoterOn = async (db: Knex, maxAttempts = 4, now?: () => Date) => {
    const store = new PromotionStore(db);
    const registries = new RegistryHosts([
      {
        host: 'ghcr.io',
        baseUrl: proxy.url,
        maxAttempts,
        retryBaseDelayMs: 10,
      },
    ]);
    return {
      promoter: new Promoter({
        registries,
        store,
        locks: new PromotionLocks(db),
        now,
      }),
      store,
    };
  };

  /** A repository with a production image and a newer staging build. */
  const seed = async (repository: string) => {
    const live = await pushTestIndex(
      direct,
      repository,
      ['latest', 'main', 'v1.0.0'],
      { layerPrefix: `${repository} live` },
    );
    const candidate = await pushTestIndex(
      direct,
      repository,
      ['staging', 'v1.1.0'],
      { layerPrefix: `${repository} new` },
    );
    return { live, candidate };
  };

  const request = (
    repository: string,
    extra: Partial<PromotionRequest> = {},
  ): PromotionRequest => ({
    entityRef: 'component:default/dotca',
    image: { registry: 'ghcr.io', repository },
    environment: production,
    source: 'staging',
    reason: 'Checkout fix',
    requestedBy: 'user:default/ada',
    extraTags: ['main-{sourceTag}'],
    ...extra,
  });

  const tagsOf = async (repository: string) =>
    (await direct.listTags(repository)).tags.sort();

  describe.each(TEST_DATABASE_KINDS)('on %s', database => {
    it('moves the environment tag, its alsoTags and extra tags to the source digest, keeping a rollback tag', async () => {
      const repository = `shop/${database.toLowerCase()}-promote`;
      const { live, candidate } = await seed(repository);
      const { promoter, store } = await promoterOn(
        await databases.open(database),
      );
      const record = await promoter.promote(
        request(repository, { expectedCurrentDigest: live }),
      );

      expect(record).toMatchObject({
        status: 'succeeded',
        sourceDigest: candidate,
        previousDigest: live,
        tags: ['latest', 'main', 'main-staging'],
        requestedBy: 'user:default/ada',
        reason: 'Checkout fix',
      });
      expect(record.rollbackTag).toBe(
        rollbackTagName(record.createdAt, 'production', 'Checkout fix'),
      );
      for (const tag of ['latest', 'main', 'main-staging']) {
        expect(await direct.resolveDigest(repository, tag)).toBe(candidate);
      }
      expect(await direct.resolveDigest(repository, record.rollbackTag!)).toBe(
        live,
      );
      // Within one repository only manifests move: the plan's HEADs (the source, each tag), a GET of each manifest
      // (the rollback tag's, the source's) and a PUT per tag; the registry's PUT answers verify the tags.
      expect(proxy.requests.filter(r => r.path.includes('/blobs/'))).toEqual(
        [],
      );
      const count = (method: string) =>
        proxy.requests.filter(r => r.method === method).length;
      expect([count('HEAD'), count('GET'), count('PUT')]).toEqual([4, 2, 4]);
      expect(proxy.requests).toHaveLength(10);
      expect((await store.list('component:default/dotca'))[0].id).toBe(
        record.id,
      );
    });

    it('refuses a stale promotion (the environment moved since it was seen) and writes nothing', async () => {
      const repository = `shop/${database.toLowerCase()}-stale`;
      const { live } = await seed(repository);
      const { promoter, store } = await promoterOn(
        await databases.open(database),
      );
      const before = await tagsOf(repository);
      await expect(
        promoter.promote(
          request(repository, {
            expectedCurrentDigest: `sha256:${'0'.repeat(64)}`,
          }),
        ),
      ).rejects.toThrow(
        `production of ghcr.io/${repository} moved to ${live} since sha256:${'0'.repeat(
          64,
        )} was seen`,
      );
      expect(await tagsOf(repository)).toEqual(before);
      const [failed] = await store.list('component:default/dotca');
      expect(failed).toMatchObject({
        status: 'failed',
        environment: 'production',
      });
      expect(failed.error).toContain('moved to');
    });

    it('finishes a promotion cut off between the rollback tag and the environment tag, without a second rollback tag', async () => {
      const repository = `shop/${database.toLowerCase()}-crash`;
      const { live, candidate } = await seed(repository);
      // Retries as usual (a registry's passing 500 is retried); the injected 503 never ends.
      const { promoter, store } = await promoterOn(
        await databases.open(database),
      );
      proxy.inject(
        { method: 'PUT', path: `/v2/${repository}/manifests/latest` },
        { status: 503, times: Infinity },
      );
      const first = request(repository, { expectedCurrentDigest: live });
      await expect(promoter.promote(first)).rejects.toThrow('answered 503');
      const [failed] = await store.list('component:default/dotca');
      expect(failed.status).toBe('failed');
      expect(failed.progress.rollbackTagWritten).toBe(true);
      expect(await direct.resolveDigest(repository, 'latest')).toBe(live);

      proxy.reset();
      // The same promotion asked again, by someone else, finishes the first attempt's work as a new attempt.
      const finished = await promoter.promote({
        ...first,
        requestedBy: 'user:default/grace',
      });
      expect(finished).toMatchObject({
        status: 'succeeded',
        resumedFrom: failed.id,
        requestedBy: 'user:default/grace',
        rollbackTag: failed.rollbackTag,
        previousDigest: live,
      });
      const history = await store.list('component:default/dotca');
      expect(history.map(r => [r.id, r.status, r.requestedBy])).toEqual([
        [finished.id, 'succeeded', 'user:default/grace'],
        [failed.id, 'failed', 'user:default/ada'],
      ]);
      expect(history[1].supersededBy).toBe(finished.id);
      expect(await direct.resolveDigest(repository, 'latest')).toBe(candidate);
      const rollbackTags = (await tagsOf(repository)).filter(t =>
        t.startsWith('rollback-'),
      );
      expect(rollbackTags).toEqual([failed.rollbackTag]);
      expect(await direct.resolveDigest(repository, failed.rollbackTag!)).toBe(
        live,
      );
      // Finished once: a later retry starts afresh (nothing to finish) and changes nothing more.
      const again = await promoter.promote({
        ...first,
        expectedCurrentDigest: candidate,
      });
      expect(again.resumedFrom).toBeUndefined();
      expect(
        (await tagsOf(repository)).filter(t => t.startsWith('rollback-')),
      ).toEqual([failed.rollbackTag]);
    });
  });

  it('starts over rather than finish an attempt the environment has moved on from', async () => {
    const repository = 'shop/moved-on';
    const { live, candidate } = await seed(repository);
    const { promoter, store } = await promoterOn(
      await databases.open('SQLite'),
    );
    proxy.inject(
      { method: 'PUT', path: `/v2/${repository}/manifests/latest` },
      { status: 503, times: Infinity },
    );
    await expect(promoter.promote(request(repository))).rejects.toThrow(
      'answered 503',
    );
    proxy.reset();
    // CI pushed another image to latest meanwhile.
    const pushed = await pushTestImage(direct, repository, ['latest'], {
      layer: 'pushed meanwhile',
    });
    const retried = await promoter.promote(request(repository));
    const records = await store.list('component:default/dotca');
    expect(records.map(r => r.status)).toEqual(['succeeded', 'failed']);
    expect(retried.id).toBe(records[0].id);
    // The new attempt keeps a rollback tag for what latest ran when it started.
    expect(retried.previousDigest).toBe(pushed);
    expect(await direct.resolveDigest(repository, retried.rollbackTag!)).toBe(
      pushed,
    );
    expect(await direct.resolveDigest(repository, 'latest')).toBe(candidate);
    expect(live).not.toBe(pushed);
  });

  it('never writes the same rollback tag twice, within one second and across environments', async () => {
    const repository = 'shop/same-second';
    const { live, candidate } = await seed(repository);
    const hotfix = await pushTestImage(direct, repository, ['hotfix'], {
      layer: 'same second hotfix',
    });
    const second = new Date('2026-11-22T14:30:05Z');
    const { promoter } = await promoterOn(
      await databases.open('SQLite'),
      4,
      () => second,
    );
    const first = await promoter.promote(request(repository));
    const again = await promoter.promote(
      request(repository, { source: 'hotfix' }),
    );
    const staging = await promoter.promote(
      request(repository, {
        environment: { name: 'staging', tag: 'staging' },
        source: 'hotfix',
        extraTags: [],
      }),
    );
    expect([first, again, staging].map(r => r.rollbackTag)).toEqual([
      'rollback-20261122-143005-production-checkout-fix',
      'rollback-20261122-143005-production-checkout-fix-2',
      'rollback-20261122-143005-staging-checkout-fix',
    ]);
    // Each keeps the image its environment ran before.
    expect(await direct.resolveDigest(repository, first.rollbackTag!)).toBe(
      live,
    );
    expect(await direct.resolveDigest(repository, again.rollbackTag!)).toBe(
      candidate,
    );
    expect(await direct.resolveDigest(repository, staging.rollbackTag!)).toBe(
      candidate,
    );
    expect(await direct.resolveDigest(repository, 'latest')).toBe(hotfix);
  });

  it('records an attempt whose backend stopped before it wrote anything as interrupted, not running', async () => {
    const repository = 'shop/interrupted';
    await seed(repository);
    const { promoter, store } = await promoterOn(
      await databases.open('SQLite'),
    );
    const dead: PromotionRecord = {
      id: 'dead-attempt',
      entityRef: 'component:default/dotca',
      image: `ghcr.io/${repository}`,
      environment: 'production',
      kind: 'promotion',
      status: 'running',
      requestedBy: 'user:default/ada',
      reason: 'Its backend died',
      source: 'staging',
      tags: [],
      progress: {},
      gates: [],
      forced: false,
      createdAt: new Date(Date.now() - 10 * 60_000),
    };
    await store.insert(dead);
    await promoter.promote(request(repository));
    expect(await store.get('dead-attempt')).toMatchObject({
      status: 'failed',
      error:
        'Interrupted: the backend running it stopped before it finished; promote again to finish it',
    });
  });

  it('plans without writing anything (dry run)', async () => {
    const repository = 'shop/dry-run';
    const { live, candidate } = await seed(repository);
    const { promoter } = await promoterOn(await databases.open('SQLite'));
    const before = await tagsOf(repository);
    proxy.reset();
    const plan = await promoter.plan(request(repository), {
      createdAt: new Date('2026-11-22T14:30:05Z'),
    });
    expect(plan).toEqual({
      image: `ghcr.io/${repository}`,
      environment: 'production',
      sourceDigest: candidate,
      currentDigest: live,
      rollbackTag: 'rollback-20261122-143005-production-checkout-fix',
      tags: ['latest', 'main', 'main-staging'],
      noChange: false,
      gates: [],
      needsApproval: true,
    });
    expect(proxy.requests.every(r => r.method === 'HEAD')).toBe(true);
    expect(await tagsOf(repository)).toEqual(before);
  });

  it('lets one of two replicas sharing PostgreSQL move an environment; the other gets a conflict', async () => {
    const repository = 'shop/race';
    const { live } = await seed(repository);
    const hotfix = await pushTestImage(direct, repository, ['hotfix'], {
      layer: 'hotfix',
    });
    const db = await databases.open('PostgreSQL');
    const [one, two] = [await promoterOn(db), await promoterOn(db)];
    const results = await Promise.allSettled([
      one.promoter.promote(
        request(repository, { expectedCurrentDigest: live }),
      ),
      two.promoter.promote(
        request(repository, { expectedCurrentDigest: live, source: 'hotfix' }),
      ),
    ]);
    const won = results.filter(r => r.status === 'fulfilled');
    const lost = results.filter(
      (r): r is PromiseRejectedResult => r.status === 'rejected',
    );
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason.name).toBe('ConflictError');
    const winner = (won[0] as PromiseFulfilledResult<{ sourceDigest?: string }>)
      .value;
    expect(await direct.resolveDigest(repository, 'latest')).toBe(
      winner.sourceDigest,
    );
    expect([
      hotfix,
      (await direct.resolveDigest(repository, 'staging'))!,
    ]).toContain(winner.sourceDigest);
    const rollbackTags = (await tagsOf(repository)).filter(t =>
      t.startsWith('rollback-'),
    );
    expect(rollbackTags).toHaveLength(1);
  });

  it('lets one of two approvers on two replicas sharing PostgreSQL run a pending promotion', async () => {
    const repository = 'shop/approval-race';
    const { live, candidate } = await seed(repository);
    const db = await databases.open('PostgreSQL');
    const [one, two] = [await promoterOn(db), await promoterOn(db)];
    const asked = request(repository, { requestedBy: 'user:default/ada' });
    const plan = await one.promoter.plan(asked);
    const pending = await one.promoter.requestApproval(
      { ...asked, sourceDigest: plan.sourceDigest },
      plan,
    );
    expect(pending).toMatchObject({
      status: 'pending-approval',
      sourceDigest: candidate,
      previousDigest: live,
    });
    expect(await direct.resolveDigest(repository, 'latest')).toBe(live);

    const results = await Promise.allSettled([
      one.promoter.approve(pending, asked, { decidedBy: 'user:default/grace' }),
      two.promoter.approve(pending, asked, { decidedBy: 'user:default/linus' }),
    ]);
    const won = results.filter(
      (r): r is PromiseFulfilledResult<PromotionRecord> =>
        r.status === 'fulfilled',
    );
    const lost = results.filter(
      (r): r is PromiseRejectedResult => r.status === 'rejected',
    );
    expect(won).toHaveLength(1);
    expect(lost[0].reason.message).toBe(
      `The promotion ${pending.id} is not waiting for approval any more: look at the history`,
    );
    expect(won[0].value).toMatchObject({ status: 'succeeded' });
    expect(await direct.resolveDigest(repository, 'latest')).toBe(candidate);
    expect(
      (await tagsOf(repository)).filter(t => t.startsWith('rollback-')),
    ).toHaveLength(1);
  });

  it('refuses an approval when the environment moved since the promotion was asked for', async () => {
    const repository = 'shop/approval-stale';
    const { candidate } = await seed(repository);
    const { promoter, store } = await promoterOn(
      await databases.open('SQLite'),
    );
    const asked = request(repository);
    const plan = await promoter.plan(asked);
    const pending = await promoter.requestApproval(
      { ...asked, sourceDigest: plan.sourceDigest },
      plan,
    );
    const moved = await pushTestImage(direct, repository, ['latest'], {
      layer: 'pushed by CI meanwhile',
    });
    const error = await promoter
      .approve(pending, asked, { decidedBy: 'user:default/grace' })
      .catch(e => e);
    expect(error.name).toBe('ConflictError');
    expect(error.message).toContain(`moved to ${moved}`);
    expect(await direct.resolveDigest(repository, 'latest')).toBe(moved);
    expect(await store.get(pending.id)).toMatchObject({
      status: 'failed',
      decidedBy: 'user:default/grace',
    });
    expect(candidate).not.toBe(moved);
  });

  it('shows an immutable tag clearly, and records the failure', async () => {
    const repository = 'shop/immutable';
    const { live } = await seed(repository);
    const { promoter, store } = await promoterOn(
      await databases.open('SQLite'),
    );
    proxy.inject(
      { method: 'PUT', path: `/v2/${repository}/manifests/latest` },
      {
        status: 400,
        headers: { 'content-type': 'application/json' },
        body: '{"errors":[{"code":"TAG_INVALID","message":"The tag latest is immutable"}]}',
      },
    );
    const error = await promoter
      .promote(request(repository, { expectedCurrentDigest: live }))
      .catch(e => e);
    expect(error.kind).toBe('immutable-tag');
    expect(error.message).toBe(
      `ghcr.io refused to change ${repository}:latest: the tag is immutable there (TAG_INVALID: The tag latest is immutable)`,
    );
    const [failed] = await store.list('component:default/dotca');
    expect(failed.error).toBe(error.message);
  });
});
