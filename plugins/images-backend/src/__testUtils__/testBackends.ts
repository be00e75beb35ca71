import {
  BackendFeature,
  coreServices,
  createServiceFactory,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  PermissionEvaluator,
} from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { Server } from 'node:http';
import {
  createTestDatabases,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { imagesPlugin } from '../plugin';
import { RegistryClient } from '../registry/RegistryClient';

/** What one test backend runs with: the entity `component:default/shop`, its image, config and permissions. */
export interface TestBackendOptions {
  deny?: boolean;
  /** Denied permissions: a name, or `name entityRef` for one entity. */
  denied?: string[];
  image?: string;
  /** `berth.dev/environments` of the entity. */
  environmentsAnnotation?: string;
  /** More entities in the catalog. */
  entities?: Entity[];
  validation?: JsonObject;
  environments?: JsonObject[];
  registries?: JsonObject[];
  /** More settings of the `ghcr.io` registry entry, such as `events`. */
  ghcr?: JsonObject;
  /** More of `images` config (promotion, repositories). */
  images?: JsonObject;
  auditor?: ReturnType<typeof mockServices.auditor.mock>;
  database?: Knex;
  /** The permissions service, for a policy of the test's own (instead of `deny` or `denied`). */
  permissions?: ServiceFactory;
  /** More features in the same backend, such as the MCP actions backend. */
  features?: BackendFeature[];
  /** More root config beside `images`, such as `backend.actions`. */
  config?: JsonObject;
}

// Allows everything but the named permissions (`name`, or `name entityRef` for one entity): a policy such as "anyone
// may promote; only release managers force".
function permissionsDenying(denied: string[]) {
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: (): PermissionEvaluator => {
      const decide = (
        requests: Array<{
          permission: { name: string };
          resourceRef?: string;
        }>,
      ) =>
        requests.map(r => ({
          result:
            denied.includes(r.permission.name) ||
            denied.includes(`${r.permission.name} ${r.resourceRef}`)
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        }));
      // A policy decides without seeing the entity: a permission denied for some entities only is conditional.
      const conditional = (requests: Array<{ permission: { name: string } }>) =>
        requests.map(r =>
          denied.some(d => d.startsWith(`${r.permission.name} `))
            ? {
                result: AuthorizeResult.CONDITIONAL,
                pluginId: 'catalog',
                resourceType: 'catalog-entity',
                conditions: { rule: 'DENIED_IN_TEST', params: {} },
              }
            : decide([r])[0],
        );
      return {
        authorize: async requests => decide(requests as any) as any,
        authorizeConditional: async requests =>
          conditional(requests as any) as any,
      };
    },
  });
}

/** A catalog component owned by `owner`, claiming `image`. */
export function imageEntity(
  name: string,
  image: string,
  options: { owner?: string; environments?: string } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'berth.dev/images': image,
        ...(options.environments && {
          'berth.dev/environments': options.environments,
        }),
      },
    },
    spec: {
      type: 'service',
      owner: options.owner ?? 'guests',
      lifecycle: 'production',
    },
  };
}

/**
 * Test backends running the images plugin against registries (`ghcr.io` sent to `ghcrUrl`, usually a counting
 * proxy), an in-memory catalog and the backend's database; `stopAll` stops every one started.
 */
export function imagesTestBackends(ghcrUrl: () => string) {
  const running: Array<{ stop(): Promise<void> }> = [];
  return {
    async start(options: TestBackendOptions = {}): Promise<Server> {
      const testBackend = await startTestBackend({
        features: [
          imagesPlugin,
          ...(options.features ?? []),
          ...(options.auditor ? [options.auditor.factory] : []),
          ...(options.database
            ? [mockServices.database.factory({ knex: options.database })]
            : []),
          catalogServiceMock.factory({
            entities: [
              imageEntity('shop', options.image ?? 'ghcr.io/acme/shop', {
                environments: options.environmentsAnnotation,
              }),
              ...(options.entities ?? []),
            ],
          }),
          options.permissions ??
            (options.denied
              ? permissionsDenying(options.denied)
              : mockServices.permissions.factory({
                  result: options.deny
                    ? AuthorizeResult.DENY
                    : AuthorizeResult.ALLOW,
                })),
          mockServices.rootConfig.factory({
            data: {
              ...options.config,
              images: {
                registries: [
                  {
                    host: 'ghcr.io',
                    endpoint: ghcrUrl(),
                    insecure: true,
                    ...options.ghcr,
                  },
                  ...(options.registries ?? []),
                ],
                environments: options.environments ?? [
                  {
                    name: 'staging',
                    tag: 'staging',
                    ...(options.validation && {
                      validation: options.validation,
                    }),
                  },
                  {
                    name: 'production',
                    tag: 'latest',
                    alsoTag: ['main'],
                    protected: true,
                  },
                ],
                index: { refreshMinutes: 600 },
                ...options.images,
              },
            },
          }),
        ],
      });
      running.push(testBackend);
      return testBackend.server;
    },
    async stopAll() {
      await Promise.all(running.splice(0).map(b => b.stop()));
    },
  };
}

/**
 * For a describe block: a real CNCF registry standing in for ghcr.io behind a counting proxy, a client straight to
 * it, test backends stopped after each test, and test databases; all stopped after the block.
 */
export function registryBackends() {
  const fixture = {} as {
    registry: RunningRegistry;
    proxy: RegistryProxy;
    direct: RegistryClient;
  };
  const databases = createTestDatabases();
  const backends = imagesTestBackends(() => fixture.proxy.url);
  beforeAll(async () => {
    fixture.registry = await startRegistry();
    fixture.proxy = await startRegistryProxy({ target: fixture.registry.url });
    fixture.direct = new RegistryClient({
      host: fixture.registry.host,
      baseUrl: fixture.registry.url,
    });
  });
  afterEach(() => backends.stopAll());
  afterAll(async () => {
    await fixture.proxy?.stop();
    await fixture.registry?.stop();
    await databases.stop();
  });
  return { fixture, backends, databases };
}
