import {
  pushTestImage,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import request from 'supertest';
import { imagesTestBackends } from '../__testUtils__/testBackends';
import { RegistryClient } from '../registry';

// Preview environments in the overview of a test backend, against a real registry standing in for ghcr.io: the
// image's tags matching `images.previews.tags`, from the index, newest first.
describe('Preview environments in the overview', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  const backends = imagesTestBackends(() => proxy.url);
  const base = '/api/images/entities/component/default/shop';

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ target: registry.url });
    const direct = new RegistryClient({
      host: registry.host,
      baseUrl: registry.url,
    });
    await pushTestImage(direct, 'acme/previews', ['latest', 'staging'], {
      layer: 'release',
    });
    await pushTestImage(direct, 'acme/previews', ['pr-412'], {
      layer: 'pr 412',
    });
    await pushTestImage(direct, 'acme/previews', ['feature-search'], {
      layer: 'feature',
    });
  });
  afterEach(() => backends.stopAll());
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('lists the tags matching a preview pattern, once the index knows them, and leaves out old ones', async () => {
    const server = await backends.start({
      image: 'ghcr.io/acme/previews',
      // The test images were built on 2026-11-01: a year's age keeps them previews.
      images: { previews: { tags: ['pr-*', 'feature-*'], maxAgeDays: 365 } },
    });
    let previews: Array<{ tag: string; digest: string }> | undefined;
    // The first view starts the listing; the previews come from the index.
    for (let i = 0; i < 50 && !previews; i++) {
      const overview = await request(server).get(`${base}/overview`);
      expect(overview.status).toBe(200);
      previews = overview.body.images[0].previews;
      if (!previews) await new Promise(resolve => setTimeout(resolve, 100));
    }
    expect(previews?.map(p => p.tag).sort()).toEqual([
      'feature-search',
      'pr-412',
    ]);
    expect(previews?.every(p => p.digest.startsWith('sha256:'))).toBe(true);

    // Built a month ago, not pushed since as far as the Distribution API says: not short-lived any more.
    const strict = await backends.start({
      image: 'ghcr.io/acme/previews',
      images: { previews: { tags: ['pr-*', 'feature-*'], maxAgeDays: 7 } },
    });
    await request(strict).get(`${base}/overview`);
    // Once the index knows every tag's digest and build time, nothing matching is recent enough.
    for (let i = 0; i < 50; i++) {
      const tags = await request(strict).get(`${base}/tags`);
      if (tags.body.index?.complete) break;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    const overview = await request(strict).get(`${base}/overview`);
    expect(overview.body.images[0].environments).toHaveLength(2);
    expect(overview.body.images[0].previews).toBeUndefined();
  });

  it('refuses a pattern no tag could match when the backend starts', async () => {
    await expect(
      backends.start({
        image: 'ghcr.io/acme/previews',
        images: { previews: { tags: ['feature/*'] } },
      }),
    ).rejects.toThrow(/"feature\/\*" is no tag pattern/);
  });
});
