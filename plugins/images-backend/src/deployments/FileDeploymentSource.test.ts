import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { FileDeploymentSource } from './FileDeploymentSource';

const DIGEST = `sha256:${'b'.repeat(64)}`;

/** A code host on loopback: files by path, and every request it received. */
function codeHost() {
  const files = new Map<string, { body: string; etag?: string }>();
  const requests: Array<{ path: string; ifNoneMatch?: string }> = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    const ifNoneMatch = req.headers['if-none-match'];
    requests.push({ path, ...(ifNoneMatch && { ifNoneMatch }) });
    const file = files.get(path);
    if (!file) {
      res.writeHead(404).end('not found');
    } else if (file.etag && ifNoneMatch === file.etag) {
      res.writeHead(304).end();
    } else {
      res
        .writeHead(200, {
          'content-type': 'text/yaml',
          ...(file.etag && { etag: file.etag }),
        })
        .end(file.body);
    }
  });
  return {
    files,
    requests,
    server,
    /** Requests for a path. */
    requestsFor: (path: string) => requests.filter(r => r.path === path),
  };
}

describe('FileDeploymentSource', () => {
  const host = codeHost();
  let port: number;
  let source: FileDeploymentSource;
  let backend: { stop(): Promise<void> };
  const base = () => `http://localhost:${port}`;

  beforeAll(async () => {
    await new Promise<void>(resolve => host.server.listen(0, resolve));
    port = (host.server.address() as AddressInfo).port;
    // The source gets its services from a real backend: the real URL reader, allowed to read only our host.
    const plugin = createBackendPlugin({
      pluginId: 'deployments',
      register(env) {
        env.registerInit({
          deps: {
            urlReader: coreServices.urlReader,
            cache: coreServices.cache,
            logger: coreServices.logger,
          },
          async init(deps) {
            source = new FileDeploymentSource(deps);
          },
        });
      },
    });
    backend = await startTestBackend({
      features: [
        plugin,
        mockServices.rootConfig.factory({
          data: {
            backend: { reading: { allow: [{ host: `localhost:${port}` }] } },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await new Promise(resolve => host.server.close(resolve));
  });

  const shop = (annotations: Record<string, string>): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'shop', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'the-shop', lifecycle: 'production' },
  });
  const deployments = (annotations: Record<string, string>) =>
    source.getDeployments({
      entity: shop(annotations),
      environments: [
        { name: 'staging', tag: 'staging' },
        { name: 'production', tag: 'production' },
      ],
      credentials: mockCredentials.user(),
    });
  const compose = (commit: string) =>
    `services:\n  web:\n    image: registry.example.com/shop/web:${commit}\n  redis:\n    image: redis:7\n`;

  it('says nothing for an entity without the annotation', async () => {
    await expect(deployments({})).resolves.toEqual([]);
  });

  it('reports, per environment, the commits its docker-compose file declares', async () => {
    host.files.set('/compose/staging.yaml', { body: compose('3f2a9c1') });
    host.files.set('/compose/production.yaml', { body: compose('9d8e7f6') });
    const reports = await deployments({
      'berth.dev/deployment-files': `staging=${base()}/compose/staging.yaml, production=${base()}/compose/production.yaml`,
    });
    expect(reports).toEqual([
      {
        environment: 'staging',
        location: `${base()}/compose/staging.yaml`,
        images: [
          { reference: 'registry.example.com/shop/web:3f2a9c1' },
          { reference: 'redis:7' },
        ],
      },
      {
        environment: 'production',
        location: `${base()}/compose/production.yaml`,
        images: [
          { reference: 'registry.example.com/shop/web:9d8e7f6' },
          { reference: 'redis:7' },
        ],
      },
    ]);
  });

  it("resolves relative paths against the entity's source location, and refuses one that leaves it", async () => {
    host.files.set('/shop/tree/main/deploy/staging/docker-compose.yaml', {
      body: compose('1111111'),
    });
    const reports = await deployments({
      'backstage.io/source-location': `url:${base()}/shop/tree/main/`,
      'berth.dev/deployment-files':
        'staging=./deploy/staging/docker-compose.yaml, production=../../other/prod.yaml',
    });
    expect(reports).toEqual([
      {
        environment: 'staging',
        location: `${base()}/shop/tree/main/deploy/staging/docker-compose.yaml`,
        images: [
          { reference: 'registry.example.com/shop/web:1111111' },
          { reference: 'redis:7' },
        ],
      },
      {
        environment: 'production',
        location: '../../other/prod.yaml',
        images: [],
        error: `"../../other/prod.yaml" leaves the entity's source location (${base()}/shop/tree/main/) with ".."`,
      },
    ]);
    expect(host.requestsFor('/other/prod.yaml')).toEqual([]);
  });

  it("reports a kustomization's images, by tag and by digest", async () => {
    host.files.set('/kustomize/staging/kustomization.yaml', {
      body: 'kind: Kustomization\nimages:\n  - name: shop/web\n    newName: registry.example.com/shop/web\n    newTag: 3f2a9c1\n',
    });
    host.files.set('/kustomize/production/kustomization.yaml', {
      body: `kind: Kustomization\nimages:\n  - name: registry.example.com/shop/web\n    digest: ${DIGEST}\n`,
    });
    const reports = await deployments({
      'berth.dev/deployment-files': `staging=${base()}/kustomize/staging/kustomization.yaml,production=${base()}/kustomize/production/kustomization.yaml`,
    });
    expect(reports.map(r => r.images)).toEqual([
      [{ reference: 'registry.example.com/shop/web:3f2a9c1' }],
      [
        {
          reference: `registry.example.com/shop/web@${DIGEST}`,
          digest: DIGEST,
        },
      ],
    ]);
  });

  it('reports the images of Helm values', async () => {
    host.files.set('/helm/staging/values.yaml', {
      body: 'replicaCount: 2\nimage:\n  registry: registry.example.com\n  repository: shop/web\n  tag: "3f2a9c1"\nmetrics:\n  image: prom/statsd-exporter:v0.26.0\n',
    });
    const [staging] = await deployments({
      'berth.dev/deployment-files': `staging=${base()}/helm/staging/values.yaml`,
    });
    expect(staging).toEqual({
      environment: 'staging',
      location: `${base()}/helm/staging/values.yaml`,
      images: [
        { reference: 'registry.example.com/shop/web:3f2a9c1' },
        { reference: 'prom/statsd-exporter:v0.26.0' },
      ],
    });
  });

  it('refuses a host that backend.reading does not allow, without sending it a request', async () => {
    const refused = `http://127.0.0.1:${port}/elsewhere/compose.yaml`;
    host.files.set('/elsewhere/compose.yaml', { body: compose('2222222') });
    const [staging] = await deployments({
      'berth.dev/deployment-files': `staging=${refused}`,
    });
    expect(staging).toEqual({
      environment: 'staging',
      location: refused,
      images: [],
      error: `the host 127.0.0.1:${port} is not allowed in backend.reading: add it to backend.reading.allow or configure an integration for it`,
    });
    expect(host.requestsFor('/elsewhere/compose.yaml')).toEqual([]);
  });

  it('says a missing file was not found', async () => {
    const [staging] = await deployments({
      'berth.dev/deployment-files': `staging=${base()}/missing/compose.yaml`,
    });
    expect(staging.error).toBe(
      `the file was not found on localhost:${port} (404)`,
    );
    expect(staging.images).toEqual([]);
  });

  it('names the file and line of malformed YAML', async () => {
    host.files.set('/broken/docker-compose.yaml', {
      body: 'services:\n  web:\n    image: shop/web:1\n   ports: [\n',
    });
    const [staging] = await deployments({
      'berth.dev/deployment-files': `staging=${base()}/broken/docker-compose.yaml`,
    });
    expect(staging.error).toMatch(
      /^docker-compose.yaml is not valid YAML at line 4, column 1: /,
    );
  });

  it('refuses a file over 1 MB', async () => {
    host.files.set('/huge/values.yaml', {
      body: `image: shop/web:1\nfiller: "${'x'.repeat(2 * 1024 * 1024)}"\n`,
    });
    const [staging] = await deployments({
      'berth.dev/deployment-files': `staging=${base()}/huge/values.yaml`,
    });
    expect(staging).toEqual({
      environment: 'staging',
      location: `${base()}/huge/values.yaml`,
      images: [],
      error: 'the file is larger than 1 MB, which no deployment file is',
    });
  });

  it('says what is wrong with a malformed entry, and ignores environments the entity does not have', async () => {
    const reports = await deployments({
      'berth.dev/deployment-files': `staging ./deploy/staging.yaml, production=, canary=${base()}/canary.yaml`,
    });
    expect(reports).toEqual([
      {
        environment: 'staging',
        location: 'berth.dev/deployment-files',
        images: [],
        error:
          'berth.dev/deployment-files entry "staging ./deploy/staging.yaml" has no "=": write it as environment=location, such as staging=./deploy/staging/docker-compose.yaml',
      },
      {
        environment: 'production',
        location: 'berth.dev/deployment-files',
        images: [],
        error:
          'berth.dev/deployment-files gives environment production an empty location',
      },
    ]);
    expect(host.requestsFor('/canary.yaml')).toEqual([]);
  });

  it('refuses an environment named twice, and shows an entry without an environment on those without a file', async () => {
    const reports = await deployments({
      'berth.dev/deployment-files': `staging=${base()}/twice/a.yaml, staging=${base()}/twice/b.yaml, ${base()}/twice/c.yaml`,
    });
    expect(reports).toEqual([
      {
        environment: 'staging',
        location: 'berth.dev/deployment-files',
        images: [],
        error:
          'berth.dev/deployment-files names environment staging more than once',
      },
      {
        environment: 'production',
        location: 'berth.dev/deployment-files',
        images: [],
        error: `berth.dev/deployment-files entry "${base()}/twice/c.yaml" has no "=": write it as environment=location, such as staging=./deploy/staging/docker-compose.yaml`,
      },
    ]);
    expect(host.requests.filter(r => r.path.startsWith('/twice/'))).toEqual([]);
  });

  it('reads a file once within a minute, then asks again with its ETag', async () => {
    host.files.set('/cached/compose.yaml', {
      body: compose('3333333'),
      etag: '"v1"',
    });
    const annotations = {
      'berth.dev/deployment-files': `staging=${base()}/cached/compose.yaml, production=${base()}/cached/compose.yaml`,
    };
    const first = await deployments(annotations);
    const second = await deployments(annotations);
    expect(second).toEqual(first);
    expect(first[0].images[0].reference).toBe(
      'registry.example.com/shop/web:3333333',
    );
    expect(host.requestsFor('/cached/compose.yaml')).toEqual([
      { path: '/cached/compose.yaml' },
    ]);

    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    try {
      await expect(deployments(annotations)).resolves.toEqual(first);
    } finally {
      clock.mockRestore();
    }
    expect(host.requestsFor('/cached/compose.yaml')).toEqual([
      { path: '/cached/compose.yaml' },
      { path: '/cached/compose.yaml', ifNoneMatch: '"v1"' },
    ]);
  });
});
