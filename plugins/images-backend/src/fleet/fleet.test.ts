import {
  pushTestImage,
  TEST_DATABASE_KINDS,
} from '@berth/plugin-images-backend-test-utils';
import request from 'supertest';
import { imageEntity, registryBackends } from '../__testUtils__/testBackends';

// Real PostgreSQL servers on a 2-CPU machine shared with other suites: starting one can take seconds.
jest.setTimeout(30_000);

// The fleet through the API of a test backend, on both databases, against a real registry standing in for ghcr.io
// behind a counting proxy: every onboarded entity and image the caller may read, against the environments, how far
// each is behind the one before, filtered and searched, with no registry request.
describe('GET /fleet', () => {
  const { fixture, backends, databases } = registryBackends();
  const billing = {
    ...imageEntity('billing', 'ghcr.io/acme/fleet-billing', {
      owner: 'group:default/payments',
    }),
  };
  billing.spec = { ...billing.spec, system: 'payments-platform' };

  it.each(TEST_DATABASE_KINDS)(
    'lists each entity and image against the environments, says who is behind, filters and searches, asking no registry (%s)',
    async kind => {
      const shopRepo = `acme/fleet-shop-${kind.toLowerCase()}`;
      const old = await pushTestImage(
        fixture.direct,
        shopRepo,
        ['staging', 'latest'],
        {
          layer: `${kind} old`,
        },
      );
      const fresh = await pushTestImage(fixture.direct, shopRepo, ['build-2'], {
        layer: `${kind} fresh`,
      });
      const billed = await pushTestImage(
        fixture.direct,
        'acme/fleet-billing',
        ['staging', 'latest'],
        { layer: 'billing' },
      );
      const server = await backends.start({
        image: `ghcr.io/${shopRepo}`,
        entities: [billing],
        database: await databases.open(kind),
        environments: [
          { name: 'staging', tag: 'staging' },
          { name: 'production', tag: 'latest' },
        ],
      });
      const base = '/api/images/entities/component/default';
      // The tabs were looked at: staging ran the old build; then the fresh one went to staging.
      await request(server).get(`${base}/shop/overview`);
      await request(server).get(`${base}/billing/overview`);
      const staged = await request(server)
        .post(`${base}/shop/promotions`)
        .send({ environment: 'staging', source: 'build-2', reason: 'Try' });
      expect(staged.body.promotion.status).toBe('succeeded');

      fixture.proxy.reset();
      const fleet = await request(server).get('/api/images/fleet');
      expect(fleet.status).toBe(200);
      expect(fixture.proxy.requests).toHaveLength(0);
      expect(fleet.body).toMatchObject({
        environments: ['staging', 'production'],
        totalRows: 2,
        page: 0,
      });
      const [billingRow, shopRow] = fleet.body.rows;
      expect(billingRow).toMatchObject({
        entityRef: 'component:default/billing',
        owner: 'group:default/payments',
        system: 'system:default/payments-platform',
        lifecycle: 'production',
        image: 'ghcr.io/acme/fleet-billing',
        cells: [
          { environment: 'staging', status: 'GREEN', digest: billed },
          {
            environment: 'production',
            status: 'GREEN',
            digest: billed,
            drift: 'same',
          },
        ],
      });
      expect(shopRow.cells[0]).toMatchObject({
        environment: 'staging',
        digest: fresh,
        since: staged.body.promotion.finishedAt,
      });
      expect(shopRow.cells[1]).toMatchObject({
        environment: 'production',
        digest: old,
        drift: 'behind',
        behind: { environment: 'staging', builds: 1 },
      });

      const rows = async (query: string) =>
        (await request(server).get(`/api/images/fleet?${query}`)).body.rows.map(
          (row: { entityRef: string }) => row.entityRef,
        );
      // Where does a digest run? By its first hex digits, with or without the algorithm.
      expect(await rows(`q=${fresh.slice(7, 19)}`)).toEqual([
        'component:default/shop',
      ]);
      expect(
        await rows(`q=${encodeURIComponent(billed.slice(0, 20))}`),
      ).toEqual(['component:default/billing']);
      expect(await rows('q=fleet-billing')).toEqual([
        'component:default/billing',
      ]);
      expect(await rows('owner=payments')).toEqual([
        'component:default/billing',
      ]);
      expect(await rows('system=payments-platform')).toEqual([
        'component:default/billing',
      ]);
      expect(await rows('status=behind')).toEqual(['component:default/shop']);
      // The caller owns neither, directly or through a group.
      expect(await rows('mine=true')).toEqual([]);
      expect(await rows('sort=staleness')).toEqual([
        'component:default/shop',
        'component:default/billing',
      ]);
      expect(await rows('pageSize=1&page=1')).toEqual([
        'component:default/shop',
      ]);
      expect(
        (await request(server).get('/api/images/fleet?pageSize=0')).status,
      ).toBe(400);
    },
  );

  it('orders the columns as the configured pipeline, then the environments only entities name', async () => {
    const server = await backends.start({
      image: 'ghcr.io/acme/fleet-columns',
      environmentsAnnotation: 'hotfix=hotfix,production=latest',
      entities: [billing],
      environments: [
        { name: 'staging', tag: 'staging' },
        { name: 'production', tag: 'latest' },
      ],
    });
    const fleet = await request(server).get('/api/images/fleet');
    expect(fleet.body.environments).toEqual([
      'staging',
      'production',
      'hotfix',
    ]);
  });

  it('shows only the entities the caller may read the images of', async () => {
    const server = await backends.start({
      image: 'ghcr.io/acme/fleet-hidden',
      entities: [billing],
      denied: ['images.image.read component:default/shop'],
    });
    const fleet = await request(server).get('/api/images/fleet');
    expect(
      fleet.body.rows.map((row: { entityRef: string }) => row.entityRef),
    ).toEqual(['component:default/billing']);
    // Never indexed: its environments are unknown, not missing.
    expect(fleet.body.rows[0].cells.map((c: any) => c.status)).toEqual([
      'GREY',
      'GREY',
    ]);
  });
});
