import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Knex } from 'knex';
import { RegistryClient } from '../registry/RegistryClient';
import { RegistryHosts } from '../registry/RegistryHosts';
import {
  createTestDatabases,
  pushTestImage,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { ReplicaJob } from './__testUtils__/promotionReplica';
import { Promoter } from './Promoter';
import { PromotionRequest } from './PromotionPlanner';
import { PromotionLocks } from './PromotionLocks';
import { PromotionStore } from './PromotionStore';

const LEASE_MS = 1000;
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

// Promotions into an environment kept in another registry (blobs streamed), slowed by the fault proxy far past the
// lock's lease, on PostgreSQL: the lock is renewed while the copy runs; a backend killed mid-promotion (a process of
// its own, SIGKILL) leaves a lock that expires, and a retry finishes its work.
describe('A promotion longer than its lock lease', () => {
  let sourceRegistry: RunningRegistry;
  let targetRegistry: RunningRegistry;
  let sourceProxy: RegistryProxy;
  let targetProxy: RegistryProxy;
  let direct: RegistryClient;
  let far: RegistryClient;
  let db: Knex;
  const databases = createTestDatabases();
  const replicas: ChildProcess[] = [];

  beforeAll(async () => {
    [sourceRegistry, targetRegistry] = await Promise.all([
      startRegistry(),
      startRegistry(),
    ]);
    sourceProxy = await startRegistryProxy({ target: sourceRegistry.url });
    targetProxy = await startRegistryProxy({ target: targetRegistry.url });
    direct = new RegistryClient({
      host: sourceRegistry.host,
      baseUrl: sourceRegistry.url,
    });
    far = new RegistryClient({
      host: targetRegistry.host,
      baseUrl: targetRegistry.url,
    });
    db = await databases.open('PostgreSQL');
  }, 60_000);
  afterEach(() => {
    sourceProxy.reset();
    targetProxy.reset();
    for (const replica of replicas.splice(0)) replica.kill('SIGKILL');
  });
  afterAll(async () => {
    await databases.stop();
    await Promise.all([sourceProxy?.stop(), targetProxy?.stop()]);
    await Promise.all([sourceRegistry?.stop(), targetRegistry?.stop()]);
  }, 30_000);

  const endpoints = () => [
    { host: 'ghcr.io', baseUrl: sourceProxy.url, maxAttempts: 1 },
    { host: 'registry.prod.example.com', baseUrl: targetProxy.url },
  ];
  const promoter = () =>
    new Promoter({
      registries: new RegistryHosts(endpoints()),
      store: new PromotionStore(db),
      locks: new PromotionLocks(db, { leaseMs: LEASE_MS }),
    });
  const request = (
    repository: string,
    source: string,
    requestedBy = 'user:default/ada',
  ): PromotionRequest => ({
    entityRef: 'component:default/shop',
    image: { registry: 'ghcr.io', repository },
    environment: {
      name: 'production',
      tag: 'latest',
      repository: 'registry.prod.example.com/{repository}',
    },
    source,
    reason: 'Ship it',
    requestedBy,
  });

  /** The environment (in the far registry) runs `live`; two builds wait in the source registry. */
  async function seed(repository: string) {
    const [live, one, two] = [
      await pushTestImage(far, repository, ['latest'], {
        layer: `${repository} live`,
      }),
      await pushTestImage(direct, repository, ['build-1'], {
        layer: `${repository} one`,
      }),
      await pushTestImage(direct, repository, ['build-2'], {
        layer: `${repository} two`,
      }),
    ];
    return { live, one, two };
  }

  it('keeps its lock while the copy runs past the lease; a second request meanwhile gets 409', async () => {
    const repository = 'acme/slow';
    const { live, one } = await seed(repository);
    // Every blob upload into the far registry takes three leases.
    targetProxy.inject(
      { method: 'PUT', path: '/blobs/uploads/' },
      { delayMs: 3 * LEASE_MS, times: Infinity },
    );
    const slow = promoter().promote(request(repository, 'build-1'));
    await sleep(2 * LEASE_MS);
    const second = await promoter()
      .promote(request(repository, 'build-2', 'user:default/grace'))
      .catch(error => error);
    expect(second.name).toBe('ConflictError');
    expect(second.message).toBe(
      `Another promotion of ghcr.io/${repository} to production is running: wait for it, then look again`,
    );
    const done = await slow;
    expect(done).toMatchObject({
      status: 'succeeded',
      sourceDigest: one,
      previousDigest: live,
    });
    expect(await far.resolveDigest(repository, 'latest')).toBe(one);
    expect(
      (await far.listTags(repository)).tags.filter(t =>
        t.startsWith('rollback-'),
      ),
    ).toEqual([done.rollbackTag]);
  }, 60_000);

  it("lets a retry finish the work of an attempt whose backend was killed, once that attempt's lock expires", async () => {
    const repository = 'acme/killed';
    const { live, one } = await seed(repository);
    // The environment's tag write hangs, so the replica is killed after its rollback tag and before the move.
    targetProxy.inject(
      { method: 'PUT', path: `/v2/${repository}/manifests/latest` },
      { delayMs: 120_000 },
    );
    const job: ReplicaJob = {
      connection: db.client.config.connection,
      registries: endpoints(),
      leaseMs: LEASE_MS,
      request: request(repository, 'build-1'),
    };
    // tsx as a loader in this one process (its CLI would run the script in a child that SIGKILL would miss).
    const replica = spawn(
      process.execPath,
      [
        '--import',
        pathToFileURL(require.resolve('tsx')).href,
        join(__dirname, '__testUtils__', 'promotionReplica.ts'),
        JSON.stringify(job),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    replicas.push(replica);
    const hanging = () =>
      targetProxy.requests.some(
        r =>
          r.method === 'PUT' && r.path === `/v2/${repository}/manifests/latest`,
      );
    for (let waited = 0; !hanging(); waited += 100) {
      if (waited > 40_000) throw new Error('The replica never started moving');
      await sleep(100);
    }
    const store = new PromotionStore(db);
    const [killed] = await store.list('component:default/shop');
    expect(killed.progress.rollbackTagWritten).toBe(true);
    replica.kill('SIGKILL');
    await new Promise(resolve => replica.once('exit', resolve));
    expect(killed.status).toBe('running');

    // Its lock is still live for up to a lease: a retry at once is refused, and nothing is written.
    const early = await promoter()
      .promote(request(repository, 'build-1', 'user:default/grace'))
      .catch(error => error);
    expect(early.name).toBe('ConflictError');

    await sleep(LEASE_MS + 200);
    const finished = await promoter().promote(
      request(repository, 'build-1', 'user:default/grace'),
    );
    expect(finished).toMatchObject({
      status: 'succeeded',
      resumedFrom: killed.id,
      requestedBy: 'user:default/grace',
      rollbackTag: killed.rollbackTag,
      previousDigest: live,
    });
    expect(await far.resolveDigest(repository, 'latest')).toBe(one);
    expect(
      (await far.listTags(repository)).tags.filter(t =>
        t.startsWith('rollback-'),
      ),
    ).toEqual([killed.rollbackTag]);
    expect(await store.get(killed.id)).toMatchObject({
      status: 'failed',
      supersededBy: finished.id,
      error: expect.stringContaining('Stopped part way'),
    });
  }, 90_000);
});
