import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EntityImagesOverview, TagPage } from '@berth/plugin-images-common';
import request from 'supertest';
import { imagesPlugin } from '../plugin';
import { RegistryClient } from '../registry';
import { MEDIA_TYPES } from '../registry/mediaTypes';
import {
  pushTestImage,
  pushTestIndex,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
  writeTagLinks,
} from '@berth/plugin-images-backend-test-utils';

const component = (
  name: string,
  images: string,
  environments?: string,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'berth.dev/images': images,
      ...(environments && { 'berth.dev/environments': environments }),
    },
  },
  spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
});

// The images API in a test backend: entities from an in-memory catalog, images from a real CNCF registry (standing
// in for ghcr.io) behind a loopback proxy that counts the registry requests each page view makes.
describe('Images tab API', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  let client: RegistryClient;
  const digests: Record<string, string> = {};
  const manifestRequests = () =>
    proxy.requests.filter(r => r.path.startsWith('/v2/') && r.path !== '/v2/');

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ target: registry.url });
    client = new RegistryClient({ host: registry.host, baseUrl: registry.url });
    // dotca: production (`latest`) is a signed multi-arch build; staging a newer single-platform build;
    // development (`latest-dev`) is missing.
    digests.production = await pushTestIndex(client, 'bxtech/dotca', [
      'latest',
      'v2.0.0',
    ]);
    digests.staging = await pushTestImage(
      client,
      'bxtech/dotca',
      ['staging', 'v2.1.0', 'abc1234'],
      {
        layer: 'dotca 2.1.0',
        created: '2026-11-20T10:00:00Z',
        runConfig: {
          Labels: {
            'org.opencontainers.image.source':
              'https://github.com/bxtech/dotca',
            'org.opencontainers.image.revision': 'abc1234def5678',
          },
        },
      },
    );
    await pushTestImage(
      client,
      'bxtech/dotca',
      [`${digests.production.replace(':', '-')}.sig`],
      {
        layer: 'signature',
      },
    );
    digests.supportDev = await pushTestImage(
      client,
      'keepkey/support-email',
      ['latest-dev'],
      {
        layer: 'support',
      },
    );
    // A repository with 10,000 tags on a handful of images.
    // One at a time: the four images share their config blob, and concurrent uploads of one blob into a
    // repository once made Distribution 2.8 answer a manifest PUT with DIGEST_INVALID (seen in CI).
    const images: string[] = [];
    for (let i = 0; i < 4; i++) {
      images.push(
        await pushTestImage(client, 'big/repo', [`seed-${i}`], {
          layer: `big ${i}`,
        }),
      );
    }
    for (let i = 0; i < 4; i++) {
      writeTagLinks(
        registry.storageDir,
        'big/repo',
        images[i],
        Array.from({ length: 2500 }, (_, n) => `build-${n * 4 + i}`),
      );
    }
  }, 60_000);
  afterEach(() => proxy.reset());
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  const running: Array<{ stop(): Promise<void> }> = [];
  afterEach(async () => {
    // Stopping a backend stops its background indexing, so that tests do not load each other's registry.
    await Promise.all(running.splice(0).map(b => b.stop()));
  });

  async function backend(options: { deny?: boolean } = {}) {
    const testBackend = await startTestBackend({
      features: [
        imagesPlugin,
        catalogServiceMock.factory({
          entities: [
            component('dotca', 'ghcr.io/bxtech/dotca'),
            component(
              'both',
              'ghcr.io/bxtech/dotca, ghcr.io/keepkey/support-email',
            ),
            component('broken', 'ghcr.io/bxtech/dotca,,'),
            component('elsewhere', 'gcr.io/acme/app'),
            component('big', 'ghcr.io/big/repo', 'production=seed-0'),
            component('secret', 'ghcr.io/acme/secret'),
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
              index: { refreshMinutes: 600 },
            },
          },
        }),
      ],
    });
    running.push(testBackend);
    return testBackend.server;
  }

  it('shows each environment: GREEN with digest and details, RED when the tag is missing, and drift', async () => {
    // The first view comes before the index could list the repository: the lanes must not depend on that listing
    // (the signature, a tag of its own, is asked for).
    proxy.inject(
      { method: 'GET', path: '/v2/bxtech/dotca/tags/list' },
      { status: 503, times: Infinity },
    );
    const server = await backend();
    const response = await request(server).get(
      '/api/images/entities/component/default/dotca/overview',
    );
    expect(response.status).toBe(200);
    const body = response.body as EntityImagesOverview;
    expect(body.entityRef).toBe('component:default/dotca');
    const [dotca] = body.images;
    expect(dotca.image).toBe('ghcr.io/bxtech/dotca');
    const [development, staging, production] = dotca.environments;
    expect(development).toEqual({
      name: 'development',
      tag: 'latest-dev',
      protected: false,
      status: 'RED',
      message: 'ghcr.io/bxtech/dotca has no tag latest-dev',
    });
    expect(staging).toMatchObject({
      status: 'GREEN',
      digest: digests.staging,
      image: {
        created: '2026-11-20T10:00:00Z',
        platforms: ['linux/amd64'],
        signed: false,
        source: {
          repository: 'https://github.com/bxtech/dotca',
          revision: 'abc1234def5678',
          commitUrl: 'https://github.com/bxtech/dotca/commit/abc1234def5678',
        },
      },
    });
    expect(production).toMatchObject({
      status: 'GREEN',
      protected: true,
      digest: digests.production,
      drift: 'behind',
      image: {
        mediaType: MEDIA_TYPES.ociIndex,
        platforms: ['linux/amd64', 'linux/arm64'],
        signed: true,
      },
    });
    // The registry agrees.
    expect(await client.resolveDigest('bxtech/dotca', 'latest')).toBe(
      production.digest,
    );
    proxy.reset();

    // Once the index has resolved every tag, each lane lists the other tags on its digest.
    await waitFor(async () => {
      const page = await request(server).get(
        '/api/images/entities/component/default/dotca/tags',
      );
      return (page.body as TagPage).index?.complete;
    });
    const later = (
      await request(server).get(
        '/api/images/entities/component/default/dotca/overview',
      )
    ).body as EntityImagesOverview;
    const lanes = later.images[0].environments;
    expect(lanes[1].image?.tags).toEqual(['v2.1.0', 'abc1234', 'staging']);
    expect(lanes[2].image?.tags).toEqual(['v2.0.0', 'latest']);
  });

  it('answers a warm page view from the index, with no registry request', async () => {
    const server = await backend();
    await request(server).get(
      '/api/images/entities/component/default/dotca/overview',
    );
    // Let the background completion of the index finish.
    await waitFor(async () => {
      const page = await request(server).get(
        '/api/images/entities/component/default/dotca/tags',
      );
      return (page.body as TagPage).index?.complete;
    });
    proxy.reset();
    const again = await request(server).get(
      '/api/images/entities/component/default/dotca/overview',
    );
    expect(again.status).toBe(200);
    const tags = await request(server).get(
      '/api/images/entities/component/default/dotca/tags',
    );
    expect(tags.status).toBe(200);
    expect(manifestRequests()).toEqual([]);
  });

  it('lists tags one row per digest, newest first, hiding signatures unless asked', async () => {
    const server = await backend();
    await request(server).get(
      '/api/images/entities/component/default/dotca/overview',
    );
    let page: TagPage | undefined;
    await waitFor(async () => {
      page = (
        await request(server).get(
          '/api/images/entities/component/default/dotca/tags',
        )
      ).body;
      return page?.index.complete;
    });
    expect(
      page!.rows.map(row => row.tags.map(t => `${t.name}:${t.kind}`)),
    ).toEqual([
      ['v2.1.0:release', 'abc1234:commit', 'staging:environment'],
      ['v2.0.0:release', 'latest:environment'],
    ]);
    expect(page!.rows[0]).toMatchObject({
      environments: ['staging'],
      platforms: ['linux/amd64'],
    });
    expect(page!.rows[1]).toMatchObject({
      environments: ['production'],
      signed: true,
    });

    const withArtifacts = await request(server).get(
      '/api/images/entities/component/default/dotca/tags?artifacts=true',
    );
    expect(withArtifacts.body.totalRows).toBe(3);

    const searched = await request(server).get(
      '/api/images/entities/component/default/dotca/tags?search=abc12&sort=name',
    );
    expect(searched.body.rows.map((r: { digest: string }) => r.digest)).toEqual(
      [digests.staging],
    );
  });

  it('shows the details of a multi-arch image: both platforms, their configs and layers, and the signature', async () => {
    const server = await backend();
    await request(server).get(
      '/api/images/entities/component/default/dotca/overview',
    );
    const response = await request(server).get(
      `/api/images/entities/component/default/dotca/details?image=${encodeURIComponent(
        'ghcr.io/bxtech/dotca',
      )}&digest=${encodeURIComponent(digests.production)}`,
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      digest: digests.production,
      pullCommand: `docker pull ghcr.io/bxtech/dotca@${digests.production}`,
      tags: ['v2.0.0', 'latest'],
    });
    expect(
      response.body.platforms.map((p: { platform: string }) => p.platform),
    ).toEqual(['linux/amd64', 'linux/arm64']);
    expect(response.body.platforms[1].layers).toHaveLength(1);
    expect(response.body.attachments).toEqual([
      expect.objectContaining({ kind: 'signature', source: 'cosign-tag' }),
    ]);
  });

  it('answers the first page of a 10,000-tag repository at once, without a request per tag', async () => {
    const server = await backend();
    const response = await request(server).get(
      '/api/images/entities/component/default/big/tags?sort=version',
    );
    expect(response.body.error?.message).toBeUndefined();
    expect(response.status).toBe(200);
    const page = response.body as TagPage;
    expect(page.index.totalTags).toBe(10_004);
    expect(page.totalRows).toBe(10_004);
    expect(page.rows).toHaveLength(20);
    // Ordered as well as the names allow before any digest is known: by version, newest first.
    expect(page.rows.slice(0, 6).map(row => row.tags[0].name)).toEqual([
      'seed-3',
      'seed-2',
      'seed-1',
      'seed-0',
      'build-9999',
      'build-9998',
    ]);
    const atResponse = proxy.requests.length;
    expect(
      proxy.requests.filter(r => r.path.includes('/tags/list')),
    ).toHaveLength(1);
    // The index completes in the background; the page view itself did not wait for it.
    expect(atResponse).toBeLessThan(100);
    expect(page.index.complete).toBe(false);
  }, 30_000);

  it('shows several images of one entity, each with its environments', async () => {
    const server = await backend();
    const response = await request(server).get(
      '/api/images/entities/component/default/both/overview',
    );
    expect(response.body.images.map((i: { image: string }) => i.image)).toEqual(
      ['ghcr.io/bxtech/dotca', 'ghcr.io/keepkey/support-email'],
    );
    expect(response.body.images[1].environments[0]).toMatchObject({
      name: 'development',
      status: 'GREEN',
      digest: digests.supportDev,
    });
  });

  it('reports an unconfigured registry for that image, with GREY lanes and no request to it', async () => {
    const server = await backend();
    const response = await request(server).get(
      '/api/images/entities/component/default/elsewhere/overview',
    );
    expect(response.status).toBe(200);
    expect(response.body.images[0].error).toEqual({
      kind: 'InputError',
      message:
        'The registry gcr.io is not configured: add it under images.registries in app-config.yaml (Berth sends no request to a registry that is not configured)',
    });
    expect(
      response.body.images[0].environments.map(
        (e: { status: string }) => e.status,
      ),
    ).toEqual(['GREY', 'GREY', 'GREY']);
  });

  it('explains a malformed annotation', async () => {
    const server = await backend();
    const response = await request(server).get(
      '/api/images/entities/component/default/broken/overview',
    );
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain(
      'berth.dev/images has an empty entry',
    );
  });

  it('answers 404 for an unknown entity and 403 without the read permission, before any registry request', async () => {
    const server = await backend();
    const since = Date.now();
    const missing = await request(server).get(
      '/api/images/entities/component/default/nope/overview',
    );
    expect(missing.status).toBe(404);
    const denied = await request(await backend({ deny: true })).get(
      '/api/images/entities/component/default/secret/overview',
    );
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      'You may not read the images of component:default/secret',
    );
    // Background work of earlier tests' backends may still run: only this test's requests count.
    expect(
      proxy.requests.filter(
        r => r.startedAt >= since && r.path.includes('acme/secret'),
      ),
    ).toEqual([]);
  });

  it("refuses an image that is not one of the entity's", async () => {
    const server = await backend();
    const response = await request(server).get(
      `/api/images/entities/component/default/dotca/tags?image=${encodeURIComponent(
        'ghcr.io/other/app',
      )}`,
    );
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe(
      "ghcr.io/other/app is not one of this entity's images (ghcr.io/bxtech/dotca)",
    );
  });
});

async function waitFor(check: () => Promise<unknown>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}
