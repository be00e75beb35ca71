import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import {
  createTestDatabases,
  pushTestImage,
  RunningRegistry,
  startRegistry,
} from '@berth/plugin-images-backend-test-utils';
import express from 'express';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { imagesTestBackends } from '../__testUtils__/testBackends';
import { RegistryClient } from '../registry';
import { driftWatchServiceRef } from './DriftWatch';

// A route that runs one look of the drift watch, as the scheduler would: a module of the images plugin, so that it
// shares the plugin's own services.
const driftProbe = createBackendModule({
  pluginId: 'images',
  moduleId: 'drift-probe',
  register(env) {
    env.registerInit({
      deps: { http: coreServices.httpRouter, watch: driftWatchServiceRef },
      async init({ http, watch }) {
        const router = express.Router();
        router.post('/drift-probe/check', async (_req, res) => {
          res.json({ sent: await watch.check() });
        });
        http.use(router);
        http.addAuthPolicy({
          path: '/drift-probe/check',
          allow: 'unauthenticated',
        });
      },
    });
  },
});

const guests: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'guests', namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: [{ type: 'hasMember', targetRef: 'user:default/ada' }],
};
const ada: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'ada', namespace: 'default' },
  spec: {},
};

// The real images backend, notifications backend and database (kept across backends, as across a restart or
// replicas); the deployment file comes from a loopback code host through Backstage's URL reader; the images from a
// real registry standing in for ghcr.io.
describe('Drift watch', () => {
  jest.setTimeout(60_000);
  let registry: RunningRegistry;
  let codeHost: Server;
  let port = 0;
  let deployed = '';
  const databases = createTestDatabases();
  const backends = imagesTestBackends(() => registry.url);

  beforeAll(async () => {
    registry = await startRegistry();
    const client = new RegistryClient({
      host: registry.host,
      baseUrl: registry.url,
    });
    await pushTestImage(client, 'acme/shop', ['v1', 'latest'], {
      layer: 'one',
    });
    await pushTestImage(client, 'acme/shop', ['v2'], { layer: 'two' });
    codeHost = createServer((req, res) => {
      if (req.url === '/shop/production.yaml') {
        res.writeHead(200).end(`image: ghcr.io/acme/shop:${deployed}\n`);
      } else res.writeHead(404).end();
    });
    await new Promise<void>(resolve => codeHost.listen(0, resolve));
    port = (codeHost.address() as AddressInfo).port;
  }, 60_000);
  afterEach(() => backends.stopAll());
  afterAll(async () => {
    await new Promise(resolve => codeHost?.close(resolve));
    await databases.stop();
    await registry?.stop();
  });

  it('tells the owners once when production drifts from its tag, and once when it is back', async () => {
    const database = await databases.openEmpty('SQLite');
    // Each look runs in a fresh backend on the same database: what was seen survives, the file cache does not.
    async function look(runs: string) {
      deployed = runs;
      const server = await backends.start({
        database,
        features: [notificationsPlugin, driftProbe],
        entities: [
          guests,
          ada,
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'deployed-shop',
              namespace: 'default',
              annotations: {
                'berth.dev/images': 'ghcr.io/acme/shop',
                'berth.dev/deployment-files': `production=http://localhost:${port}/shop/production.yaml`,
              },
            },
            spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
          },
        ],
        config: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: { reading: { allow: [{ host: `localhost:${port}` }] } },
        },
      });
      const { body } = await request(server)
        .post('/api/images/drift-probe/check')
        .expect(200);
      const inbox = await request(server)
        .get('/api/notifications/notifications')
        .set('authorization', mockCredentials.user.header('user:default/ada'));
      await backends.stopAll();
      return {
        sent: body.sent as number,
        inbox: inbox.body.notifications.map(
          (n: { payload: { title: string; description: string } }) => n.payload,
        ),
      };
    }

    // Production runs what its tag says: nothing to tell.
    expect(await look('v1')).toEqual({ sent: 0, inbox: [] });
    // Someone deployed v2 by hand.
    const drifted = await look('v2');
    expect(drifted.sent).toBe(1);
    expect(drifted.inbox).toEqual([
      expect.objectContaining({
        title:
          'production of ghcr.io/acme/shop runs something else than its tag latest',
        description: expect.stringMatching(
          /runs [0-9a-f]{12}, not [0-9a-f]{12} that the tag points at$/,
        ),
        link: '/catalog/default/component/deployed-shop/images',
        topic: 'images:drift',
        severity: 'high',
      }),
    ]);
    // Still drifted at the next look, after a restart: not told again.
    expect((await look('v2')).sent).toBe(0);
    // Back on its tag: the notice is replaced, not added to.
    const back = await look('v1');
    expect(back.sent).toBe(1);
    expect(back.inbox).toEqual([
      expect.objectContaining({
        title: 'production of ghcr.io/acme/shop runs its tag latest again',
        topic: 'images:drift',
      }),
    ]);
  });
});
