import {
  AuthService,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import permissionBackend from '@backstage/plugin-permission-backend';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { imagesReadPermission } from '@berth/plugin-images-common';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { imagesPlugin } from '../plugin';

// The catalog processes 700 entities from a file first, on a 2-CPU machine shared with other suites.
jest.setTimeout(120_000);

const ENTITIES = 700;
const name = (i: number) => `svc-${String(i).padStart(4, '0')}`;

// A policy as an organisation writes one: everyone reads the images of production services only (a condition the
// permission backend applies through the catalog); Grace, a contractor of team-1, does not even see the entities in the
// catalog but team-1's. Everything else is allowed.
const policyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'fleet-test-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy({
          async handle(
            query: PolicyQuery,
            user?: PolicyQueryUser,
          ): Promise<PolicyDecision> {
            const production = catalogConditions.hasSpec({
              key: 'lifecycle',
              value: 'production',
            });
            if (
              (user?.credentials.principal as { userEntityRef?: string })
                ?.userEntityRef === 'user:default/grace' &&
              query.permission.name === catalogEntityReadPermission.name &&
              isResourcePermission(query.permission, 'catalog-entity')
            ) {
              return createCatalogConditionalDecision(
                query.permission,
                catalogConditions.hasSpec({ key: 'owner', value: 'team-1' }),
              );
            }
            if (
              query.permission.name === imagesReadPermission.name &&
              isResourcePermission(query.permission, 'catalog-entity')
            ) {
              return createCatalogConditionalDecision(
                query.permission,
                production,
              );
            }
            return { result: AuthorizeResult.ALLOW };
          },
        });
      },
    });
  },
});

// Backstage's mock auth, except that a plugin calling on a user's behalf says so (the actor), as real auth does: the
// real permission backend gives conditional decisions only to such calls, not to users directly.
const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const pluginId = plugin.getId();
    const mock = mockServices.auth({ pluginId });
    return {
      authenticate: (token, options) => mock.authenticate(token, options),
      getNoneCredentials: () => mock.getNoneCredentials(),
      getOwnServiceCredentials: () => mock.getOwnServiceCredentials(),
      isPrincipal: mock.isPrincipal.bind(mock) as AuthService['isPrincipal'],
      getLimitedUserToken: credentials => mock.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => mock.listPublicServiceKeys(),
      async getPluginRequestToken(options) {
        const principal = options.onBehalfOf.principal as {
          type: string;
          userEntityRef?: string;
        };
        if (principal.type !== 'user' || !principal.userEntityRef)
          return mock.getPluginRequestToken(options);
        return {
          token: mockCredentials.user.token(principal.userEntityRef, {
            actor: { subject: `plugin:${pluginId}` },
          }),
        };
      },
    };
  },
});

// The fleet of a large organisation through the real catalog, the real permission backend and a conditional policy:
// the permission backend takes at most 100 kB of decisions per request, some 500 entities, and applies conditions
// entity by entity through the catalog. No registry is asked; none is reachable.
describe('GET /fleet with the real catalog and permission backends', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-fleet-permissions-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`lists the ${ENTITIES} onboarded entities a conditional policy lets each user see and read`, async () => {
    const file = join(dir, 'entities.yaml');
    writeFileSync(
      file,
      Array.from({ length: ENTITIES }, (_, i) =>
        JSON.stringify({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: name(i),
            annotations: { 'berth.dev/images': `ghcr.io/fleet/${name(i)}` },
          },
          spec: {
            type: 'service',
            owner: `team-${i % 5}`,
            // One in four is experimental: the policy hides its images.
            lifecycle: i % 4 === 0 ? 'experimental' : 'production',
          },
        }),
      ).join('\n---\n'),
    );
    const backend = await startTestBackend({
      features: [
        imagesPlugin,
        catalogBackend,
        permissionBackend,
        policyModule,
        authWithActors,
        permissionsServiceFactory,
        permissionsRegistryServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            catalog: {
              rules: [{ allow: ['Component'] }],
              locations: [{ type: 'file', target: file }],
            },
            images: {
              // Nothing listens there: the fleet reads the index only.
              registries: [
                {
                  host: 'ghcr.io',
                  endpoint: 'http://127.0.0.1:9',
                  insecure: true,
                },
              ],
              environments: [
                { name: 'staging', tag: 'staging' },
                { name: 'production', tag: 'latest' },
              ],
              index: { refreshMinutes: 600 },
            },
          },
        }),
      ],
    });
    try {
      const user = mockCredentials.user.header('user:default/ada');
      // Until the catalog has processed the file.
      for (let tries = 0; ; tries++) {
        const { body } = await request(backend.server)
          .get('/api/catalog/entities/by-query?filter=kind=component&limit=1')
          .set('authorization', user);
        if (body.totalItems === ENTITIES) break;
        if (tries > 200)
          throw new Error(`catalog has ${JSON.stringify(body).slice(0, 300)}`);
        await new Promise(r => setTimeout(r, 250));
      }

      const fleet = await request(backend.server)
        .get('/api/images/fleet?pageSize=500')
        .set('authorization', user);
      expect(fleet.status).toBe(200);
      const readable = Array.from({ length: ENTITIES }, (_, i) => i).filter(
        i => i % 4 !== 0,
      );
      expect(fleet.body.totalRows).toBe(readable.length);
      expect(fleet.body.rows).toHaveLength(500);
      expect(fleet.body.rows[0]).toMatchObject({
        entityRef: `component:default/${name(1)}`,
        lifecycle: 'production',
        cells: [
          { environment: 'staging', status: 'GREY' },
          { environment: 'production', status: 'GREY' },
        ],
      });
      expect(
        fleet.body.rows.some(
          (row: { lifecycle: string }) => row.lifecycle === 'experimental',
        ),
      ).toBe(false);
      const last = await request(backend.server)
        .get('/api/images/fleet?pageSize=500&page=1')
        .set('authorization', user);
      expect(
        last.body.rows.map((r: { entityRef: string }) => r.entityRef),
      ).toEqual(readable.slice(500).map(i => `component:default/${name(i)}`));

      // Grace sees only team-1's entities in the catalog: the fleet is built from what the catalog shows her.
      const grace = await request(backend.server)
        .get('/api/images/fleet?pageSize=500')
        .set(
          'authorization',
          mockCredentials.user.header('user:default/grace'),
        );
      expect(grace.status).toBe(200);
      expect(
        grace.body.rows.map((r: { entityRef: string }) => r.entityRef),
      ).toEqual(
        readable
          .filter(i => i % 5 === 1)
          .map(i => `component:default/${name(i)}`),
      );
    } finally {
      await backend.stop();
    }
  });
});
