import {
  pushTestImage,
  RecordedRequest,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { createServer, request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { signalRecorder } from '../__testUtils__/signalRecorder';
import { imagesTestBackends } from '../__testUtils__/testBackends';
import { RegistryClient } from '../registry';

const TOKEN = 'registry-events-secret';
const EVENTS_TYPE = 'application/vnd.docker.distribution.events.v1+json';

async function until<T>(what: string, probe: () => Promise<T | undefined>) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

// A real CNCF Distribution registry sends its notifications (configured in its `notifications.endpoints`, with the
// bearer token in the endpoint's headers) to the images backend. The registry starts before the backend, whose port
// is only known once it runs, so the registry posts to a loopback relay that forwards to the current backend.
describe('Registry events', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  let direct: RegistryClient;
  let relay: Server;
  let backendPort = 0;
  const backends = imagesTestBackends(() => proxy.url);
  const base = '/api/images/entities/component/default/shop';

  beforeAll(async () => {
    relay = createServer((req, res) => {
      // Between backends the registry's events (of a test's seeding pushes) are taken and dropped.
      if (!backendPort) {
        req.resume();
        res.writeHead(200).end();
        return;
      }
      const forward = httpRequest(
        {
          host: '127.0.0.1',
          port: backendPort,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        answer => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.writeHead(502).end());
      req.pipe(forward);
    });
    await new Promise<void>(resolve => relay.listen(0, '127.0.0.1', resolve));
    const relayPort = (relay.address() as AddressInfo).port;
    registry = await startRegistry({
      extraConfig: [
        'notifications:',
        '  endpoints:',
        '    - name: berth',
        `      url: http://127.0.0.1:${relayPort}/api/images/events/ghcr.io`,
        '      headers:',
        `        Authorization: [Bearer ${TOKEN}]`,
        '      timeout: 2s',
        '      threshold: 3',
        '      backoff: 200ms',
        '      ignoredmediatypes: [application/octet-stream]',
      ].join('\n'),
    });
    proxy = await startRegistryProxy({ target: registry.url });
    direct = new RegistryClient({ host: registry.host, baseUrl: registry.url });
  }, 60_000);
  afterEach(async () => {
    backendPort = 0;
    await backends.stopAll();
  });
  afterAll(async () => {
    await new Promise(resolve => relay?.close(resolve));
    await proxy?.stop();
    await registry?.stop();
  });

  /** Waits until the backend's background work on the registry (index completion) has stopped. */
  async function quiet() {
    let seen = -1;
    while (proxy.requests.length !== seen) {
      seen = proxy.requests.length;
      await new Promise(resolve => setTimeout(resolve, 500));
    }
    return seen;
  }

  async function start(image: string, signals: unknown[] = []) {
    // The events of the seeding pushes are on their way: let the relay drop them first.
    await new Promise(resolve => setTimeout(resolve, 700));
    const server = await backends.start({
      image,
      ghcr: { events: { token: TOKEN } },
      features: [signalRecorder(signals)],
    });
    backendPort = (server.address() as AddressInfo).port;
    return server;
  }

  it('shows a pushed tag on the open tab without waiting for the listing, and signals the tab', async () => {
    await pushTestImage(direct, 'acme/events', ['staging'], {
      layer: 'events one',
    });
    const signals: unknown[] = [];
    const server = await start('ghcr.io/acme/events', signals);
    const first = await request(server).get(`${base}/tags`);
    expect(first.status).toBe(200);
    expect(
      first.body.rows.flatMap((r: any) => r.tags.map((t: any) => t.name)),
    ).toEqual(['staging']);

    const pushed = await pushTestImage(direct, 'acme/events', ['v2.0.0'], {
      layer: 'events two',
    });

    const signal = await until('the signal', async () => signals[0]);
    expect(signal).toEqual({
      recipients: { type: 'broadcast' },
      channel: 'images:ghcr.io/acme/events',
      message: { changed: 'tags' },
    });
    // Within the index's 60 s listing window: only the event can have told it.
    const after = await request(server).get(`${base}/tags`);
    const row = after.body.rows.find((r: any) => r.digest === pushed);
    expect(row?.tags.map((t: any) => t.name)).toEqual(['v2.0.0']);
    expect(row?.created).toBeDefined();
  }, 30_000);

  it('refuses events without the registry token, or with another, and changes nothing', async () => {
    await pushTestImage(direct, 'acme/guarded', ['staging'], {
      layer: 'guarded',
    });
    const server = await start('ghcr.io/acme/guarded');
    await request(server).get(`${base}/tags`).expect(200);
    const before = await quiet();
    const envelope = {
      events: [
        {
          action: 'push',
          target: { repository: 'acme/guarded', tag: 'v9' },
        },
      ],
    };
    for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`]) {
      const post = request(server)
        .post('/api/images/events/ghcr.io')
        .set('content-type', EVENTS_TYPE);
      if (authorization) post.set('authorization', authorization);
      const answer = await post.send(JSON.stringify(envelope));
      expect(answer.status).toBe(401);
      expect(answer.body.error.message).toBe(
        "Events from ghcr.io need the registry's configured token (images.registries[].events.token) as a bearer token",
      );
    }
    // A registry without a configured token is refused whatever it sends.
    await request(server)
      .post('/api/images/events/quay.io')
      .set('authorization', `Bearer ${TOKEN}`)
      .send(envelope)
      .expect(401);
    expect(await quiet()).toBe(before);
  }, 30_000);

  it('ignores repositories Berth does not index, and coalesces a flood into one refresh per repository', async () => {
    await pushTestImage(direct, 'acme/flood', ['staging'], { layer: 'flood' });
    const signals: unknown[] = [];
    const server = await start('ghcr.io/acme/flood', signals);
    await request(server).get(`${base}/tags`).expect(200);
    const mark = await quiet();

    const unknown = await request(server)
      .post('/api/images/events/ghcr.io')
      .set('authorization', `Bearer ${TOKEN}`)
      .send({
        events: [
          { action: 'push', target: { repository: 'other/app', tag: 'v1' } },
          { action: 'pull', target: { repository: 'acme/flood', tag: 'v1' } },
        ],
      });
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual({ accepted: 0, ignored: 2 });

    const flood = Array.from({ length: 200 }, (_, i) => ({
      action: 'push',
      target: { repository: 'acme/flood', tag: `build-${i}` },
    }));
    const answers = await Promise.all(
      [0, 1, 2, 3].map(() =>
        request(server)
          .post('/api/images/events/ghcr.io')
          .set('authorization', `Bearer ${TOKEN}`)
          .send({ events: flood }),
      ),
    );
    expect(answers.map(a => a.body)).toEqual(
      Array(4).fill({ accepted: 200, ignored: 0 }),
    );
    await until('the signal', async () => signals[0]);
    await new Promise(resolve => setTimeout(resolve, 500));
    const asked: RecordedRequest[] = proxy.requests.slice(mark);
    // 800 tag events: one listing of the repository, not a HEAD per tag.
    expect(asked.filter(r => r.method === 'HEAD')).toHaveLength(0);
    expect(
      asked.filter(r => r.path.includes('/tags/list')).length,
    ).toBeLessThanOrEqual(2);
    expect(signals).toHaveLength(1);
  }, 30_000);
});
