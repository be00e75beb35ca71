import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { RegistryClient } from '../registry';
import {
  createTestDatabases,
  pushTestImage,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { signalRecorder } from '../__testUtils__/signalRecorder';
import { imagesTestBackends } from '../__testUtils__/testBackends';

// Real PostgreSQL servers on a 2-CPU machine shared with other suites: starting one can take seconds.
jest.setTimeout(30_000);

// The promotion API in a test backend: the entity from an in-memory catalog, a real CNCF registry standing in for
// ghcr.io behind a counting proxy, the audit trail in the backend's database.
describe('Promotion API', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  let direct: RegistryClient;
  const digests: Record<string, string> = {};
  const base = '/api/images/entities/component/default/shop';
  const backends = imagesTestBackends(() => proxy.url);
  const backend = backends.start;

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ target: registry.url });
    direct = new RegistryClient({ host: registry.host, baseUrl: registry.url });
    digests.one = await pushTestImage(
      direct,
      'acme/shop',
      ['build-1', 'staging', 'latest'],
      { layer: 'one' },
    );
    digests.two = await pushTestImage(direct, 'acme/shop', ['build-2'], {
      layer: 'two',
    });
  });
  afterEach(async () => {
    proxy.reset();
    await backends.stopAll();
  });
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  const ada = mockCredentials.user.header('user:default/ada');
  const grace = mockCredentials.user.header('user:default/grace');

  it('plans without writing (dry run), then promotes, and the history and the lane show it at once', async () => {
    const server = await backend();
    // The tab has been looked at: the index knows staging's digest.
    await request(server).get(`${base}/overview`);
    const before = (await direct.listTags('acme/shop')).tags.sort();

    const dry = await request(server).post(`${base}/promotions`).send({
      environment: 'staging',
      source: 'build-2',
      reason: 'Ship the fix',
      dryRun: true,
    });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      plan: {
        environment: 'staging',
        sourceDigest: digests.two,
        currentDigest: digests.one,
        tags: ['staging'],
        noChange: false,
      },
    });
    expect(dry.body.plan.rollbackTag).toMatch(
      /^rollback-\d{8}-\d{6}-staging-ship-the-fix$/,
    );
    expect((await direct.listTags('acme/shop')).tags.sort()).toEqual(before);

    const done = await request(server).post(`${base}/promotions`).send({
      environment: 'staging',
      source: 'build-2',
      reason: 'Ship the fix',
      expectedCurrentDigest: digests.one,
    });
    expect(done.status).toBe(200);
    expect(done.body.promotion).toMatchObject({
      status: 'succeeded',
      environment: 'staging',
      image: 'ghcr.io/acme/shop',
      sourceDigest: digests.two,
      previousDigest: digests.one,
      tags: ['staging'],
      requestedBy: 'user:default/mock',
      reason: 'Ship the fix',
    });
    expect(await direct.resolveDigest('acme/shop', 'staging')).toBe(
      digests.two,
    );
    expect(
      await direct.resolveDigest('acme/shop', done.body.promotion.rollbackTag),
    ).toBe(digests.one);

    const history = await request(server).get(`${base}/promotions`);
    expect(history.body.items.map((p: { id: string }) => p.id)).toEqual([
      done.body.promotion.id,
    ]);
    const overview = await request(server).get(`${base}/overview`);
    expect(overview.body.images[0].environments[0]).toMatchObject({
      name: 'staging',
      digest: digests.two,
    });
  });

  it("tells other people's open tabs through signals when an environment moved", async () => {
    const signals: unknown[] = [];
    const server = await backend({ features: [signalRecorder(signals)] });
    const done = await request(server).post(`${base}/promotions`).send({
      environment: 'staging',
      source: 'build-1',
      reason: 'Signal it',
    });
    expect(done.status).toBe(200);
    expect(signals).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: 'images:ghcr.io/acme/shop',
        message: { changed: 'tags' },
      },
    ]);
  });

  it('answers 409 when the environment moved since the caller looked', async () => {
    const server = await backend();
    const current = await direct.resolveDigest('acme/shop', 'staging');
    const response = await request(server)
      .post(`${base}/promotions`)
      .send({
        environment: 'staging',
        source: 'build-1',
        reason: 'Back to one',
        expectedCurrentDigest: `sha256:${'1'.repeat(64)}`,
      });
    expect(response.status).toBe(409);
    expect(response.body.error.message).toContain(
      `staging of ghcr.io/acme/shop moved to ${current}`,
    );
    expect(await direct.resolveDigest('acme/shop', 'staging')).toBe(current);
  });

  it('keeps a promotion to a protected environment waiting until a second person approves it', async () => {
    await pushTestImage(direct, 'acme/release', ['latest', 'main', 'build-1'], {
      layer: 'release one',
    });
    const candidate = await pushTestImage(direct, 'acme/release', ['build-2'], {
      layer: 'release two',
    });
    const live = await direct.resolveDigest('acme/release', 'latest');
    const server = await backend({ image: 'ghcr.io/acme/release' });
    const releaseBase = base;

    const asked = await request(server)
      .post(`${releaseBase}/promotions`)
      .set('authorization', ada)
      .send({
        environment: 'production',
        source: 'build-2',
        reason: 'Release 2',
      });
    expect(asked.status).toBe(200);
    expect(asked.body.promotion).toMatchObject({
      status: 'pending-approval',
      requestedBy: 'user:default/ada',
      sourceDigest: candidate,
      previousDigest: live,
      tags: ['latest', 'main'],
    });
    const id = asked.body.promotion.id;
    // Nothing moves until someone else says yes.
    expect(await direct.resolveDigest('acme/release', 'latest')).toBe(live);

    const byRequester = await request(server)
      .post(`${releaseBase}/promotions/${id}/approve`)
      .set('authorization', ada)
      .send({ comment: 'LGTM' });
    expect(byRequester.status).toBe(403);
    expect(byRequester.body.error.message).toBe(
      'You asked for this promotion: a second person with the approve permission must approve it',
    );
    expect(await direct.resolveDigest('acme/release', 'latest')).toBe(live);

    const approved = await request(server)
      .post(`${releaseBase}/promotions/${id}/approve`)
      .set('authorization', grace)
      .send({ comment: 'Checked the canary' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      id,
      status: 'succeeded',
      requestedBy: 'user:default/ada',
      decidedBy: 'user:default/grace',
      decisionComment: 'Checked the canary',
      sourceDigest: candidate,
      previousDigest: live,
    });
    expect(await direct.resolveDigest('acme/release', 'latest')).toBe(
      candidate,
    );
    expect(await direct.resolveDigest('acme/release', 'main')).toBe(candidate);
    expect(
      await direct.resolveDigest('acme/release', approved.body.rollbackTag),
    ).toBe(live);

    const again = await request(server)
      .post(`${releaseBase}/promotions/${id}/approve`)
      .set('authorization', grace)
      .send({});
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(
      `The promotion ${id} is succeeded, not waiting for approval`,
    );
    // Asking again for what production already runs, with all its tags, changes nothing: no approval to wait for.
    const tagsBefore = (await direct.listTags('acme/release')).tags.sort();
    const repeat = await request(server)
      .post(`${releaseBase}/promotions`)
      .set('authorization', ada)
      .send({ environment: 'production', source: 'build-2', reason: 'Again' });
    expect(repeat.body.promotion).toMatchObject({
      status: 'succeeded',
      sourceDigest: candidate,
      previousDigest: candidate,
    });
    expect(repeat.body.promotion.rollbackTag).toBeUndefined();
    expect((await direct.listTags('acme/release')).tags.sort()).toEqual(
      tagsBefore,
    );
    // On call, the requester alone may put back what production ran before: it was approved when it went there.
    const rolledBack = await request(server)
      .post(`${releaseBase}/rollbacks`)
      .set('authorization', ada)
      .send({ environment: 'production', reason: 'Errors after release 2' });
    expect(rolledBack.body.promotion).toMatchObject({
      kind: 'rollback',
      status: 'succeeded',
      sourceDigest: live,
    });
    expect(await direct.resolveDigest('acme/release', 'latest')).toBe(live);
    // Rolling back to another image production ran (the release just undone) needs no approval either...
    const forward = await request(server)
      .post(`${releaseBase}/rollbacks`)
      .set('authorization', ada)
      .send({
        environment: 'production',
        reason: 'Back to 2',
        target: 'build-2',
        dryRun: true,
      });
    expect(forward.body.plan.needsApproval).toBe(false);
    // ...but promoting it again does.
    const again2 = await request(server)
      .post(`${releaseBase}/promotions`)
      .set('authorization', ada)
      .send({
        environment: 'production',
        source: 'build-2',
        reason: 'Release 2 again',
        dryRun: true,
      });
    expect(again2.body.plan.needsApproval).toBe(true);
    const one = await request(server).get(`${releaseBase}/promotions/${id}`);
    expect(one.body).toMatchObject({
      status: 'succeeded',
      decidedBy: 'user:default/grace',
    });
  });

  it('records a rejection with its comment and moves nothing', async () => {
    await pushTestImage(direct, 'acme/rejected', ['latest', 'build-1'], {
      layer: 'rejected one',
    });
    await pushTestImage(direct, 'acme/rejected', ['build-2'], {
      layer: 'rejected two',
    });
    const live = await direct.resolveDigest('acme/rejected', 'latest');
    const server = await backend({ image: 'ghcr.io/acme/rejected' });
    const asked = await request(server)
      .post(`${base}/promotions`)
      .set('authorization', ada)
      .send({
        environment: 'production',
        source: 'build-2',
        reason: 'Release 2',
      });
    const id = asked.body.promotion.id;

    const silent = await request(server)
      .post(`${base}/promotions/${id}/reject`)
      .set('authorization', grace)
      .send({});
    expect(silent.status).toBe(400);
    expect(silent.body.error.message).toBe(
      'Say why: a rejection needs a comment, which the requester and the history see',
    );
    const rejected = await request(server)
      .post(`${base}/promotions/${id}/reject`)
      .set('authorization', grace)
      .send({ comment: 'Not during the sale' });
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      decidedBy: 'user:default/grace',
      decisionComment: 'Not during the sale',
    });
    const approveAfter = await request(server)
      .post(`${base}/promotions/${id}/approve`)
      .set('authorization', grace)
      .send({});
    expect(approveAfter.status).toBe(409);
    expect(await direct.resolveDigest('acme/rejected', 'latest')).toBe(live);
  });

  it('lets the requester withdraw their own request, without the approve permission', async () => {
    await pushTestImage(direct, 'acme/withdrawn', ['latest'], { layer: 'w1' });
    await pushTestImage(direct, 'acme/withdrawn', ['build-2'], { layer: 'w2' });
    const live = await direct.resolveDigest('acme/withdrawn', 'latest');
    const server = await backend({
      image: 'ghcr.io/acme/withdrawn',
      denied: ['images.promotion.approve'],
    });
    const asked = await request(server)
      .post(`${base}/promotions`)
      .set('authorization', ada)
      .send({
        environment: 'production',
        source: 'build-2',
        reason: 'Release',
      });
    const withdrawn = await request(server)
      .post(`${base}/promotions/${asked.body.promotion.id}/reject`)
      .set('authorization', ada)
      .send({});
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({
      status: 'rejected',
      decidedBy: 'user:default/ada',
      decisionComment: 'Withdrawn by the requester',
    });
    expect(await direct.resolveDigest('acme/withdrawn', 'latest')).toBe(live);
  });

  it('refuses an approval from a user without the approve permission', async () => {
    await pushTestImage(direct, 'acme/guarded', ['latest'], { layer: 'g1' });
    await pushTestImage(direct, 'acme/guarded', ['build-2'], { layer: 'g2' });
    const server = await backend({
      image: 'ghcr.io/acme/guarded',
      denied: ['images.promotion.approve'],
    });
    const asked = await request(server)
      .post(`${base}/promotions`)
      .set('authorization', ada)
      .send({
        environment: 'production',
        source: 'build-2',
        reason: 'Release',
      });
    const response = await request(server)
      .post(`${base}/promotions/${asked.body.promotion.id}/approve`)
      .set('authorization', grace)
      .send({});
    expect(response.status).toBe(403);
    expect(response.body.error.message).toBe(
      'You may not approve promotions of component:default/shop',
    );
  });

  it('stops at failed gates, records the attempt, and goes ahead only when forced by a user allowed to', async () => {
    await pushTestImage(direct, 'acme/gated', ['staging', 'build-1'], {
      layer: 'gated one',
    });
    const unlabelled = await pushTestImage(direct, 'acme/gated', ['build-2'], {
      layer: 'gated two',
      runConfig: { Cmd: ['/app'] },
    });
    const live = await direct.resolveDigest('acme/gated', 'staging');
    const validation = {
      requireLabels: ['org.opencontainers.image.source'],
      requireCmd: true,
      maxLayers: 10,
    };
    const promote = (server: any, force?: boolean) =>
      request(server).post(`${base}/promotions`).send({
        environment: 'staging',
        source: 'build-2',
        reason: 'Hotfix for the outage',
        force,
      });

    const server = await backend({ image: 'ghcr.io/acme/gated', validation });
    const dry = await request(server).post(`${base}/promotions`).send({
      environment: 'staging',
      source: 'build-2',
      reason: 'Check',
      dryRun: true,
    });
    expect(dry.body.plan.gates).toEqual([
      {
        id: 'layers',
        passed: true,
        message: '1 layers within the limit of 10',
      },
      {
        id: 'labels',
        passed: false,
        message: 'lacks the label org.opencontainers.image.source',
      },
      {
        id: 'cmd',
        passed: true,
        message: 'sets a command (CMD or ENTRYPOINT)',
      },
    ]);

    const stopped = await promote(server);
    expect(stopped.status).toBe(400);
    expect(stopped.body.error.message).toBe(
      `ghcr.io/acme/gated@${unlabelled} did not pass 1 of 3 gates for staging: labels: lacks the label org.opencontainers.image.source. Fix the image, or force the promotion with a reason (needs the force permission)`,
    );
    expect(await direct.resolveDigest('acme/gated', 'staging')).toBe(live);

    const noForcePermission = await backend({
      image: 'ghcr.io/acme/gated',
      validation,
      denied: ['images.image.force'],
    });
    const denied = await promote(noForcePermission, true);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      'You may not force promotions past failed gates of component:default/shop',
    );
    expect(await direct.resolveDigest('acme/gated', 'staging')).toBe(live);

    const forced = await promote(server, true);
    expect(forced.status).toBe(200);
    expect(forced.body.promotion).toMatchObject({
      status: 'succeeded',
      forced: true,
      sourceDigest: unlabelled,
      reason: 'Hotfix for the outage',
    });
    expect(await direct.resolveDigest('acme/gated', 'staging')).toBe(
      unlabelled,
    );

    const history = await request(server).get(`${base}/promotions`);
    expect(
      history.body.items.map((p: any) => [p.status, p.forced, p.gates.length]),
    ).toEqual([
      ['succeeded', true, 3],
      ['failed', false, 3],
    ]);
    expect(history.body.items[1].error).toBe(stopped.body.error.message);
  });

  it('rolls an environment back to what it ran before, after a dry run that writes nothing', async () => {
    const one = await pushTestImage(
      direct,
      'acme/oncall',
      ['staging', 'build-1'],
      {
        layer: 'oncall one',
      },
    );
    const two = await pushTestImage(direct, 'acme/oncall', ['build-2'], {
      layer: 'oncall two',
    });
    const server = await backend({ image: 'ghcr.io/acme/oncall' });
    await request(server).post(`${base}/promotions`).send({
      environment: 'staging',
      source: 'build-2',
      reason: 'Ship two',
    });
    expect(await direct.resolveDigest('acme/oncall', 'staging')).toBe(two);
    const tagsBefore = (await direct.listTags('acme/oncall')).tags.sort();

    const dry = await request(server)
      .post(`${base}/rollbacks`)
      .send({ environment: 'staging', reason: 'Errors up', dryRun: true });
    expect(dry.body.plan).toMatchObject({
      sourceDigest: one,
      currentDigest: two,
      tags: ['staging'],
    });
    expect((await direct.listTags('acme/oncall')).tags.sort()).toEqual(
      tagsBefore,
    );

    const rolled = await request(server)
      .post(`${base}/rollbacks`)
      .send({ environment: 'staging', reason: 'Errors up' });
    expect(rolled.body.promotion).toMatchObject({
      kind: 'rollback',
      status: 'succeeded',
      sourceDigest: one,
      previousDigest: two,
    });
    expect(await direct.resolveDigest('acme/oncall', 'staging')).toBe(one);
    // What was rolled back from keeps a rollback tag, so it can be promoted again.
    expect(
      await direct.resolveDigest(
        'acme/oncall',
        rolled.body.promotion.rollbackTag,
      ),
    ).toBe(two);
  });

  it('rolls back to the newest rollback tag on another image when Berth has no history, or explains', async () => {
    const older = await pushTestImage(
      direct,
      'acme/legacy',
      ['rollback-20261101-090000-old'],
      {
        layer: 'legacy one',
      },
    );
    const previous = await pushTestImage(
      direct,
      'acme/legacy',
      ['rollback-20261110-120000-checkout-5xx'],
      { layer: 'legacy two' },
    );
    const live = await pushTestImage(
      direct,
      'acme/legacy',
      ['staging', 'rollback-20261120-080000-same-as-live'],
      { layer: 'legacy three' },
    );
    const server = await backend({ image: 'ghcr.io/acme/legacy' });
    const rolled = await request(server)
      .post(`${base}/rollbacks`)
      .send({ environment: 'staging', reason: 'Bad deploy' });
    expect(rolled.status).toBe(200);
    expect(rolled.body.promotion).toMatchObject({
      source: 'rollback-20261110-120000-checkout-5xx',
      sourceDigest: previous,
      previousDigest: live,
    });
    expect(await direct.resolveDigest('acme/legacy', 'staging')).toBe(previous);
    const named = await request(server)
      .post(`${base}/rollbacks`)
      .send({ environment: 'staging', reason: 'Older', target: older });
    expect(named.body.promotion.sourceDigest).toBe(older);

    await pushTestImage(direct, 'acme/fresh', ['staging'], { layer: 'fresh' });
    const fresh = await backend({ image: 'ghcr.io/acme/fresh' });
    const nothing = await request(fresh)
      .post(`${base}/rollbacks`)
      .send({ environment: 'staging', reason: 'Bad deploy' });
    expect(nothing.status).toBe(400);
    expect(nothing.body.error.message).toMatch(
      /^Berth does not know what staging of ghcr.io\/acme\/fresh ran before sha256:[0-9a-f]{64}, and no rollback tag names another image: give a rollback tag or digest as the target$/,
    );
  });

  it('promotes into an environment kept in another repository by mounting the blobs, and the lane reads it there', async () => {
    const built = await pushTestImage(direct, 'acme/split', ['build-7'], {
      layer: 'split seven',
    });
    const server = await backend({
      image: 'ghcr.io/acme/split',
      environments: [
        { name: 'staging', tag: 'staging' },
        {
          name: 'production',
          tag: 'latest',
          repository: '{registry}/{repository}-prod',
        },
      ],
    });
    const before = await request(server).get(`${base}/overview`);
    expect(before.body.images[0].environments[1]).toMatchObject({
      name: 'production',
      status: 'RED',
      repository: 'ghcr.io/acme/split-prod',
      message: 'ghcr.io/acme/split-prod has no tag latest',
    });
    proxy.reset();

    const done = await request(server).post(`${base}/promotions`).send({
      environment: 'production',
      source: 'build-7',
      reason: 'First release',
    });
    expect(done.status).toBe(200);
    expect(done.body.promotion).toMatchObject({
      status: 'succeeded',
      sourceDigest: built,
    });
    expect(await direct.resolveDigest('acme/split-prod', 'latest')).toBe(built);
    expect(await direct.resolveDigest('acme/split', 'latest')).toBeUndefined();
    // Both blobs were mounted from acme/split: no blob crossed the wire.
    const uploads = proxy.requests.filter(r =>
      r.path.includes('/blobs/uploads/'),
    );
    expect(uploads.map(r => [r.method, r.status])).toEqual([
      ['POST', 201],
      ['POST', 201],
    ]);
    expect(
      uploads.every(
        r => r.path.includes('mount=') && r.path.includes('from=acme%2Fsplit'),
      ),
    ).toBe(true);

    const after = await request(server).get(`${base}/overview`);
    expect(after.body.images[0].environments[1]).toMatchObject({
      status: 'GREEN',
      digest: built,
      repository: 'ghcr.io/acme/split-prod',
    });
  });

  it('promotes into an environment kept in another registry, digest unchanged', async () => {
    const production = await startRegistry();
    try {
      const built = await pushTestImage(direct, 'acme/far', ['build-3'], {
        layer: 'far three',
        runConfig: { Cmd: ['/app'] },
      });
      const server = await backend({
        image: 'ghcr.io/acme/far',
        registries: [
          {
            host: 'registry.prod.example.com',
            endpoint: production.url,
            insecure: true,
          },
        ],
        environments: [
          { name: 'staging', tag: 'staging' },
          {
            name: 'production',
            tag: 'latest',
            repository: 'registry.prod.example.com/{repository}',
          },
        ],
      });
      const done = await request(server).post(`${base}/promotions`).send({
        environment: 'production',
        source: 'build-3',
        reason: 'Ship to the production registry',
      });
      expect(done.body.promotion).toMatchObject({
        status: 'succeeded',
        sourceDigest: built,
      });
      const far = new RegistryClient({
        host: production.host,
        baseUrl: production.url,
      });
      expect(await far.resolveDigest('acme/far', 'latest')).toBe(built);
      const copied = await far.getManifest('acme/far', built);
      expect(copied.digest).toBe(built);
      const layer = (copied.manifest as any).layers[0].digest;
      expect(await far.hasBlob('acme/far', layer)).toBe(true);
    } finally {
      await production.stop();
    }
  });

  it("reports every promotion, approval request and decision to Backstage's auditor", async () => {
    await pushTestImage(direct, 'acme/audited', ['staging', 'latest'], {
      layer: 'audited one',
    });
    const two = await pushTestImage(direct, 'acme/audited', ['build-2'], {
      layer: 'audited two',
    });
    const events: Array<{
      eventId: string;
      meta: Record<string, unknown>;
      outcome?: string;
    }> = [];
    const auditor = mockServices.auditor.mock({
      createEvent: async options => {
        const event = {
          eventId: options.eventId,
          meta: { ...options.meta },
          outcome: undefined as string | undefined,
        };
        events.push(event);
        return {
          success: async () => {
            event.outcome = 'success';
          },
          fail: async ({ error }) => {
            event.outcome = `fail: ${error.message}`;
          },
        };
      },
    });
    const server = await backend({ image: 'ghcr.io/acme/audited', auditor });
    await request(server)
      .post(`${base}/promotions`)
      .set('authorization', ada)
      .send({ environment: 'staging', source: 'build-2', reason: 'Ship' });
    const asked = await request(server)
      .post(`${base}/promotions`)
      .set('authorization', ada)
      .send({
        environment: 'production',
        source: 'build-2',
        reason: 'Release',
      });
    await request(server)
      .post(`${base}/promotions/${asked.body.promotion.id}/reject`)
      .set('authorization', grace)
      .send({ comment: 'Not today' });

    expect(events).toEqual([
      {
        eventId: 'image-promotion',
        meta: expect.objectContaining({
          actor: 'user:default/ada',
          environment: 'staging',
          sourceDigest: two,
          forced: false,
        }),
        outcome: 'success',
      },
      {
        eventId: 'image-promotion',
        meta: expect.objectContaining({
          actor: 'user:default/ada',
          environment: 'production',
        }),
        outcome: 'success',
      },
      {
        eventId: 'promotion-reject',
        meta: expect.objectContaining({
          actor: 'user:default/grace',
          id: asked.body.promotion.id,
        }),
        outcome: 'success',
      },
    ]);
    // Nothing secret or bulky in the events: names and digests only.
    expect(JSON.stringify(events)).not.toMatch(/password|token/i);
  });

  it('lets one of two backends sharing PostgreSQL move staging; the other answers 409 and writes nothing', async () => {
    const databases = createTestDatabases();
    const clients: Knex[] = [];
    try {
      const first = await databases.open('PostgreSQL');
      clients.push(first);
      // The second replica has its own connection pool to the same database.
      const second = knexFactory({
        client: 'pg',
        connection: first.client.config.connection,
        pool: { min: 0, max: 5 },
      });
      clients.push(second);
      const live = await pushTestImage(direct, 'acme/raced', ['staging'], {
        layer: 'raced live',
      });
      const builds = [
        await pushTestImage(direct, 'acme/raced', ['build-2'], {
          layer: 'raced two',
        }),
        await pushTestImage(direct, 'acme/raced', ['build-3'], {
          layer: 'raced three',
        }),
      ];
      const replicas = [
        await backend({ image: 'ghcr.io/acme/raced', database: first }),
        await backend({ image: 'ghcr.io/acme/raced', database: second }),
      ];
      const responses = await Promise.all(
        replicas.map((server, i) =>
          request(server)
            .post(`${base}/promotions`)
            .send({
              environment: 'staging',
              source: `build-${i + 2}`,
              reason: `Replica ${i + 1}`,
              expectedCurrentDigest: live,
            }),
        ),
      );
      expect(responses.map(r => r.status).sort()).toEqual([200, 409]);
      const won = responses.findIndex(r => r.status === 200);
      expect(await direct.resolveDigest('acme/raced', 'staging')).toBe(
        builds[won],
      );
      const rollbackTags = (await direct.listTags('acme/raced')).tags.filter(
        tag => tag.startsWith('rollback-'),
      );
      expect(rollbackTags).toHaveLength(1);
      const history = await request(replicas[1 - won]).get(
        `${base}/promotions`,
      );
      expect(
        history.body.items.map((p: { status: string }) => p.status).sort(),
      ).toEqual(['failed', 'succeeded']);
    } finally {
      await backends.stopAll();
      await Promise.all(clients.map(c => c.destroy()));
      await databases.stop();
    }
  });

  it('explains bad requests: no reason, an unknown environment, an unknown source', async () => {
    const server = await backend();
    const noReason = await request(server)
      .post(`${base}/promotions`)
      .send({ environment: 'staging', source: 'build-2', reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toBe(
      'Say why: a promotion needs a reason, which the history keeps',
    );
    const unknownEnvironment = await request(server)
      .post(`${base}/promotions`)
      .send({ environment: 'qa', source: 'build-2', reason: 'Try' });
    expect(unknownEnvironment.body.error.message).toBe(
      'component:default/shop has no environment qa (it has staging, production)',
    );
    const unknownSource = await request(server)
      .post(`${base}/promotions`)
      .send({
        environment: 'staging',
        source: 'build-9',
        reason: 'Try',
        dryRun: true,
      });
    expect(unknownSource.status).toBe(400);
    expect(unknownSource.body.error.message).toBe(
      'ghcr.io/acme/shop has no build-9: nothing to promote',
    );
  });

  it('refuses over-long fields with a 400 on PostgreSQL, recording nothing half-written', async () => {
    const databases = createTestDatabases();
    try {
      const server = await backend({
        database: await databases.open('PostgreSQL'),
      });
      for (const body of [
        { environment: 'staging', source: 'x'.repeat(300), reason: 'Long' },
        { environment: 'e'.repeat(100), source: 'build-2', reason: 'Long' },
        {
          environment: 'staging',
          source: 'build-2',
          reason: 'Long',
          image: `ghcr.io/acme/${'a'.repeat(600)}`,
        },
        { environment: 'staging', source: 'build-2', reason: 'r'.repeat(600) },
      ]) {
        const response = await request(server)
          .post(`${base}/promotions`)
          .send(body);
        expect(response.status).toBe(400);
        expect(response.body.error.name).toBe('InputError');
      }
      const rollback = await request(server)
        .post(`${base}/rollbacks`)
        .send({ environment: 'staging', target: 't'.repeat(300), reason: 'x' });
      expect(rollback.status).toBe(400);
      expect(
        (await request(server).get(`${base}/promotions`)).body.items,
      ).toEqual([]);
    } finally {
      await backends.stopAll();
      await databases.stop();
    }
  });

  it('answers 403 without the promote permission, before any registry request', async () => {
    const server = await backend({ deny: true });
    const response = await request(server)
      .post(`${base}/promotions`)
      .send({ environment: 'staging', source: 'build-2', reason: 'Try' });
    expect(response.status).toBe(403);
    expect(response.body.error.message).toBe(
      'You may not promote the images of component:default/shop',
    );
    expect(proxy.requests).toEqual([]);
  });
});
