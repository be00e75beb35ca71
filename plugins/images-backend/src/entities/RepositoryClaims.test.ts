import { mockCredentials } from '@backstage/backend-test-utils';
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
import { imageEntity, imagesTestBackends } from '../__testUtils__/testBackends';
import { RepositoryClaims } from './RepositoryClaims';

const ada = mockCredentials.user.header('user:default/ada');
const grace = mockCredentials.user.header('user:default/grace');
const linus = mockCredentials.user.header('user:default/linus');

// Who may name a repository in berth.dev/images, against a real registry standing in for ghcr.io behind a counting
// proxy: configured owners decide where they are set; elsewhere the first entity keeps it and others wait for it.
describe('A repository belongs to someone', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  let direct: RegistryClient;
  const backends = imagesTestBackends(() => proxy.url);
  const shop = '/api/images/entities/component/default/shop';

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ target: registry.url });
    direct = new RegistryClient({ host: registry.host, baseUrl: registry.url });
  }, 60_000);
  afterEach(async () => {
    proxy.reset();
    await backends.stopAll();
  });
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('keeps an entity whose owner is not bound to a repository from reading or promoting it, before any registry request', async () => {
    const live = await pushTestImage(direct, 'bxtech/site', ['staging'], {
      layer: 'bound site',
    });
    await pushTestImage(direct, 'bxtech/site', ['build-2'], {
      layer: 'bound build',
    });
    const server = await backends.start({
      image: 'ghcr.io/bxtech/site',
      images: {
        repositoryOwners: [
          { pattern: 'ghcr.io/bxtech/*', owners: ['group:bxtech'] },
        ],
      },
      entities: [
        imageEntity('site', 'ghcr.io/bxtech/site', { owner: 'bxtech' }),
      ],
    });
    const message =
      'ghcr.io/bxtech/site belongs to group:default/bxtech (images.repositoryOwners: ghcr.io/bxtech/*); component:default/shop is owned by group:default/guests, so it may not show or promote this image. Ask the platform team to add its owner to that entry, or remove the image from berth.dev/images';
    const overview = await request(server).get(`${shop}/overview`);
    expect(overview.status).toBe(200);
    expect(overview.body.images).toEqual([
      {
        image: 'ghcr.io/bxtech/site',
        registry: 'ghcr.io',
        repository: 'bxtech/site',
        error: { kind: 'claim-refused', message },
        environments: [],
      },
    ]);
    for (const response of [
      await request(server).get(`${shop}/tags`),
      await request(server).get(
        `${shop}/details?digest=${encodeURIComponent(live)}`,
      ),
      await request(server).post(`${shop}/promotions`).send({
        environment: 'staging',
        source: 'build-2',
        reason: 'Take it over',
      }),
    ]) {
      expect(response.status).toBe(403);
      expect(response.body.error.message).toBe(message);
    }
    expect(proxy.requests).toEqual([]);
    expect(await direct.resolveDigest('bxtech/site', 'staging')).toBe(live);

    // The owner's own entity reads it as usual.
    const own = await request(server).get(
      '/api/images/entities/component/default/site/overview',
    );
    expect(own.body.images[0].error).toBeUndefined();
    expect(own.body.images[0].environments[0]).toMatchObject({
      name: 'staging',
      status: 'GREEN',
      digest: live,
    });
  });

  it("shows a repository two entities name as contested, and makes the second's promotions wait for the first's owners", async () => {
    const live = await pushTestImage(direct, 'acme/shared', ['staging'], {
      layer: 'shared live',
    });
    await pushTestImage(direct, 'acme/shared', ['build-2'], {
      layer: 'shared two',
    });
    const server = await backends.start({
      image: 'ghcr.io/acme/shared',
      entities: [
        imageEntity('first', 'ghcr.io/acme/shared', {
          owner: 'user:default/grace',
        }),
      ],
    });
    const first = '/api/images/entities/component/default/first';
    // The first entity is seen first; then the second one names the same repository.
    await request(server).get(`${first}/overview`);
    const contested = {
      contested: true,
      claimants: ['component:default/first', 'component:default/shop'],
      firstClaimant: 'component:default/first',
      firstClaimantOwners: ['user:default/grace'],
    };
    for (const path of [shop, first]) {
      const overview = await request(server).get(`${path}/overview`);
      expect(overview.body.images[0].claim).toEqual(contested);
    }

    const dry = await request(server)
      .post(`${shop}/promotions`)
      .set('authorization', ada)
      .send({
        environment: 'staging',
        source: 'build-2',
        reason: 'From the second entity',
        dryRun: true,
      });
    expect(dry.body.plan).toMatchObject({
      needsApproval: true,
      approvers: ['user:default/grace'],
    });
    const asked = await request(server)
      .post(`${shop}/promotions`)
      .set('authorization', ada)
      .send({
        environment: 'staging',
        source: 'build-2',
        reason: 'From the second entity',
        expectedCurrentDigest: live,
      });
    expect(asked.body.promotion).toMatchObject({
      status: 'pending-approval',
      approvers: ['user:default/grace'],
    });
    expect(await direct.resolveDigest('acme/shared', 'staging')).toBe(live);
    const id = asked.body.promotion.id;

    const byStranger = await request(server)
      .post(`${shop}/promotions/${id}/approve`)
      .set('authorization', linus)
      .send({});
    expect(byStranger.status).toBe(403);
    expect(byStranger.body.error.message).toBe(
      'ghcr.io/acme/shared is claimed by another entity first: only its owners (user:default/grace) may approve this promotion',
    );
    const byOwner = await request(server)
      .post(`${shop}/promotions/${id}/approve`)
      .set('authorization', grace)
      .send({});
    expect(byOwner.status).toBe(200);
    expect(byOwner.body.status).toBe('succeeded');

    // The first claimant promotes without waiting for anyone.
    const own = await request(server)
      .post(`${first}/promotions`)
      .set('authorization', ada)
      .send({ environment: 'staging', source: live, reason: 'Back' });
    expect(own.body.promotion.status).toBe('succeeded');
    expect(await direct.resolveDigest('acme/shared', 'staging')).toBe(live);
  });
});

describe.each(TEST_DATABASE_KINDS)('RepositoryClaims on %s', kind => {
  const databases = createTestDatabases();
  afterAll(() => databases.stop(), 30_000);

  it('keeps the first claimant first, and forgets entities that no longer name the repository', async () => {
    const claims = new RepositoryClaims(await databases.open(kind));
    const image = { registry: 'ghcr.io', repository: 'acme/app' };
    const [a, b, c] = ['a', 'b', 'c'].map(name =>
      imageEntity(name, 'ghcr.io/acme/app', { owner: `team-${name}` }),
    );
    expect(await claims.claims(a, [image])).toEqual(new Map());
    await claims.claims(b, [image]);
    expect((await claims.claims(c, [image])).get('ghcr.io/acme/app')).toEqual({
      contested: true,
      claimants: [
        'component:default/a',
        'component:default/b',
        'component:default/c',
      ],
      firstClaimant: 'component:default/a',
      firstClaimantOwners: ['group:default/team-a'],
    });
    // The catalog says a is gone: b, which came next, is first now.
    await claims.replaceAll([
      { entity: b, images: [image] },
      { entity: c, images: [image] },
    ]);
    expect(
      (await claims.claims(b, [image])).get('ghcr.io/acme/app')?.firstClaimant,
    ).toBe('component:default/b');
    await claims.replaceAll([{ entity: c, images: [image] }]);
    expect(await claims.claims(c, [image])).toEqual(new Map());
  });
});
