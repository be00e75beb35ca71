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
} from '@berth/plugin-images-backend-test-utils';
import { imagesTestBackends } from '../__testUtils__/testBackends';

// Many promotions of one environment at once, through the HTTP API: on one backend (one process, one pool) and
// split across two backends with their own pools on one PostgreSQL database. A real CNCF registry stands in for
// ghcr.io behind a proxy; the audit trail and the locks are in the backends' database.
describe('Concurrent promotions', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  let direct: RegistryClient;
  const databases = createTestDatabases();
  const clients: Knex[] = [];
  const backends = imagesTestBackends(() => proxy.url);
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

  /** What a race left: the answers, the rollback tags, where each tag points, and the history. */
  async function outcomeOf(
    repository: string,
    responses: request.Response[],
    history: request.Response,
  ) {
    const winner = responses.find(r => r.status === 200)?.body.promotion;
    const items: Array<{ id: string; status: string; error?: string }> =
      history.body.items;
    return {
      statuses: responses.map(r => r.status).sort(),
      loserErrors: [
        ...new Set(
          responses.filter(r => r.status === 409).map(r => r.body.error.name),
        ),
      ],
      rollbackTags: (await direct.listTags(repository)).tags.filter(t =>
        t.startsWith('rollback-'),
      ),
      environmentTags: {
        staging: await direct.resolveDigest(repository, 'staging'),
        'staging-latest': await direct.resolveDigest(
          repository,
          'staging-latest',
        ),
      },
      succeeded: items.filter(i => i.status === 'succeeded').map(i => i.id),
      failed: items
        .filter(i => i.status === 'failed')
        .map(i =>
          /moved to .* since .* was seen|Another promotion of .* is running/.test(
            i.error ?? '',
          )
            ? 'stale or locked out'
            : i.error,
        ),
      winner,
    };
  }

  /** One winner, the rest 409, one rollback tag on what staging ran, every tag on one digest, eight records. */
  function expected(winner: {
    id: string;
    rollbackTag: string;
    sourceDigest: string;
  }) {
    return {
      statuses: [200, 409, 409, 409, 409, 409, 409, 409],
      loserErrors: ['ConflictError'],
      rollbackTags: [winner.rollbackTag],
      environmentTags: {
        staging: winner.sourceDigest,
        'staging-latest': winner.sourceDigest,
      },
      succeeded: [winner.id],
      failed: Array(7).fill('stale or locked out'),
      winner: expect.objectContaining({ status: 'succeeded' }),
    };
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
      const outcome = await outcomeOf(repository, responses, history);
      expect(outcome).toEqual(expected(outcome.winner));
      expect(outcome.winner.previousDigest).toBe(live);
      expect(
        await direct.resolveDigest(repository, outcome.winner.rollbackTag),
      ).toBe(live);
    },
    // Seeds nine images and starts a backend on a fresh database: real work, not a time limit on the race.
    30_000,
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
    const outcome = await outcomeOf(repository, responses, history);
    expect(outcome).toEqual(expected(outcome.winner));
    expect(
      await direct.resolveDigest(repository, outcome.winner.rollbackTag),
    ).toBe(live);
  }, 30_000);
});
