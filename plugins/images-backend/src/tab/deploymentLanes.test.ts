import { Entity } from '@backstage/catalog-model';
import {
  pushTestImage,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { EntityImagesOverview } from '@berth/plugin-images-common';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { imagesTestBackends } from '../__testUtils__/testBackends';
import { RegistryClient } from '../registry';

const short = (digest: string) => digest.replace('sha256:', '').slice(0, 12);

// What the lanes say once a deployment source knows what runs: a GitOps repository (a loopback code host read by
// Backstage's URL reader) names the commit each environment runs; the registry is a real one standing in for ghcr.io.
describe('Environment lanes with deployments', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  let codeHost: Server;
  let port = 0;
  const files: Record<string, string> = {};
  const digests: Record<string, string> = {};
  const backends = imagesTestBackends(() => proxy.url);

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ target: registry.url });
    const direct = new RegistryClient({
      host: registry.host,
      baseUrl: registry.url,
    });
    // Builds tagged only with their commit (the-shop's way), and one service that has environment tags too.
    digests.c1 = await pushTestImage(direct, 'shop/web', ['1a2b3c4'], {
      layer: 'web c1',
      created: '2026-11-20T10:00:00Z',
    });
    digests.c2 = await pushTestImage(direct, 'shop/web', ['5d6e7f8'], {
      layer: 'web c2',
      created: '2026-11-27T10:00:00Z',
    });
    digests.v1 = await pushTestImage(direct, 'acme/api', ['latest', 'v1'], {
      layer: 'api v1',
    });
    digests.v2 = await pushTestImage(direct, 'acme/api', ['v2'], {
      layer: 'api v2',
    });
    codeHost = createServer((req, res) => {
      const body = files[req.url ?? ''];
      if (body === undefined) res.writeHead(404).end('Not found');
      else res.writeHead(200, { 'content-type': 'text/yaml' }).end(body);
    });
    await new Promise<void>(resolve => codeHost.listen(0, resolve));
    port = (codeHost.address() as AddressInfo).port;
  }, 60_000);
  afterEach(() => backends.stopAll());
  afterAll(async () => {
    await new Promise(resolve => codeHost?.close(resolve));
    await proxy?.stop();
    await registry?.stop();
  });

  const entity = (
    name: string,
    image: string,
    deployments: string,
  ): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'berth.dev/images': image,
        'berth.dev/deployment-files': deployments,
        'backstage.io/source-location': `url:http://localhost:${port}/${name}/`,
      },
    },
    spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
  });

  async function lanes(name: string) {
    const server = await backends.start({
      entities: [
        entity(
          'web',
          'ghcr.io/shop/web',
          'staging=./staging/docker-compose.yaml, production=./production/kustomization.yaml',
        ),
        entity(
          'api',
          'ghcr.io/acme/api',
          'staging=./staging.yaml, production=./production.yaml',
        ),
      ],
      environments: [
        { name: 'staging', tag: 'staging' },
        { name: 'production', tag: 'latest', green: 'running' },
      ],
      config: {
        backend: { reading: { allow: [{ host: `localhost:${port}` }] } },
      },
    });
    const answer = await request(server).get(
      `/api/images/entities/component/default/${name}/overview`,
    );
    expect(answer.status).toBe(200);
    return (answer.body as EntityImagesOverview).images[0].environments;
  }

  it('shows the commit each environment runs for a team that deploys commits, not tags', async () => {
    files['/web/staging/docker-compose.yaml'] = [
      'services:',
      '  web: { image: "ghcr.io/shop/web:5d6e7f8" }',
      '  redis: { image: "redis:7-alpine" }',
    ].join('\n');
    files['/web/production/kustomization.yaml'] = [
      'images:',
      '  - name: ghcr.io/shop/web',
      '    newTag: "1a2b3c4"',
    ].join('\n');
    const [staging, production] = await lanes('web');
    expect(staging).toMatchObject({
      name: 'staging',
      status: 'GREEN',
      digest: digests.c2,
      image: { tags: ['5d6e7f8'] },
      deployment: {
        source: 'file',
        location: `http://localhost:${port}/web/staging/docker-compose.yaml`,
        state: 'running',
        running: [
          { digest: digests.c2, reference: 'ghcr.io/shop/web:5d6e7f8' },
        ],
      },
    });
    expect(production).toMatchObject({
      status: 'GREEN',
      digest: digests.c1,
      drift: 'behind',
      deployment: { state: 'running', running: [{ digest: digests.c1 }] },
    });
  }, 30_000);

  it('turns a lane RED on drift where the platform wants the tag running, and says both digests', async () => {
    files['/api/staging.yaml'] =
      'image:\n  repository: ghcr.io/acme/api\n  tag: v2\n';
    files['/api/production.yaml'] =
      'image:\n  repository: ghcr.io/acme/api\n  tag: v2\n';
    const [staging, production] = await lanes('api');
    // Staging only needs its tag: it is missing, and what runs is shown beside it.
    expect(staging).toMatchObject({
      status: 'GREEN',
      digest: digests.v2,
      deployment: { state: 'running' },
    });
    expect(production).toMatchObject({
      status: 'RED',
      digest: digests.v1,
      deployment: {
        state: 'drift',
        running: [{ digest: digests.v2, reference: 'ghcr.io/acme/api:v2' }],
      },
    });
    expect(production.message).toBe(
      `http://localhost:${port}/api/production.yaml runs ${short(
        digests.v2,
      )}, not ${short(digests.v1)} that the tag points at`,
    );
  }, 30_000);

  it('says why a deployment file could not be read, without failing the lane where the tag is enough', async () => {
    delete files['/api/staging.yaml'];
    files['/api/production.yaml'] = 'image: ghcr.io/acme/api:v1\n';
    const [staging, production] = await lanes('api');
    expect(staging).toMatchObject({
      status: 'RED',
      message: 'ghcr.io/acme/api has no tag staging',
      deployment: {
        state: 'unreachable',
        message: `http://localhost:${port}/api/staging.yaml could not be read: the file was not found on localhost:${port} (404)`,
      },
    });
    expect(production).toMatchObject({
      status: 'GREEN',
      digest: digests.v1,
      deployment: { state: 'running', running: [{ digest: digests.v1 }] },
    });
  }, 30_000);
});
