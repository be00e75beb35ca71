import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  pushTestImage,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { RegistryClient } from './RegistryClient';
import { RegistryError } from './errors';

// A real CNCF registry behind a loopback proxy that injects what registries do under load: 429 with
// Retry-After, bursts of 503, connection resets and stalls.
describe('RegistryTransport under faults', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  let digest: string;
  const warnings: string[] = [];

  const client = (extra: { timeoutMs?: number; maxAttempts?: number } = {}) =>
    RegistryClient.forEndpoint(
      {
        host: proxy.host,
        baseUrl: proxy.url,
        retryBaseDelayMs: 10,
        maxAttempts: 3,
        ...extra,
      },
      { debug: () => undefined, warn: message => warnings.push(message) },
    );
  const manifestRequests = () =>
    proxy.requests.filter(r => r.path === '/v2/acme/faults/manifests/v1');

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ target: registry.url });
    digest = await pushTestImage(client(), 'acme/faults', ['v1'], {
      layer: 'faults',
    });
  });
  beforeEach(() => {
    proxy.reset();
    warnings.length = 0;
  });
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('waits as long as Retry-After says after a 429, then succeeds', async () => {
    proxy.inject(
      { path: '/manifests/v1' },
      {
        status: 429,
        headers: { 'retry-after': '1' },
        body: '{"errors":[{"code":"TOOMANYREQUESTS"}]}',
      },
    );
    expect(await client().resolveDigest('acme/faults', 'v1')).toBe(digest);
    const [limited, retried] = manifestRequests();
    expect([limited.status, retried.status]).toEqual([429, 200]);
    expect(retried.startedAt - limited.startedAt).toBeGreaterThanOrEqual(950);
    expect(warnings).toEqual([
      `${proxy.host} answered 429 for acme/faults:v1; retrying in 1000 ms (attempt 2 of 3)`,
    ]);
  });

  it('fails at once, saying until when, when Retry-After is longer than it may wait', async () => {
    proxy.inject(
      { path: '/manifests/v1' },
      { status: 429, headers: { 'retry-after': '3600' } },
    );
    const error: RegistryError = await client()
      .resolveDigest('acme/faults', 'v1')
      .catch(e => e);
    expect(error.kind).toBe('rate-limited');
    expect(error.retryAt!.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect(error.message).toMatch(
      new RegExp(
        `^${proxy.host} is rate limiting Berth's requests for acme/faults:v1; it asks to wait until 20`,
      ),
    );
    expect(manifestRequests()).toHaveLength(1);
  });

  it('retries a burst of 503 with backoff and succeeds', async () => {
    proxy.inject({ path: '/manifests/v1' }, { status: 503, times: 2 });
    expect(await client().resolveDigest('acme/faults', 'v1')).toBe(digest);
    expect(manifestRequests().map(r => r.status)).toEqual([503, 503, 200]);
  });

  it('gives up after the configured attempts with a clear error', async () => {
    proxy.inject({ path: '/manifests/v1' }, { status: 503, times: Infinity });
    await expect(client().resolveDigest('acme/faults', 'v1')).rejects.toThrow(
      `${proxy.host} answered 503 for acme/faults:v1 (gave up after 3 attempts)`,
    );
    expect(manifestRequests()).toHaveLength(3);
  });

  it('retries a connection reset, and gives up on persistent resets', async () => {
    proxy.inject({ path: '/manifests/v1' }, { reset: true });
    expect(await client().resolveDigest('acme/faults', 'v1')).toBe(digest);

    proxy.reset();
    proxy.inject({ path: '/manifests/v1' }, { reset: true, times: Infinity });
    await expect(client().resolveDigest('acme/faults', 'v1')).rejects.toThrow(
      `${proxy.host} closed the connection while Berth was reading acme/faults:v1 (gave up after 3 attempts)`,
    );
    expect(manifestRequests()).toHaveLength(3);
  });

  it('gives up on a registry that stalls, within the time limit of each attempt', async () => {
    proxy.inject({ path: '/manifests/v1' }, { stallMs: 5000, times: Infinity });
    await expect(
      client({ timeoutMs: 200, maxAttempts: 2 }).resolveDigest(
        'acme/faults',
        'v1',
      ),
    ).rejects.toThrow(
      `${proxy.host} did not answer within 0.2 s while Berth was reading acme/faults:v1 (gave up after 2 attempts)`,
    );
    expect(manifestRequests()).toHaveLength(2);
  });

  it('does not resend a streamed upload that failed, and says so', async () => {
    proxy.inject(
      { method: 'PUT', path: '/blobs/uploads/' },
      { status: 503, times: Infinity },
    );
    const bytes = Buffer.from('streamed once');
    const blob = {
      digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      size: bytes.length,
    };
    await expect(
      client().pushBlobStream('acme/faults', blob, Readable.from([bytes])),
    ).rejects.toThrow(
      `${proxy.host} answered 503 for an upload of ${blob.digest} to acme/faults`,
    );
    expect(proxy.requests.filter(r => r.method === 'PUT')).toHaveLength(1);
  });

  it('sends at most the configured number of requests to a registry at once', async () => {
    proxy.setLatency(100);
    try {
      const limited = RegistryClient.forEndpoint({
        host: proxy.host,
        baseUrl: proxy.url,
        concurrency: 3,
      });
      const digests = await Promise.all(
        Array.from({ length: 12 }, () =>
          limited.resolveDigest('acme/faults', 'v1'),
        ),
      );
      expect(new Set(digests)).toEqual(new Set([digest]));
    } finally {
      proxy.setLatency(0);
    }
    const events = proxy.requests.flatMap(r => [
      [r.startedAt, 1],
      [r.finishedAt!, -1],
    ]);
    // Ends before starts at the same millisecond: a slot freed and reused is not an overlap.
    events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let inFlight = 0;
    let most = 0;
    for (const [, change] of events) {
      inFlight += change;
      most = Math.max(most, inFlight);
    }
    expect(proxy.requests).toHaveLength(12);
    expect(most).toBe(3);
  });

  it('refuses a redirect of a manifest write to another host', async () => {
    proxy.inject(
      { method: 'PUT', path: '/manifests/' },
      { status: 307, headers: { location: 'http://127.0.0.2:1/steal' } },
    );
    const { bytes, mediaType } = await client().getManifest(
      'acme/faults',
      'v1',
    );
    await expect(
      client().putManifest('acme/faults', 'v2', bytes, mediaType),
    ).rejects.toThrow(
      `${proxy.host} redirected acme/faults:v2 to 127.0.0.2:1, which is not a configured registry; Berth refused to follow`,
    );
  });

  it('reports an unreachable registry clearly instead of hanging', async () => {
    const stopped = await startRegistry();
    await stopped.stop();
    const offline = new RegistryClient({
      host: stopped.host,
      baseUrl: stopped.url,
      timeoutMs: 2000,
      maxAttempts: 2,
      retryBaseDelayMs: 10,
    });
    await expect(offline.ping()).rejects.toThrow(
      `${stopped.host} refused the connection while Berth was reading the registry API (gave up after 2 attempts)`,
    );
  });
});
