import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import {
  pushTestImage,
  RunningRegistry,
  startRegistry,
} from '@berth/plugin-images-backend-test-utils';
import { Server } from 'node:http';
import request from 'supertest';
import { imagesTestBackends } from '../__testUtils__/testBackends';
import { RegistryClient } from '../registry';

const person = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: {},
});

// The shop's owners: ada, grace and linus. Only the catalog's relations say so, as the notifications backend reads them.
const guests: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'guests', namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: [
    { type: 'hasMember', targetRef: 'user:default/ada' },
    { type: 'hasMember', targetRef: 'user:default/grace' },
    { type: 'hasMember', targetRef: 'user:default/linus' },
  ],
};

// Backstage's real notifications backend runs beside the images plugin: approvers learn that a promotion waits for
// them, the requester how it was decided, each through the notifications API as they would read it in the app.
describe('Promotion notifications', () => {
  // Each test starts a backend with two plugins and a promotion: seconds of work, not a time limit.
  jest.setTimeout(30_000);
  let registry: RunningRegistry;
  const backends = imagesTestBackends(() => registry.url);
  const base = '/api/images/entities/component/default/shop';
  const ada = mockCredentials.user.header('user:default/ada');
  const grace = mockCredentials.user.header('user:default/grace');
  const linus = mockCredentials.user.header('user:default/linus');

  beforeAll(async () => {
    registry = await startRegistry();
    const client = new RegistryClient({
      host: registry.host,
      baseUrl: registry.url,
    });
    await pushTestImage(client, 'acme/shop', ['build-1', 'latest'], {
      layer: 'one',
    });
    await pushTestImage(client, 'acme/shop', ['build-2'], { layer: 'two' });
  }, 60_000);
  afterEach(() => backends.stopAll());
  afterAll(() => registry?.stop());

  async function inbox(server: Server, user: string) {
    const answer = await request(server)
      .get('/api/notifications/notifications')
      .set('authorization', user);
    expect(answer.status).toBe(200);
    return answer.body.notifications.map(
      (n: { payload: { title: string; link?: string } }) => n.payload,
    );
  }

  async function requestProduction(server: Server, source: string) {
    const asked = await request(server)
      .post(`${base}/promotions`)
      .set('authorization', ada)
      .send({ environment: 'production', source, reason: 'Release 2' });
    expect(asked.status).toBe(200);
    expect(asked.body.promotion.status).toBe('pending-approval');
    return asked.body.promotion.id as string;
  }

  it('tells the owners that a promotion waits for them, and the requester that it ran', async () => {
    const server = await backends.start({
      entities: [guests, person('ada'), person('grace')],
      features: [notificationsPlugin],
      config: { app: { baseUrl: 'http://localhost:3000' } },
    });
    const id = await requestProduction(server, 'build-2');

    expect(await inbox(server, grace)).toEqual([
      expect.objectContaining({
        title:
          'Promotion of ghcr.io/acme/shop to production waits for your approval',
        description: 'user:default/ada asks: Release 2',
        link: '/catalog/default/component/shop/images',
        severity: 'high',
      }),
    ]);
    // The requester is not asked to approve their own promotion.
    expect(await inbox(server, ada)).toEqual([]);

    const approved = await request(server)
      .post(`${base}/promotions/${id}/approve`)
      .set('authorization', grace)
      .send({ comment: 'Go' });
    expect(approved.status).toBe(200);
    expect(await inbox(server, ada)).toEqual([
      expect.objectContaining({
        title:
          'Promotion of ghcr.io/acme/shop to production was approved by user:default/grace and ran',
        description: 'Go',
      }),
    ]);
  });

  it('tells the other owners that an environment moved, and what it runs now', async () => {
    const server = await backends.start({
      entities: [guests, person('ada'), person('grace'), person('linus')],
      features: [notificationsPlugin],
      config: { app: { baseUrl: 'http://localhost:3000' } },
    });
    const moved = await request(server)
      .post(`${base}/promotions`)
      .set('authorization', ada)
      .send({ environment: 'staging', source: 'build-2', reason: 'Try 2' });
    expect(moved.status).toBe(200);
    const digest = moved.body.promotion.sourceDigest as string;
    const short = digest.replace('sha256:', '').slice(0, 12);
    const notice = expect.objectContaining({
      title: `staging of ghcr.io/acme/shop now runs ${short}`,
      description: 'Promoted by user:default/ada: Try 2',
      link: '/catalog/default/component/shop/images',
      topic: 'images:moved',
    });
    expect(await inbox(server, linus)).toEqual([notice]);
    expect(await inbox(server, grace)).toEqual([notice]);
    // Who moved it knows.
    expect(await inbox(server, ada)).toEqual([]);

    // The next move of staging replaces the notice rather than piling up.
    await request(server)
      .post(`${base}/promotions`)
      .set('authorization', ada)
      .send({ environment: 'staging', source: 'build-1', reason: 'Back to 1' })
      .expect(200);
    const [latest, ...older] = await inbox(server, linus);
    expect(older).toEqual([]);
    expect(latest.description).toMatch(/^Promoted by user:default\/ada from /);
    expect(latest.description).toMatch(/: Back to 1$/);
  });

  it('tells the requester of a rejection and why', async () => {
    const server = await backends.start({
      entities: [guests, person('ada'), person('grace')],
      features: [notificationsPlugin],
      config: { app: { baseUrl: 'http://localhost:3000' } },
    });
    const id = await requestProduction(server, 'build-1');
    const rejected = await request(server)
      .post(`${base}/promotions/${id}/reject`)
      .set('authorization', grace)
      .send({ comment: 'Not during the sale' });
    expect(rejected.status).toBe(200);
    expect(await inbox(server, ada)).toEqual([
      expect.objectContaining({
        title:
          'Promotion of ghcr.io/acme/shop to production was rejected by user:default/grace',
        description: 'Not during the sale',
        severity: 'high',
      }),
    ]);
  });

  it('promotes as before when no notifications backend runs', async () => {
    const server = await backends.start({
      entities: [guests, person('ada'), person('grace')],
    });
    // The first test moved production to build-2: build-1 waits for approval again.
    const id = await requestProduction(server, 'build-1');
    const history = await request(server)
      .get(`${base}/promotions`)
      .set('authorization', ada);
    expect(history.body.items[0]).toMatchObject({
      id,
      status: 'pending-approval',
    });
  });
});
