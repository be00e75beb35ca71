import { mockCredentials } from '@backstage/backend-test-utils';
import {
  pushTestImage,
  TEST_DATABASE_KINDS,
} from '@berth/plugin-images-backend-test-utils';
import request from 'supertest';
import { registryBackends } from '../__testUtils__/testBackends';

// Holding an environment through the API of a test backend, against a real registry standing in for ghcr.io: the
// lane says who holds it and why, no promotion enters (forced, or approved after the hold) until it is released.
describe('Environment holds', () => {
  const { fixture, backends, databases } = registryBackends();
  const base = '/api/images/entities/component/default/shop';
  const ada = mockCredentials.user.header('user:default/ada');
  const grace = mockCredentials.user.header('user:default/grace');
  const repository = 'acme/held';
  let live: string;
  let candidate: string;

  beforeAll(async () => {
    live = await pushTestImage(fixture.direct, repository, ['latest', 'main'], {
      layer: 'held live',
    });
    candidate = await pushTestImage(fixture.direct, repository, ['build-2'], {
      layer: 'held candidate',
    });
  });

  it('keeps every promotion out of a held environment until it is released, and shows the hold on the lane', async () => {
    const server = await backends.start({ image: `ghcr.io/${repository}` });
    const hold = (body: object, as = ada) =>
      request(server).post(`${base}/holds`).set('authorization', as).send(body);
    const promote = (extra: object = {}) =>
      request(server)
        .post(`${base}/promotions`)
        .set('authorization', ada)
        .send({
          environment: 'production',
          source: 'build-2',
          reason: 'Release 2',
          ...extra,
        });

    // Asked before the hold, approved after it: the approval does not get past it.
    const pending = await promote();
    expect(pending.body.promotion.status).toBe('pending-approval');

    expect((await hold({ environment: 'production' })).status).toBe(400);
    const held = await hold({
      environment: 'production',
      reason: 'Investigating the checkout errors',
    });
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({
      heldBy: 'user:default/ada',
      reason: 'Investigating the checkout errors',
    });
    const again = await hold(
      { environment: 'production', reason: 'Me too' },
      grace,
    );
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(
      'production of ghcr.io/acme/held is held already, by user:default/ada: Investigating the checkout errors',
    );

    const overview = await request(server)
      .get(`${base}/overview`)
      .set('authorization', grace);
    const lanes = overview.body.images[0].environments;
    expect(lanes.find((l: any) => l.name === 'production').hold).toEqual(
      held.body,
    );
    expect(lanes.find((l: any) => l.name === 'staging').hold).toBeUndefined();

    const message = `production is held by user:default/ada since ${held.body.heldAt
      .slice(0, 16)
      .replace(
        'T',
        ' ',
      )} UTC: Investigating the checkout errors. Release the hold first`;
    const plan = await promote({ dryRun: true });
    expect(plan.body.plan.gates).toEqual([
      { id: 'hold', passed: false, message },
    ]);
    const forced = await promote({ force: true });
    expect(forced.status).toBe(409);
    expect(forced.body.error.message).toBe(message);
    const approved = await request(server)
      .post(`${base}/promotions/${pending.body.promotion.id}/approve`)
      .set('authorization', grace)
      .send({});
    expect(approved.status).toBe(409);
    expect(approved.body.error.message).toBe(message);
    expect(await fixture.direct.resolveDigest(repository, 'latest')).toBe(live);

    const released = await request(server)
      .delete(`${base}/holds/production`)
      .set('authorization', grace);
    expect(released.status).toBe(200);
    expect(
      (
        await request(server)
          .delete(`${base}/holds/production`)
          .set('authorization', grace)
      ).status,
    ).toBe(404);
    const asked = await promote();
    const done = await request(server)
      .post(`${base}/promotions/${asked.body.promotion.id}/approve`)
      .set('authorization', grace)
      .send({});
    expect(done.body.status).toBe('succeeded');
    expect(await fixture.direct.resolveDigest(repository, 'latest')).toBe(
      candidate,
    );
  });

  it('lets only those who may promote hold or release an environment', async () => {
    const server = await backends.start({
      image: `ghcr.io/${repository}`,
      denied: ['images.image.promote'],
    });
    const held = await request(server)
      .post(`${base}/holds`)
      .set('authorization', ada)
      .send({ environment: 'staging', reason: 'No' });
    expect(held.status).toBe(403);
    const unknown = await request(server)
      .delete(`${base}/holds/qa`)
      .set('authorization', ada);
    expect(unknown.status).toBe(403);
  });

  it.each(TEST_DATABASE_KINDS)(
    'places one hold when eight people hold the same environment at once on two replicas; the others learn who holds it (%s)',
    async kind => {
      const database = await databases.open(kind);
      const replicas = [
        await backends.start({ image: `ghcr.io/${repository}`, database }),
        await backends.start({ image: `ghcr.io/${repository}`, database }),
      ];
      const people = Array.from({ length: 8 }, (_, i) => `user:default/p${i}`);
      const answers = await Promise.all(
        people.map((person, i) =>
          request(replicas[i % 2])
            .post(`${base}/holds`)
            .set('authorization', mockCredentials.user.header(person))
            .send({ environment: 'staging', reason: `Held by ${person}` }),
        ),
      );
      const statuses = answers.map(a => a.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
      const holder = answers.find(a => a.status === 200)!.body.heldBy;
      expect(people).toContain(holder);
      for (const refused of answers.filter(a => a.status === 409)) {
        expect(refused.body.error.message).toBe(
          `staging of ghcr.io/${repository} is held already, by ${holder}: Held by ${holder}`,
        );
      }
      // Both replicas show the one hold on the lane.
      for (const replica of replicas) {
        const overview = await request(replica)
          .get(`${base}/overview`)
          .set('authorization', ada);
        const staging = overview.body.images[0].environments.find(
          (env: { name: string }) => env.name === 'staging',
        );
        expect(staging.hold).toMatchObject({ heldBy: holder });
      }
      const released = await request(replicas[1])
        .delete(`${base}/holds/staging`)
        .set('authorization', ada);
      expect(released.status).toBe(200);
    },
  );
});
