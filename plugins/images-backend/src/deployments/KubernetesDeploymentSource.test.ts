import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  findFreePort,
  KubernetesApiReplay,
  ReplayContainer,
  ReplayPod,
  startKubernetesApiReplay,
} from '@berth/plugin-images-backend-test-utils';
import {
  EnvironmentDefinition,
  parseImageRepository,
} from '@berth/plugin-images-common';
import {
  DeploymentQuery,
  EnvironmentDeploymentReport,
} from '@berth/plugin-images-node';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { laneDeployment } from '../tab/laneDeployment';
import { KubernetesDeploymentSource } from './KubernetesDeploymentSource';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const C = `sha256:${'c'.repeat(64)}`;
const SA_TOKEN = 'sa-token-that-must-never-show';

const ENVIRONMENTS: EnvironmentDefinition[] = [
  { name: 'staging', tag: 'staging' },
  { name: 'production', tag: 'production' },
  { name: 'disaster-recovery', tag: 'dr' },
];

const MAPPINGS = [
  { cluster: 'prod-eu', namespace: 'support', environment: 'production' },
  { cluster: 'staging', environment: 'staging' },
  { cluster: 'dr', environment: 'disaster-recovery' },
];

function entity(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'berth.dev/images': 'ghcr.io/acme/shop', ...annotations },
    },
    spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
  };
}

const SHOP = entity('shop', { 'backstage.io/kubernetes-id': 'shop' });
const PLAIN = entity('plain', {});

const shop = (digest: string, tag = 'v1'): ReplayContainer => ({
  name: 'web',
  image: `ghcr.io/acme/shop:${tag}`,
  imageID: `ghcr.io/acme/shop@${digest}`,
});

function pods(
  count: number,
  containers: ReplayContainer[],
  options: { prefix?: string; namespace?: string; id?: string } = {},
): ReplayPod[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${options.prefix ?? 'shop'}-${i}`,
    namespace: options.namespace ?? 'support',
    labels: { 'backstage.io/kubernetes-id': options.id ?? 'shop' },
    containers,
  }));
}

function kubernetesConfig(clusters: Array<{ name: string; url: string }>) {
  return {
    images: { deployments: { kubernetes: MAPPINGS } },
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: clusters.map(c => ({
            ...c,
            authProvider: 'serviceAccount',
            serviceAccountToken: SA_TOKEN,
            skipTLSVerify: true,
          })),
        },
      ],
    },
  };
}

/**
 * Starts Backstage's real Kubernetes plugin and the source in one backend, in a Node process of its own (see
 * kubernetesBackendProcess.ts for why not in Jest), and returns how to ask the source as user alice.
 */
async function startKubernetesBackend(
  clusters: Array<{ name: string; url: string }>,
) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(__dirname, '__testUtils__', 'kubernetesBackendProcess.ts'),
    ],
    {
      cwd: resolve(__dirname, '../..'),
      env: {
        ...process.env,
        BERTH_KUBERNETES_TEST_BACKEND: JSON.stringify({
          config: kubernetesConfig(clusters),
          entities: [SHOP, PLAIN],
        }),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', chunk => {
    stderr += chunk;
  });
  const exited = new Promise<void>(r => child.once('exit', () => r()));
  const port = await new Promise<number>((ok, fail) => {
    let stdout = '';
    child.stdout.on('data', chunk => {
      stdout += chunk;
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n')) ok(JSON.parse(line).port);
    });
    child.once('exit', code =>
      fail(new Error(`test backend exited (${code}): ${stderr}`)),
    );
  });
  return {
    async getDeployments(
      e: Entity,
      environments: EnvironmentDefinition[] = ENVIRONMENTS,
    ): Promise<EnvironmentDeploymentReport[]> {
      const response = await fetch(
        `http://localhost:${port}/api/deployments-probe/deployments`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: mockCredentials.user.header('user:default/alice'),
          },
          body: JSON.stringify({
            entityRef: stringifyEntityRef(e),
            environments,
          }),
        },
      );
      expect(response.status).toBe(200);
      return response.json();
    },
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}

