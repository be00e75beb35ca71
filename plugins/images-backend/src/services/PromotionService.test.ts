import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { imagesPlugin } from '../plugin';
import { RegistryClient } from '../registry';
import {
  pushTestImage,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '../testUtils';

// The promotion API in a test backend: the entity from an in-memory catalog, a real CNCF registry standing in for
// ghcr.io behind a counting proxy, the audit trail in the backend's database.
describe('Promotion API', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  let direct: RegistryClient;
  const digests: Record<string, string> = {};
  const running: Array<{ stop(): Promise<void> }> = [];
  const base = '/api/images/entities/component/default/shop';

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ target: registry.url });
    direct = new RegistryClient({ host: registry.host, baseUrl: registry.url });
    digests.one = await pushTestImage(
      direct,
      'acme/shop',
      ['build-1', 'staging', 'latest'],
      { layer: 'one' },
    );
    digests.two = await pushTestImage(direct, 'acme/shop', ['build-2'], {
      layer: 'two',
    });
  });
  afterEach(async () => {
    proxy.reset();
    await Promise.all(running.splice(0).map(b => b.stop()));
  });
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  async function backend(options: { deny?: boolean } = {}) {
    const testBackend = await startTestBackend({
      features: [
        imagesPlugin,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'shop',
                namespace: 'default',
                annotations: { 'berth.dev/images': 'ghcr.io/acme/shop' },
              },
              spec: {
                type: 'service',
                owner: 'guests',
                lifecycle: 'production',
              },
            },
          ],
        }),
        mockServices.permissions.factory({
          result: options.deny ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
        }),
        mockServices.rootConfig.factory({
          data: {
            images: {
              registries: [
                { host: 'ghcr.io', endpoint: proxy.url, insecure: true },
              ],
              environments: [
                { name: 'staging', tag: 'staging' },
                {
                  name: 'production',
                  tag: 'latest',
                  alsoTag: ['main'],
                  protected: true,
                },
              ],
              index: { refreshMinutes: 600 },
            },
          },
        }),
      ],
    });
    running.push(testBackend);
    return testBackend.server;
  }

  it('plans without writing (dry run), then promotes, and the history and the lane show it at once', async () => {
    const server = await backend();
    // The tab has been looked at: the index knows staging's digest.
    await request(server).get(`${base}/overview`);
    const before = (await direct.listTags('acme/shop')).tags.sort();

    const dry = await request(server).post(`${base}/promotions`).send({
      environment: 'staging',
      source: 'build-2',
      reason: 'Ship the fix',
      dryRun: true,
    });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      plan: {
        environment: 'staging',
        sourceDigest: digests.two,
        currentDigest: digests.one,
        tags: ['staging'],
        noChange: false,
      },
    });
    expect(dry.body.plan.rollbackTag).toMatch(
      /^rollback-\d{8}-\d{6}-ship-the-fix$/,
    );
    expect((await direct.listTags('acme/shop')).tags.sort()).toEqual(before);

    const done = await request(server).post(`${base}/promotions`).send({
      environment: 'staging',
      source: 'build-2',
      reason: 'Ship the fix',
      expectedCurrentDigest: digests.one,
    });
    expect(done.status).toBe(200);
    expect(done.body.promotion).toMatchObject({
      status: 'succeeded',
      environment: 'staging',
      image: 'ghcr.io/acme/shop',
      sourceDigest: digests.two,
      previousDigest: digests.one,
      tags: ['staging'],
      requestedBy: 'user:default/mock',
      reason: 'Ship the fix',
    });
    expect(await direct.resolveDigest('acme/shop', 'staging')).toBe(
      digests.two,
    );
    expect(
      await direct.resolveDigest('acme/shop', done.body.promotion.rollbackTag),
    ).toBe(digests.one);

    const history = await request(server).get(`${base}/promotions`);
    expect(history.body.items.map((p: { id: string }) => p.id)).toEqual([
      done.body.promotion.id,
    ]);
    const overview = await request(server).get(`${base}/overview`);
    expect(overview.body.images[0].environments[0]).toMatchObject({
      name: 'staging',
      digest: digests.two,
    });
  });

  it('answers 409 when the environment moved since the caller looked', async () => {
    const server = await backend();
    const current = await direct.resolveDigest('acme/shop', 'staging');
    const response = await request(server)
      .post(`${base}/promotions`)
      .send({
        environment: 'staging',
        source: 'build-1',
        reason: 'Back to one',
        expectedCurrentDigest: `sha256:${'1'.repeat(64)}`,
      });
    expect(response.status).toBe(409);
    expect(response.body.error.message).toContain(
      `staging of ghcr.io/acme/shop moved to ${current}`,
    );
    expect(await direct.resolveDigest('acme/shop', 'staging')).toBe(current);
  });

  it('refuses a protected environment rather than promoting it without an approval', async () => {
    const server = await backend();
    const response = await request(server).post(`${base}/promotions`).send({
      environment: 'production',
      source: 'build-2',
      reason: 'Release',
    });
    expect(response.status).toBe(403);
    expect(response.body.error.message).toBe(
      "production is protected: a promotion to it needs a second person's approval, which this version of Berth cannot collect yet",
    );
    expect(await direct.resolveDigest('acme/shop', 'latest')).toBe(digests.one);
  });

  it('explains bad requests: no reason, an unknown environment, an unknown source', async () => {
    const server = await backend();
    const noReason = await request(server)
      .post(`${base}/promotions`)
      .send({ environment: 'staging', source: 'build-2', reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toBe(
      'Say why: a promotion needs a reason, which the history keeps',
    );
    const unknownEnvironment = await request(server)
      .post(`${base}/promotions`)
      .send({ environment: 'qa', source: 'build-2', reason: 'Try' });
    expect(unknownEnvironment.body.error.message).toBe(
      'component:default/shop has no environment qa (it has staging, production)',
    );
    const unknownSource = await request(server)
      .post(`${base}/promotions`)
      .send({
        environment: 'staging',
        source: 'build-9',
        reason: 'Try',
        dryRun: true,
      });
    expect(unknownSource.status).toBe(400);
    expect(unknownSource.body.error.message).toBe(
      'ghcr.io/acme/shop has no build-9: nothing to promote',
    );
  });

  it('answers 403 without the promote permission, before any registry request', async () => {
    const server = await backend({ deny: true });
    const response = await request(server)
      .post(`${base}/promotions`)
      .send({ environment: 'staging', source: 'build-2', reason: 'Try' });
    expect(response.status).toBe(403);
    expect(response.body.error.message).toBe(
      'You may not promote the images of component:default/shop',
    );
    expect(proxy.requests).toEqual([]);
  });
});
