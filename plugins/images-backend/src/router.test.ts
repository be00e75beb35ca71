import { Server } from 'node:http';
import request from 'supertest';
import { RegistryClient } from './registry';
import {
  pushTestImage,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { imageEntity, imagesTestBackends } from './__testUtils__/testBackends';

// Requests of every shape against the images API in a test backend, with a real registry behind a proxy that
// records requests: a malformed path or query is a 400 that names the part, before the catalog or a registry is
// asked; never a 500.
describe('images API input', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  let server: Server;
  const backends = imagesTestBackends(() => proxy.url);
  const registryRequests = () =>
    proxy.requests.filter(r => r.path.startsWith('/v2/'));

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ target: registry.url });
    const client = new RegistryClient({
      host: registry.host,
      baseUrl: registry.url,
    });
    await pushTestImage(client, 'bxtech/dotca', ['staging']);
    server = await backends.start({
      image: 'ghcr.io/bxtech/dotca',
      entities: [
        imageEntity('dotca', 'ghcr.io/bxtech/dotca', { owner: 'bxtech' }),
      ],
    });
  }, 60_000);
  afterEach(() => proxy.reset());
  afterAll(async () => {
    await backends.stopAll();
    await proxy?.stop();
    await registry?.stop();
  });

  const long = 'a'.repeat(64);
  const huge = 'a'.repeat(5000);

  it.each([
    ['a slash in the kind', '/entities/com%2Fponent/default/dotca', 'kind'],
    [
      'a slash in the namespace',
      '/entities/component/de%2Ffault/dotca',
      'namespace',
    ],
    ['a slash in the name', '/entities/component/default/dot%2Fca', 'name'],
    ['a dot-dot name', '/entities/component/default/..%2F..', 'name'],
    ['an empty kind', '/entities//default/dotca', 'kind'],
    ['an empty namespace', '/entities/component//dotca', 'namespace'],
    ['an empty name', '/entities/component/default/', 'name'],
    ['a blank name', '/entities/component/default/%20', 'name'],
    ['a 64-character name', `/entities/component/default/${long}`, 'name'],
    ['a 5000-character name', `/entities/component/default/${huge}`, 'name'],
    ['a 64-character kind', `/entities/${long}/default/dotca`, 'kind'],
    [
      'a kind starting with a digit',
      '/entities/1component/default/dotca',
      'kind',
    ],
    [
      'an underscore in the namespace',
      '/entities/component/de_fault/dotca',
      'namespace',
    ],
    ['a space in the name', '/entities/component/default/dot%20ca', 'name'],
    [
      'a name starting with a dash',
      '/entities/component/default/-dotca',
      'name',
    ],
    ['a non-ASCII name', '/entities/component/default/d%C3%B6tca', 'name'],
    ['a NUL in the name', '/entities/component/default/dot%00ca', 'name'],
  ])('refuses %s with a 400 naming the part', async (_, base, part) => {
    for (const path of [`${base}/overview`, `${base}/promotions`]) {
      const response = await request(server).get(`/api/images${path}`);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(
        new RegExp(`^The entity ${part} in the path`),
      );
      expect(response.body.error.message.length).toBeLessThan(250);
    }
    const post = await request(server)
      .post(`/api/images${base}/promotions`)
      .send({ environment: 'staging', source: 'v1', reason: 'Ship' });
    expect(post.status).toBe(400);
    expect(registryRequests()).toEqual([]);
  });

  it('refuses a path part that is not valid percent-encoding', async () => {
    const response = await request(server).get(
      '/api/images/entities/component/default/dot%E0%A4%A/overview',
    );
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe(
      'The path is not valid percent-encoding (RFC 3986)',
    );
  });

  it('takes a namespace in any case, as entity references do', async () => {
    const response = await request(server).get(
      '/api/images/entities/Component/Default/dotca/promotions',
    );
    expect(response.status).toBe(200);
  });

  it('answers an unknown route or promotion id with a 404, whatever its shape', async () => {
    const base = '/api/images/entities/component/default/dotca';
    const route = await request(server).get(`${base}/nothing`);
    expect(route.status).toBe(404);
    expect(route.body.error.message).toBe(
      `The images API has no route GET ${base}/nothing`,
    );
    for (const id of ['..%2F..%2Fetc', 'x'.repeat(300), '%20', 'Ω']) {
      const response = await request(server).get(
        `${base}/promotions/${encodeURIComponent(id)}`,
      );
      expect(response.status).toBe(404);
    }
  });

  it.each([
    ['page=1e999', 'page'],
    ['page=-1', 'page'],
    ['page=abc', 'page'],
    ['page=1.5', 'page'],
    ['page=', 'page'],
    ['page=1&page=2', 'page'],
    ['page=99999999999', 'page'],
    ['pageSize=0', 'pageSize'],
    ['pageSize=10000', 'pageSize'],
    ['pageSize=1e2', 'pageSize'],
    ['pageSize=0x10', 'pageSize'],
  ])('refuses %s with a 400 naming the parameter', async (query, name) => {
    const response = await request(server).get(
      `/api/images/entities/component/default/dotca/tags?${query}`,
    );
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain(name);
    expect(registryRequests()).toEqual([]);
  });

  it('serves a page within range', async () => {
    const response = await request(server).get(
      '/api/images/entities/component/default/dotca/tags?page=0&pageSize=100',
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ page: 0, pageSize: 100 });
  });
});
