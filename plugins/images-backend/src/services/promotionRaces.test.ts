import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { RegistryClient } from '../registry';
import {
  createTestDatabases,
  pushTestImage,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
  TEST_DATABASE_KINDS,
} from '../testUtils';
import { promotionBackends } from './__testUtils__/promotionBackends';

// Many promotions of one environment at once, through the HTTP API: on one backend (one process, one pool) and
// split across two backends with their own pools on one PostgreSQL database. A real CNCF registry stands in for
// ghcr.io behind a proxy; the audit trail and the locks are in the backends' database.
describe('Concurrent promotions', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  let direct: RegistryClient;
  const databases = createTestDatabases();
  const clients: Knex[] = [];
  const backends = promotionBackends(() => proxy.url);
  const environments = [
    { name: 'staging', tag: 'staging', alsoTag: ['staging-latest'] },
    { name: 'production', tag: 'latest', protected: true },
  ];

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ target: registry.url });
    direct = new RegistryClient({ host: registry.host, baseUrl: registry.url });
  }, 60_000);
  afterEach(() => backends.stopAll());
  afterAll(async () => {
    await Promise.all(clients.map(c => c.destroy()));
    await databases.stop();
    await proxy?.stop();
    await registry?.stop();
  }, 30_000);

  /** A repository whose staging runs `live`, with eight other builds to promote. */
  async function seed(repository: string) {
    const live = await pushTestImage(
      direct,
      repository,
      ['staging', 'staging-latest'],
      { layer: `${repository} live` },
    );
    const builds: string[] = [];
    for (let i = 1; i <= 8; i++) {
      builds.push(
        await pushTestImage(direct, repository, [`build-${i}`], {
          layer: `${repository} build ${i}`,
        }),
      );
    }
    return { live, builds };
  }

  /** Sends eight moves of staging at once, round robin over the servers; the last one is a rollback. */
  async function race(
    servers: Array<Parameters<typeof request>[0]>,
    live: string,
    base: string,
  ) {
    return Promise.all(
      Array.from({ length: 8 }, (_, i) => {
        const server = servers[i % servers.length];
        return i === 7
          ? request(server).post(`${base}/rollbacks`).send({
              environment: 'staging',
              target: 'build-8',
              reason: 'Roll back at the same time',
              expectedCurrentDigest: live,
            })
          : request(server)
              .post(`${base}/promotions`)
              .send({
                environment: 'staging',
                source: `build-${i + 1}`,
                reason: `Request ${i + 1}`,
                expectedCurrentDigest: live,
              });
      }),
    );
  }

  /** What must hold after a race: one winner, the rest 409, one rollback tag, every tag on one digest, 8 records. */
  async function expectOneMove(
    repository: string,
    responses: request.Response[],
    live: string,
    history: request.Response,
  ) {
    const statuses = responses.map(r => r.status);
    expect(statuses.filter(s => s === 200)).toHaveLength(1);
    expect(statuses.filter(s => s === 409)).toHaveLength(7);
    const winner = responses.find(r => r.status === 200)!.body.promotion;
    expect(winner).toMatchObject({ status: 'succeeded', previousDigest: live });
    for (const loser of responses.filter(r => r.status === 409)) {
      expect(loser.body.error.name).toBe('ConflictError');
    }
    const tags = (await direct.listTags(repository)).tags;
    const rollbackTags = tags.filter(t => t.startsWith('rollback-'));
    expect(rollbackTags).toEqual([winner.rollbackTag]);
    expect(await direct.resolveDigest(repository, winner.rollbackTag)).toBe(
      live,
    );
    for (const tag of ['staging', 'staging-latest']) {
      expect(await direct.resolveDigest(repository, tag)).toBe(
        winner.sourceDigest,
      );
    }
    const items: Array<{ id: string; status: string; error?: string }> =
      history.body.items;
    expect(items).toHaveLength(8);
    expect(items.filter(i => i.status === 'succeeded')).toEqual([
      expect.objectContaining({ id: winner.id }),
    ]);
    const failed = items.filter(i => i.status === 'failed');
    expect(failed).toHaveLength(7);
    for (const attempt of failed) {
      expect(attempt.error).toMatch(
        /moved to .* since .* was seen|Another promotion of .* is running/,
      );
    }
  }

  it.each(TEST_DATABASE_KINDS)(
    'lets one of eight simultaneous moves on one backend (%s) win; the other seven answer 409 and write nothing',
    async kind => {
      const repository = `acme/race-${kind.toLowerCase()}`;
      const { live } = await seed(repository);
      const database = await databases.open(kind);
      const server = await backends.start({
        image: `ghcr.io/${repository}`,
        environments,
        database,
      });
      const base = '/api/images/entities/component/default/shop';
      const responses = await race([server], live, base);
      const history = await request(server).get(`${base}/promotions`);
      await expectOneMove(repository, responses, live, history);
    },
  );

  it('lets one of eight simultaneous moves split across two backends sharing PostgreSQL win', async () => {
    const repository = 'acme/race-replicas';
    const { live } = await seed(repository);
    const first = await databases.open('PostgreSQL');
    // The second replica has its own connection pool to the same database.
    const second = knexFactory({
      client: 'pg',
      connection: first.client.config.connection,
      pool: { min: 0, max: 5 },
    });
    clients.push(second);
    const servers = [
      await backends.start({
        image: `ghcr.io/${repository}`,
        environments,
        database: first,
      }),
      await backends.start({
        image: `ghcr.io/${repository}`,
        environments,
        database: second,
      }),
    ];
    const base = '/api/images/entities/component/default/shop';
    const responses = await race(servers, live, base);
    const history = await request(servers[1]).get(`${base}/promotions`);
    await expectOneMove(repository, responses, live, history);
  });
});