/** A backend without the Kubernetes plugin, with the source built from the backend's config, discovery and auth. */
async function backendWithoutKubernetes() {
  let source: KubernetesDeploymentSource | undefined;
  const probe = createBackendPlugin({
    pluginId: 'deployments-probe',
    register(env) {
      env.registerInit({
        deps: {
          config: coreServices.rootConfig,
          discovery: coreServices.discovery,
          auth: coreServices.auth,
          logger: coreServices.logger,
        },
        async init({ config, ...deps }) {
          source = KubernetesDeploymentSource.fromConfig(config, deps);
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      probe,
      catalogServiceMock.factory({ entities: [SHOP, PLAIN] }),
      mockServices.rootConfig.factory({ data: kubernetesConfig([]) }),
    ],
  });
  return { backend, source: source! };
}

const query = (e: Entity): DeploymentQuery => ({
  entity: e,
  environments: ENVIRONMENTS,
  credentials: mockCredentials.user('user:default/alice'),
});

const byEnvironment = (reports: EnvironmentDeploymentReport[]) =>
  Object.fromEntries(reports.map(r => [r.environment, r]));

/** What the lane says of a report, as the Images tab shows it. */
const laneMessage = (report: EnvironmentDeploymentReport, tagDigest?: string) =>
  laneDeployment({
    source: 'kubernetes',
    report,
    repositories: [parseImageRepository('ghcr.io/acme/shop')],
    tagDigest,
    digestOf: () => undefined,
  });

describe('KubernetesDeploymentSource, through the real Kubernetes backend', () => {
  let prod: KubernetesApiReplay;
  let staging: KubernetesApiReplay;
  let backend: Awaited<ReturnType<typeof startKubernetesBackend>>;

  beforeAll(async () => {
    prod = await startKubernetesApiReplay();
    staging = await startKubernetesApiReplay();
    // Nothing listens here: the cluster cannot be reached.
    const closed = `http://127.0.0.1:${await findFreePort()}`;
    backend = await startKubernetesBackend([
      { name: 'prod-eu', url: prod.url },
      { name: 'staging', url: staging.url },
      { name: 'dr', url: closed },
    ]);
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    await prod?.stop();
    await staging?.stop();
  });

  beforeEach(() => {
    prod.recover();
    staging.recover();
    prod.setPods([]);
    staging.setPods([]);
  });

  it('reports all pods on one digest as running, with the replica count', async () => {
    prod.setPods(pods(3, [shop(A)]));
    staging.setPods(pods(1, [shop(B, 'v2')], { namespace: 'shop-staging' }));

    const reports = byEnvironment(await backend.getDeployments(SHOP));

    expect(reports.production).toEqual({
      environment: 'production',
      location: 'cluster prod-eu, namespace support',
      images: [{ reference: 'ghcr.io/acme/shop:v1', digest: A, replicas: 3 }],
    });
    expect(laneMessage(reports.production, A)).toMatchObject({
      state: 'running',
      message:
        'cluster prod-eu, namespace support runs aaaaaaaaaaaa (3 replicas)',
    });
    expect(reports.staging).toEqual({
      environment: 'staging',
      location: 'cluster staging',
      images: [{ reference: 'ghcr.io/acme/shop:v2', digest: B, replicas: 1 }],
    });
    // The Kubernetes backend asked the clusters with its own service account and the entity's selector.
    expect(prod.requests.find(r => r.path === '/api/v1/pods')).toEqual({
      path: '/api/v1/pods',
      labelSelector: 'backstage.io/kubernetes-id=shop',
      authorized: true,
      status: 200,
    });
  });

  it('reports a rollout as two digests with their counts', async () => {
    prod.setPods([
      ...pods(2, [shop(A)], { prefix: 'shop-old' }),
      ...pods(1, [shop(B, 'v2')], { prefix: 'shop-new' }),
    ]);

    const { production } = byEnvironment(await backend.getDeployments(SHOP));

    expect(production.images).toEqual([
      { reference: 'ghcr.io/acme/shop:v1', digest: A, replicas: 2 },
      { reference: 'ghcr.io/acme/shop:v2', digest: B, replicas: 1 },
    ]);
    expect(laneMessage(production, B)).toMatchObject({
      state: 'rolling-out',
      message:
        'cluster prod-eu, namespace support is rolling out bbbbbbbbbbbb: aaaaaaaaaaaa (2 replicas), bbbbbbbbbbbb (1 replicas)',
    });
  });

  it('reports sidecars from other repositories too, named as Berth parses them', async () => {
    prod.setPods(
      pods(2, [
        shop(A),
        {
          name: 'envoy',
          image: 'envoyproxy/envoy:v1.30',
          imageID: `docker-pullable://envoyproxy/envoy@${C}`,
        },
        {
          name: 'cache',
          image: 'nginx:1.25',
          statusImage: 'docker.io/library/nginx:1.25',
          imageID: `docker.io/library/nginx@${B}`,
        },
      ]),
    );

    const { production } = byEnvironment(await backend.getDeployments(SHOP));

    expect(production.images).toEqual([
      { reference: 'ghcr.io/acme/shop:v1', digest: A, replicas: 2 },
      { reference: 'docker.io/envoyproxy/envoy:v1.30', digest: C, replicas: 2 },
      { reference: 'docker.io/library/nginx:1.25', digest: B, replicas: 2 },
    ]);
    // The lane keeps its own repository only.
    expect(laneMessage(production, A).running).toEqual([
      { digest: A, reference: 'ghcr.io/acme/shop:v1', replicas: 2 },
    ]);
  });

  it('counts a container still pulling under its spec image, without a digest', async () => {
    prod.setPods([
      ...pods(2, [shop(A)]),
      ...pods(1, [{ name: 'web', image: 'ghcr.io/acme/shop:v2' }], {
        prefix: 'shop-pulling',
      }),
    ]);

    const { production } = byEnvironment(await backend.getDeployments(SHOP));

    expect(production.images).toEqual([
      { reference: 'ghcr.io/acme/shop:v1', digest: A, replicas: 2 },
      { reference: 'ghcr.io/acme/shop:v2', replicas: 1 },
    ]);
  });

  it('keeps pods of other namespaces out of the mapped environment', async () => {
    prod.setPods(pods(2, [shop(A)], { namespace: 'support-canary' }));

    const { production } = byEnvironment(await backend.getDeployments(SHOP));

    expect(production).toEqual({
      environment: 'production',
      location: 'cluster prod-eu, namespace support',
      images: [],
    });
    expect(laneMessage(production, A)).toMatchObject({
      state: 'not-deployed',
      message: 'cluster prod-eu, namespace support runs nothing of this image',
    });
  });

  it('gives an unreachable or failing cluster an error for its environment only, in safe words', async () => {
    prod.setPods(pods(1, [shop(A)]));
    staging.fail(503);

    const reports = byEnvironment(await backend.getDeployments(SHOP));

    expect(reports.production.images).toEqual([
      { reference: 'ghcr.io/acme/shop:v1', digest: A, replicas: 1 },
    ]);
    expect(reports.production.error).toBeUndefined();
    expect(reports.staging).toEqual({
      environment: 'staging',
      location: 'cluster staging',
      images: [],
      error: 'the cluster answered HTTP 503 (UNKNOWN_ERROR)',
    });
    expect(reports['disaster-recovery']).toEqual({
      environment: 'disaster-recovery',
      location: 'cluster dr',
      images: [],
      error: 'the Kubernetes backend could not reach the cluster (FETCH_ERROR)',
    });
    expect(laneMessage(reports['disaster-recovery'], A)).toMatchObject({
      state: 'unreachable',
      message:
        'cluster dr could not be read: the Kubernetes backend could not reach the cluster (FETCH_ERROR)',
    });
    for (const report of [reports.staging, reports['disaster-recovery']]) {
      expect(report.error).not.toMatch(
        /token|bearer|127\.0\.0\.1|ECONNREFUSED|\n\s+at /i,
      );
    }

    staging.fail(401);
    const refused = byEnvironment(await backend.getDeployments(SHOP));
    expect(refused.staging.error).toBe(
      'the cluster answered HTTP 401 (UNAUTHORIZED_ERROR)',
    );
  });

  it('reports nothing, and asks no cluster, for an entity without the Kubernetes annotation', async () => {
    const before = prod.requests.length + staging.requests.length;

    await expect(backend.getDeployments(PLAIN)).resolves.toEqual([]);

    expect(prod.requests.length + staging.requests.length).toBe(before);
  });

  it('leaves out environments the entity does not have', async () => {
    prod.setPods(pods(1, [shop(A)]));

    const reports = await backend.getDeployments(SHOP, [
      { name: 'production', tag: 'production' },
    ]);

    expect(reports.map(r => r.environment)).toEqual(['production']);
  });
});

describe('KubernetesDeploymentSource, without a Kubernetes backend', () => {
  it('reports every environment as unreadable when the Kubernetes backend is not installed', async () => {
    const { backend, source } = await backendWithoutKubernetes();
    try {
      const reports = await source.getDeployments(query(SHOP));
      expect(reports).toHaveLength(3);
      for (const report of reports) {
        expect(report).toMatchObject({
          images: [],
          error: 'the Kubernetes backend is not installed (HTTP 404)',
        });
      }
    } finally {
      await backend.stop();
    }
  });

  it('gives up on a Kubernetes backend that does not answer', async () => {
    // Accepts connections and never answers.
    const silent = http.createServer(() => {});
    await new Promise<void>(r => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as AddressInfo;
    const source = new KubernetesDeploymentSource({
      mappings: MAPPINGS,
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => `http://127.0.0.1:${port}/api/kubernetes`,
      }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      timeoutMs: 300,
    });
    try {
      const reports = await source.getDeployments(query(SHOP));
      expect(reports.map(r => r.error)).toEqual([
        'the Kubernetes backend did not answer within 0.3 seconds',
        'the Kubernetes backend did not answer within 0.3 seconds',
        'the Kubernetes backend did not answer within 0.3 seconds',
      ]);
    } finally {
      silent.closeAllConnections();
      await new Promise(r => silent.close(r));
    }
  });
});

describe('KubernetesDeploymentSource.fromConfig', () => {
  const deps = {
    discovery: mockServices.discovery(),
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
  };
  const from = (kubernetes: unknown) =>
    KubernetesDeploymentSource.fromConfig(
      new ConfigReader({
        images: kubernetes === undefined ? {} : { deployments: { kubernetes } },
      } as any),
      deps,
    );

  it('is off when not configured', () => {
    expect(from(undefined)).toBeUndefined();
    expect(from(MAPPINGS)?.id).toBe('kubernetes');
  });

  it.each([
    [
      { cluster: 'prod-eu' },
      'images.deployments.kubernetes must be a list of { cluster, environment, namespace? } entries',
    ],
    [
      [{ environment: 'production' }],
      'images.deployments.kubernetes[0].cluster must be a non-empty string',
    ],
    [
      [{ cluster: 'prod-eu', environment: 7 }],
      'images.deployments.kubernetes[0].environment must be a non-empty string',
    ],
    [
      [{ cluster: 'prod-eu', environment: 'production', namespace: 'Support' }],
      `images.deployments.kubernetes[0].namespace "Support" is not a Kubernetes namespace name (lowercase letters, digits and '-')`,
    ],
    [
      [
        { cluster: 'prod-eu', environment: 'production' },
        { cluster: 'prod-us', environment: 'production' },
      ],
      'images.deployments.kubernetes[1].environment: production is already mapped by images.deployments.kubernetes[0]; map each environment to one cluster and namespace',
    ],
  ])('refuses %j', (kubernetes, message) => {
    expect(() => from(kubernetes)).toThrow(
      expect.objectContaining({ name: 'InputError', message }),
    );
  });
});
