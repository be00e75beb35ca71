import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  pushTestImage,
  TEST_DATABASE_KINDS,
} from '@berth/plugin-images-backend-test-utils';
import request from 'supertest';
import { imageEntity, registryBackends } from '../__testUtils__/testBackends';

// Real PostgreSQL servers on a 2-CPU machine shared with other suites: starting one can take seconds.
jest.setTimeout(30_000);

// Who belongs to which group, as a sign-in resolver would say: ada, grace and linus are release managers, mallory
// is not.
const members: Record<string, string[]> = {
  'user:default/ada': ['group:default/release'],
  'user:default/grace': ['group:default/release'],
  'user:default/linus': ['group:default/release'],
  'user:default/mallory': [],
};
const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const userEntityRef = credentials.principal.userEntityRef as string;
      return {
        userEntityRef,
        ownershipEntityRefs: [userEntityRef, ...(members[userEntityRef] ?? [])],
      };
    },
  }),
});

// An environment's `approvals` policy through the promotion API of a test backend, against a real registry standing
// in for ghcr.io, on both databases: approvals from distinct group members, none of them the requester, are counted
// until the last one needed runs the promotion.
describe('Several approvers', () => {
  const { fixture, backends, databases } = registryBackends();
  const base = '/api/images/entities/component/default/shop';
  const as = (user: string) =>
    mockCredentials.user.header(`user:default/${user}`);

  it.each(TEST_DATABASE_KINDS)(
    'waits for two approvals from distinct members of the group, none of them the requester (%s)',
    async kind => {
      const repository = `acme/approvals-${kind.toLowerCase()}`;
      const live = await pushTestImage(fixture.direct, repository, ['latest'], {
        layer: `${kind} live`,
      });
      const candidate = await pushTestImage(
        fixture.direct,
        repository,
        ['build-2'],
        {
          layer: `${kind} candidate`,
        },
      );
      const server = await backends.start({
        image: `ghcr.io/${repository}`,
        database: await databases.open(kind),
        features: [userInfo],
        environments: [
          { name: 'staging', tag: 'staging' },
          {
            name: 'production',
            tag: 'latest',
            policies: { approvals: { count: 2, group: 'release' } },
          },
        ],
      });
      const approve = (id: string, user: string, comment?: string) =>
        request(server)
          .post(`${base}/promotions/${id}/approve`)
          .set('authorization', as(user))
          .send({ comment });

      const dry = await request(server)
        .post(`${base}/promotions`)
        .set('authorization', as('ada'))
        .send({
          environment: 'production',
          source: 'build-2',
          reason: 'Release 2',
          dryRun: true,
        });
      expect(dry.body.plan).toMatchObject({
        needsApproval: true,
        approvalsNeeded: 2,
        approvalGroup: 'group:default/release',
      });
      const asked = await request(server)
        .post(`${base}/promotions`)
        .set('authorization', as('ada'))
        .send({
          environment: 'production',
          source: 'build-2',
          reason: 'Release 2',
        });
      expect(asked.body.promotion).toMatchObject({
        status: 'pending-approval',
        approvalsNeeded: 2,
        approvalGroup: 'group:default/release',
        approvals: [],
      });
      const id = asked.body.promotion.id;

      const own = await approve(id, 'ada');
      expect(own.status).toBe(403);
      const outsider = await approve(id, 'mallory');
      expect(outsider.status).toBe(403);
      expect(outsider.body.error.message).toBe(
        'Only members of group:default/release may approve promotions to production',
      );

      const first = await approve(id, 'grace', 'Canary is fine');
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        status: 'pending-approval',
        approvals: [{ by: 'user:default/grace', comment: 'Canary is fine' }],
      });
      expect(await fixture.direct.resolveDigest(repository, 'latest')).toBe(
        live,
      );

      const twice = await approve(id, 'grace');
      expect(twice.status).toBe(409);
      expect(twice.body.error.message).toBe(
        'You approved this promotion already: it waits for 1 more approval(s) from other people',
      );
      expect(await fixture.direct.resolveDigest(repository, 'latest')).toBe(
        live,
      );

      const second = await approve(id, 'linus', 'Ship it');
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({
        status: 'succeeded',
        decidedBy: 'user:default/linus',
        approvals: [
          { by: 'user:default/grace' },
          { by: 'user:default/linus', comment: 'Ship it' },
        ],
      });
      expect(await fixture.direct.resolveDigest(repository, 'latest')).toBe(
        candidate,
      );

      const history = await request(server)
        .get(`${base}/promotions`)
        .set('authorization', as('ada'));
      expect(
        history.body.items[0].approvals.map((a: { by: string }) => a.by),
      ).toEqual(['user:default/grace', 'user:default/linus']);
    },
  );

  it("gathers, across entities, what waits for each person's approval", async () => {
    await pushTestImage(fixture.direct, 'acme/inbox-shop', ['latest'], {
      layer: 'inbox shop live',
    });
    await pushTestImage(fixture.direct, 'acme/inbox-shop', ['build-2'], {
      layer: 'inbox shop next',
    });
    await pushTestImage(fixture.direct, 'acme/inbox-billing', ['latest'], {
      layer: 'inbox billing live',
    });
    await pushTestImage(fixture.direct, 'acme/inbox-billing', ['build-2'], {
      layer: 'inbox billing next',
    });
    const server = await backends.start({
      image: 'ghcr.io/acme/inbox-shop',
      entities: [imageEntity('billing', 'ghcr.io/acme/inbox-billing')],
      features: [userInfo],
      environments: [
        { name: 'staging', tag: 'staging' },
        {
          name: 'production',
          tag: 'latest',
          policies: { approvals: { count: 2, group: 'release' } },
        },
      ],
    });
    const ask = (entity: string, user: string) =>
      request(server)
        .post(`/api/images/entities/component/default/${entity}/promotions`)
        .set('authorization', as(user))
        .send({ environment: 'production', source: 'build-2', reason: 'Go' });
    const shop = (await ask('shop', 'ada')).body.promotion.id;
    const bill = (await ask('billing', 'linus')).body.promotion.id;
    const inbox = async (user: string) =>
      (
        await request(server)
          .get('/api/images/approvals')
          .set('authorization', as(user))
      ).body.items.map(
        (item: { entityRef: string; promotion: { id: string } }) =>
          `${item.entityRef} ${item.promotion.id}`,
      );

    expect(await inbox('grace')).toEqual([
      `component:default/shop ${shop}`,
      `component:default/billing ${bill}`,
    ]);
    // Not one's own request; not for someone outside the approval group.
    expect(await inbox('ada')).toEqual([`component:default/billing ${bill}`]);
    expect(await inbox('mallory')).toEqual([]);
    // Once approved by grace, it waits for others, not for her.
    await request(server)
      .post(`${base}/promotions/${shop}/approve`)
      .set('authorization', as('grace'))
      .send({});
    expect(await inbox('grace')).toEqual([`component:default/billing ${bill}`]);
    expect(await inbox('linus')).toEqual([`component:default/shop ${shop}`]);
  });

  it('runs the promotion once when the last two approvals arrive at the same time', async () => {
    const repository = 'acme/approvals-race';
    await pushTestImage(fixture.direct, repository, ['latest'], {
      layer: 'race live',
    });
    const candidate = await pushTestImage(
      fixture.direct,
      repository,
      ['build-2'],
      {
        layer: 'race candidate',
      },
    );
    const server = await backends.start({
      image: `ghcr.io/${repository}`,
      features: [userInfo],
      environments: [
        { name: 'staging', tag: 'staging' },
        {
          name: 'production',
          tag: 'latest',
          policies: { approvals: { count: 2 } },
        },
      ],
    });
    const asked = await request(server)
      .post(`${base}/promotions`)
      .set('authorization', as('ada'))
      .send({ environment: 'production', source: 'build-2', reason: 'Race' });
    const id = asked.body.promotion.id;
    const answers = await Promise.all(
      ['grace', 'linus'].map(user =>
        request(server)
          .post(`${base}/promotions/${id}/approve`)
          .set('authorization', as(user))
          .send({}),
      ),
    );
    // Both approvals counted; the promotion ran once.
    expect(answers.map(a => a.status)).toEqual([200, 200]);
    expect(await fixture.direct.resolveDigest(repository, 'latest')).toBe(
      candidate,
    );
    const history = await request(server)
      .get(`${base}/promotions`)
      .set('authorization', as('ada'));
    const production = history.body.items.filter(
      (p: { environment: string }) => p.environment === 'production',
    );
    expect(production.map((p: { status: string }) => p.status)).toEqual([
      'succeeded',
    ]);
    const rollbacks = (await fixture.direct.listTags(repository)).tags.filter(
      t => t.startsWith('rollback-'),
    );
    expect(rollbacks).toHaveLength(1);
  });
});
