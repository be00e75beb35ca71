import {
  pushTestImage,
  TEST_DATABASE_KINDS,
} from '@berth/plugin-images-backend-test-utils';
import { ConfigReader } from '@backstage/config';
import request from 'supertest';
import { registryBackends } from '../__testUtils__/testBackends';
import { readEnvironments } from '../config/readEnvironments';

// Real PostgreSQL servers on a 2-CPU machine shared with other suites: starting one can take seconds.
jest.setTimeout(30_000);

// Release policies through the promotion API of a test backend, against a real registry standing in for ghcr.io and
// both databases: each policy is a gate of the plan with its reason, stops a promotion unless forced, and counts what
// Berth saw run upstream (its own promotions, and the environment tags the Images tab looked at).
describe('Release policies', () => {
  const { fixture, backends, databases } = registryBackends();
  const base = '/api/images/entities/component/default/shop';

  const environments = (soakTime: string) => [
    { name: 'staging', tag: 'staging' },
    {
      name: 'production',
      tag: 'latest',
      policies: { upstreamFirst: true, soakTime },
    },
  ];
  const toProduction = (server: any, source: string, extra: object = {}) =>
    request(server)
      .post(`${base}/promotions`)
      .send({
        environment: 'production',
        source,
        reason: 'Release',
        ...extra,
      });

  it.each(TEST_DATABASE_KINDS)(
    'refuses a digest that has not run upstream or not for the soak time, says so in the plan and the history, and lets a forced promotion through (%s)',
    async kind => {
      const repository = `acme/policy-${kind.toLowerCase()}`;
      const live = await pushTestImage(
        fixture.direct,
        repository,
        ['staging', 'latest'],
        { layer: `${kind} live` },
      );
      const fresh = await pushTestImage(
        fixture.direct,
        repository,
        ['build-2'],
        {
          layer: `${kind} fresh`,
        },
      );
      const server = await backends.start({
        image: `ghcr.io/${repository}`,
        environments: environments('1h'),
        database: await databases.open(kind),
      });

      const dry = await toProduction(server, 'build-2', { dryRun: true });
      expect(dry.status).toBe(200);
      expect(dry.body.plan.gates).toEqual([
        {
          id: 'upstream-first',
          passed: false,
          message: 'has not run in staging: promote it there first',
        },
        {
          id: 'soak-time',
          passed: false,
          message: 'has not run in staging, so not for the 1 h soak time',
        },
      ]);
      const refused = await toProduction(server, 'build-2');
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain(
        'did not pass 2 of 2 gates for production: upstream-first: has not run in staging: promote it there first',
      );
      expect(await fixture.direct.resolveDigest(repository, 'latest')).toBe(
        live,
      );

      // Through staging first: upstream first passes; the soak time has only begun.
      const staged = await request(server).post(`${base}/promotions`).send({
        environment: 'staging',
        source: 'build-2',
        reason: 'Try it',
      });
      expect(staged.status).toBe(200);
      const soaking = await toProduction(server, 'build-2', { dryRun: true });
      const [upstream, soak] = soaking.body.plan.gates;
      expect(upstream).toMatchObject({ id: 'upstream-first', passed: true });
      expect(upstream.message).toMatch(
        /^runs in staging since \d{4}-\d\d-\d\d \d\d:\d\d UTC$/,
      );
      expect(soak.id).toBe('soak-time');
      expect(soak.passed).toBe(false);
      expect(soak.message).toMatch(
        /^has run in staging for \d+ s of the 1 h soak time: it may enter production from \d{4}-\d\d-\d\d \d\d:\d\d UTC$/,
      );

      const forced = await toProduction(server, 'build-2', {
        force: true,
        reason: 'Customer fix cannot wait',
      });
      expect(forced.status).toBe(200);
      expect(forced.body.promotion).toMatchObject({
        status: 'succeeded',
        forced: true,
        sourceDigest: fresh,
      });
      expect(await fixture.direct.resolveDigest(repository, 'latest')).toBe(
        fresh,
      );
      const history = await request(server).get(`${base}/promotions`);
      const production = history.body.items.filter(
        (p: any) => p.environment === 'production',
      );
      expect(
        production.map((p: any) => [
          p.status,
          p.forced,
          p.gates.map((g: any) => `${g.id} ${g.passed}`),
        ]),
      ).toEqual([
        ['succeeded', true, ['upstream-first true', 'soak-time false']],
        ['failed', false, ['upstream-first false', 'soak-time false']],
      ]);
    },
  );

  it('counts what the Images tab saw upstream: a tag CI moved there has run there since', async () => {
    const repository = 'acme/policy-observed';
    await pushTestImage(fixture.direct, repository, ['latest'], {
      layer: 'old',
    });
    const built = await pushTestImage(fixture.direct, repository, ['staging'], {
      layer: 'built by CI',
    });
    const server = await backends.start({
      image: `ghcr.io/${repository}`,
      environments: environments('1s'),
    });
    const overview = await request(server).get(`${base}/overview`);
    expect(overview.body.images[0].environments[0].digest).toBe(built);
    await new Promise(resolve => setTimeout(resolve, 1100));

    const plan = await toProduction(server, 'staging', { dryRun: true });
    expect(plan.body.plan.gates).toEqual([
      {
        id: 'upstream-first',
        passed: true,
        message: expect.stringMatching(/^runs in staging since /),
      },
      {
        id: 'soak-time',
        passed: true,
        message: 'ran in staging for 1 s, past the 1 s soak time',
      },
    ]);
    const promoted = await toProduction(server, 'staging');
    expect(promoted.status).toBe(200);
    expect(await fixture.direct.resolveDigest(repository, 'latest')).toBe(
      built,
    );
  });

  it('refuses promotions into a frozen environment, unless forced by a user allowed to, with a reason', async () => {
    const repository = 'acme/policy-frozen';
    const live = await pushTestImage(fixture.direct, repository, ['latest'], {
      layer: 'frozen live',
    });
    const fix = await pushTestImage(fixture.direct, repository, ['build-7'], {
      layer: 'frozen fix',
    });
    const frozen = [
      { name: 'staging', tag: 'staging' },
      {
        name: 'production',
        tag: 'latest',
        policies: {
          // Open now, whatever the time: a window that began yesterday and ends in 2099.
          freeze: [
            {
              start: new Date(Date.now() - 86_400_000)
                .toISOString()
                .slice(0, 16),
              end: '2099-01-01T00:00',
              timeZone: 'Europe/Paris',
              reason: 'Year-end freeze',
            },
          ],
        },
      },
    ];
    const server = await backends.start({
      image: `ghcr.io/${repository}`,
      environments: frozen,
    });
    const refused = await toProduction(server, 'build-7');
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain(
      'did not pass 1 of 1 gates for production: freeze: production is frozen until 2099-01-01 00:00 Europe/Paris (Year-end freeze): only a forced promotion, with a reason, goes in before then',
    );

    const notAllowed = await backends.start({
      image: `ghcr.io/${repository}`,
      environments: frozen,
      denied: ['images.image.force'],
    });
    const denied = await toProduction(notAllowed, 'build-7', { force: true });
    expect(denied.status).toBe(403);
    expect(await fixture.direct.resolveDigest(repository, 'latest')).toBe(live);

    const forced = await toProduction(server, 'build-7', {
      force: true,
      reason: 'Security fix during the freeze',
    });
    expect(forced.status).toBe(200);
    expect(forced.body.promotion).toMatchObject({
      forced: true,
      reason: 'Security fix during the freeze',
      gates: [{ id: 'freeze', passed: false }],
    });
    expect(await fixture.direct.resolveDigest(repository, 'latest')).toBe(fix);
  });

  it("shows each environment's policies on its lane of the overview, a freeze only while its window is open", async () => {
    const repository = 'acme/policy-lanes';
    await pushTestImage(
      fixture.direct,
      repository,
      ['staging', 'latest', 'canary'],
      { layer: 'lanes' },
    );
    // Open now whatever the time: began an hour ago, ends in two (on the minute, as config writes it).
    const minute = 60_000;
    const began = new Date(
      Math.floor(Date.now() / minute) * minute - 3_600_000,
    );
    const ends = new Date(began.getTime() + 3 * 3_600_000);
    const server = await backends.start({
      image: `ghcr.io/${repository}`,
      environments: [
        {
          name: 'staging',
          tag: 'staging',
          // Not open now: nothing to say on the lane.
          policies: {
            freeze: [
              {
                start: '2099-12-24T00:00',
                end: '2100-01-02T00:00',
                timeZone: 'Europe/Paris',
              },
            ],
          },
        },
        {
          name: 'production',
          tag: 'latest',
          policies: {
            upstreamFirst: true,
            soakTime: '24h',
            approvals: { count: 2, group: 'release-managers' },
            freeze: [
              {
                start: '2020-12-24T00:00',
                end: '2021-01-02T00:00',
                timeZone: 'Europe/Paris',
                reason: 'Year-end freeze',
              },
              {
                start: began.toISOString(),
                end: ends.toISOString(),
                timeZone: 'Europe/Paris',
                reason: 'Release week',
              },
            ],
          },
        },
        {
          name: 'canary',
          tag: 'canary',
          policies: { upstream: 'staging', upstreamFirst: true },
        },
      ],
    });

    const overview = await request(server).get(`${base}/overview`);
    expect(overview.status).toBe(200);
    const lanes = overview.body.images[0].environments;
    expect(lanes.map((lane: any) => [lane.name, lane.policies])).toEqual([
      ['staging', undefined],
      [
        'production',
        {
          frozen: {
            until: ends.toISOString(),
            timeZone: 'Europe/Paris',
            reason: 'Release week',
          },
          upstreamFirst: { environment: 'staging', soakSeconds: 86_400 },
          approvals: { count: 2, group: 'group:default/release-managers' },
        },
      ],
      ['canary', { upstreamFirst: { environment: 'staging' } }],
    ]);
    // The lane says what the plan's freeze gate would: the same window, until the same moment.
    const plan = await toProduction(server, 'staging', { dryRun: true });
    expect(
      plan.body.plan.gates.find((gate: any) => gate.id === 'freeze'),
    ).toMatchObject({
      passed: false,
      message: expect.stringContaining('(Release week)'),
    });
  });

  it('reads policies from config and refuses ones that cannot hold, naming the setting', () => {
    const read = (envs: object[]) =>
      readEnvironments(new ConfigReader({ images: { environments: envs } }));
    expect(
      read([
        { name: 'dev', tag: 'dev' },
        {
          name: 'prod',
          tag: 'prod',
          policies: { upstreamFirst: true, soakTime: { hours: 24 } },
        },
      ])[1].policies,
    ).toEqual({ upstreamFirst: true, soakSeconds: 86_400 });
    expect(
      read([
        { name: 'dev', tag: 'dev' },
        { name: 'prod', tag: 'prod', policies: { soakTime: 'P1D' } },
      ])[1].policies,
    ).toEqual({ soakSeconds: 86_400 });
    expect(() =>
      read([{ name: 'dev', tag: 'dev', policies: { upstreamFirst: true } }]),
    ).toThrow(
      'images.environments: dev comes first, so it has no environment before it for upstreamFirst or soakTime: name one in policies.upstream',
    );
    expect(() =>
      read([
        { name: 'dev', tag: 'dev' },
        { name: 'prod', tag: 'prod', policies: { upstream: 'qa' } },
      ]),
    ).toThrow(
      'images.environments: the upstream of prod ("qa") is not an environment',
    );
    expect(() =>
      read([
        { name: 'dev', tag: 'dev' },
        { name: 'prod', tag: 'prod', policies: { soakTime: 'a while' } },
      ]),
    ).toThrow(/the soakTime of prod is not a duration such as 24h/);
  });
});
