import {
  pushTestImage,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { signalRecorder } from '../__testUtils__/signalRecorder';
import { imagesTestBackends } from '../__testUtils__/testBackends';
import { RegistryClient } from '../registry';
import { webhookTagEvents } from './vendorWebhooks';

// The vendors' webhooks cannot be sent from here: these payloads replay the shapes their documentation gives (GitHub's
// `package` event, Quay's repository push notification, Docker Hub's push webhook, Harbor's PUSH_ARTIFACT event),
// trimmed to the fields Berth reads plus a few it must ignore.
const github = (tag: string, name = 'shop', action = 'published') => ({
  action,
  package: {
    id: 1,
    name,
    namespace: 'acme',
    package_type: 'CONTAINER',
    owner: { login: 'acme', type: 'Organization' },
    package_version: {
      id: 2,
      version: `sha256:${'1'.repeat(64)}`,
      container_metadata: {
        tag: { name: tag, digest: `sha256:${'1'.repeat(64)}` },
      },
    },
    registry: { url: 'https://ghcr.io/acme', vendor: 'GitHub Inc' },
  },
  repository: { full_name: 'acme/shop' },
  sender: { login: 'ci-bot' },
});
const quay = {
  name: 'shop',
  repository: 'acme/shop',
  namespace: 'acme',
  docker_url: 'quay.io/acme/shop',
  homepage: 'https://quay.io/repository/acme/shop',
  updated_tags: ['v1.2.0', 'latest'],
};
const dockerHub = {
  callback_url:
    'https://registry.hub.docker.com/u/acme/shop/hook/2141b5bi5i5b02bec211i4eeih0242eg11000a/',
  push_data: { pushed_at: 1417566161, pusher: 'trustedbuilder', tag: 'v1.2.0' },
  repository: {
    repo_name: 'acme/shop',
    namespace: 'acme',
    name: 'shop',
    is_private: true,
  },
};
const harbor = {
  type: 'PUSH_ARTIFACT',
  occur_at: 1680501893,
  operator: 'robot$ci',
  event_data: {
    resources: [
      {
        digest: `sha256:${'2'.repeat(64)}`,
        tag: 'v1.2.0',
        resource_url: 'harbor.example.com/acme/shop:v1.2.0',
      },
    ],
    repository: {
      name: 'shop',
      namespace: 'acme',
      repo_full_name: 'acme/shop',
      repo_type: 'private',
    },
  },
};

describe('webhookTagEvents', () => {
  it("reads each vendor's repository and tags", () => {
    expect(webhookTagEvents('github', github('v1.2.0'))).toEqual({
      tags: [{ repository: 'acme/shop', tag: 'v1.2.0' }],
      ignored: 0,
    });
    expect(webhookTagEvents('quay', quay).tags).toEqual([
      { repository: 'acme/shop', tag: 'v1.2.0' },
      { repository: 'acme/shop', tag: 'latest' },
    ]);
    expect(webhookTagEvents('dockerhub', dockerHub).tags).toEqual([
      { repository: 'acme/shop', tag: 'v1.2.0' },
    ]);
    // Official images are named without their namespace.
    expect(
      webhookTagEvents('dockerhub', {
        ...dockerHub,
        repository: { repo_name: 'nginx' },
      }).tags,
    ).toEqual([{ repository: 'library/nginx', tag: 'v1.2.0' }]);
    expect(webhookTagEvents('harbor', harbor).tags).toEqual([
      { repository: 'acme/shop', tag: 'v1.2.0' },
    ]);
  });

  it('names nothing for events of other kinds, and counts malformed names as ignored', () => {
    expect(webhookTagEvents('github', github('v1', 'shop', 'deleted'))).toEqual(
      { tags: [], ignored: 0 },
    );
    expect(
      webhookTagEvents('github', { zen: 'Keep it logically awesome.' }),
    ).toEqual({ tags: [], ignored: 0 });
    expect(
      webhookTagEvents('harbor', { ...harbor, type: 'SCANNING_COMPLETED' }),
    ).toEqual({ tags: [], ignored: 0 });
    expect(
      webhookTagEvents('quay', { ...quay, updated_tags: ['../../etc', 'ok'] }),
    ).toEqual({
      tags: [{ repository: 'acme/shop', tag: 'ok' }],
      ignored: 1,
    });
    expect(
      webhookTagEvents('dockerhub', {
        repository: { repo_name: 'Acme/../x' },
        push_data: { tag: 'v1' },
      }),
    ).toEqual({
      tags: [],
      ignored: 1,
    });
    expect(webhookTagEvents('github', 'not an object')).toEqual({
      tags: [],
      ignored: 0,
    });
  });
});

// Through the images backend: a real registry standing in for ghcr.io, the webhook posted as the vendor would.
describe('Vendor webhooks', () => {
  const SECRET = 'webhook-secret';
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  let direct: RegistryClient;
  const backends = imagesTestBackends(() => proxy.url);
  const base = '/api/images/entities/component/default/shop';

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ target: registry.url });
    direct = new RegistryClient({ host: registry.host, baseUrl: registry.url });
    await pushTestImage(direct, 'acme/shop', ['staging'], { layer: 'one' });
  }, 60_000);
  afterEach(() => backends.stopAll());
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  const sign = (body: string, secret = SECRET) =>
    `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

  it('refreshes the tag a signed GitHub package event names, and tells open tabs', async () => {
    const signals: unknown[] = [];
    const server = await backends.start({
      ghcr: { events: { token: SECRET, format: 'github' } },
      features: [signalRecorder(signals)],
    });
    await request(server).get(`${base}/tags`).expect(200);
    const pushed = await pushTestImage(direct, 'acme/shop', ['v1.2.0'], {
      layer: 'two',
    });
    // GitHub signs the bytes it sends; Berth checks those bytes, not a re-serialisation.
    const body = JSON.stringify(github('v1.2.0'), null, 2);
    const answer = await request(server)
      .post('/api/images/webhooks/ghcr.io')
      .set('content-type', 'application/json')
      .set('x-github-event', 'package')
      .set('x-hub-signature-256', sign(body))
      .send(body);
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ accepted: 1, ignored: 0 });
    for (let i = 0; i < 100 && signals.length === 0; i++) {
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    expect(signals).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: 'images:ghcr.io/acme/shop',
        message: { changed: 'tags' },
      },
    ]);
    const after = await request(server).get(`${base}/tags`);
    const row = after.body.rows.find((r: any) => r.digest === pushed);
    expect(row?.tags.map((t: any) => t.name)).toEqual(['v1.2.0']);
  }, 30_000);

  it('refuses a GitHub event without a signature, with another secret, or with a tampered body, and asks the registry nothing', async () => {
    const server = await backends.start({
      ghcr: { events: { token: SECRET, format: 'github' } },
    });
    await request(server).get(`${base}/tags`).expect(200);
    await new Promise(resolve => setTimeout(resolve, 1000));
    const before = proxy.requests.length;
    const body = JSON.stringify(github('v9'));
    const attempts: Array<{ headers: Record<string, string>; body: string }> = [
      { headers: {}, body },
      {
        headers: { 'x-hub-signature-256': sign(body, 'another secret') },
        body,
      },
      {
        headers: { 'x-hub-signature-256': sign(body) },
        body: body.replace('v9', 'v8'),
      },
      // The Distribution registry's way does not do for a GitHub registry.
      { headers: { authorization: `Bearer ${SECRET}` }, body },
    ];
    for (const attempt of attempts) {
      const answer = await request(server)
        .post('/api/images/webhooks/ghcr.io')
        .set('content-type', 'application/json')
        .set(attempt.headers)
        .send(attempt.body);
      expect(answer.status).toBe(401);
      expect(answer.body.error.message).toBe(
        'Events from ghcr.io need an X-Hub-Signature-256 made with the webhook secret configured as images.registries[].events.token',
      );
      expect(JSON.stringify(answer.body)).not.toContain(SECRET);
    }
    await new Promise(resolve => setTimeout(resolve, 700));
    expect(
      proxy.requests.slice(before).filter(r => r.path.includes('/acme/shop/')),
    ).toEqual([]);
  }, 30_000);

  it('takes Quay and Docker Hub webhooks with the secret in the URL, and Harbor with its auth header', async () => {
    const server = await backends.start({
      ghcr: { events: { token: SECRET, format: 'quay' } },
    });
    await request(server).get(`${base}/tags`).expect(200);
    await request(server)
      .post('/api/images/webhooks/ghcr.io?token=wrong')
      .send(quay)
      .expect(401);
    const quayAnswer = await request(server)
      .post(`/api/images/webhooks/ghcr.io?token=${SECRET}`)
      .send(quay);
    expect(quayAnswer.status).toBe(202);
    expect(quayAnswer.body).toEqual({ accepted: 2, ignored: 0 });
    await backends.stopAll();

    const hub = await backends.start({
      ghcr: { events: { token: SECRET, format: 'dockerhub' } },
    });
    await request(hub).get(`${base}/tags`).expect(200);
    expect(
      (
        await request(hub)
          .post(`/api/images/webhooks/ghcr.io?token=${SECRET}`)
          .send(dockerHub)
      ).body,
    ).toEqual({ accepted: 1, ignored: 0 });
    await backends.stopAll();

    const harborBackend = await backends.start({
      ghcr: { events: { token: SECRET, format: 'harbor' } },
    });
    await request(harborBackend).get(`${base}/tags`).expect(200);
    await request(harborBackend)
      .post('/api/images/webhooks/ghcr.io')
      .set('authorization', 'Basic d3Jvbmc=')
      .send(harbor)
      .expect(401);
    expect(
      (
        await request(harborBackend)
          .post('/api/images/webhooks/ghcr.io')
          .set('authorization', SECRET)
          .send(harbor)
      ).body,
    ).toEqual({ accepted: 1, ignored: 0 });
  }, 60_000);
});
