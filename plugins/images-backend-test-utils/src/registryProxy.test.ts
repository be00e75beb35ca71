import { createHash, randomBytes } from 'node:crypto';
import { RegistryProxy, startRegistryProxy } from './registryProxy';
import { RunningRegistry, startRegistry } from './testRegistry';

describe('startRegistryProxy', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ target: registry.url });
  });

  afterEach(() => {
    proxy.reset();
    proxy.setLatency(0);
  });

  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('passes GET /v2/ through and records it', async () => {
    const response = await fetch(`${proxy.url}/v2/`, {
      headers: { authorization: 'Bearer not-checked' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-distribution-api-version')).toBe(
      'registry/2.0',
    );
    expect(proxy.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/v2/',
        status: 200,
        hasAuthorization: true,
      }),
    ]);
    expect(proxy.requests[0].headerNames).toContain('authorization');
    expect(proxy.host).toBe(`127.0.0.1:${proxy.port}`);
  });

  it('streams a 5 MB blob upload and download through', async () => {
    const blob = randomBytes(5 * 1024 * 1024 + 123);
    const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;

    const start = await fetch(`${proxy.url}/v2/demo/app/blobs/uploads/`, {
      method: 'POST',
    });
    expect(start.status).toBe(202);
    const location = new URL(start.headers.get('location')!, proxy.url);
    // The registry builds the URL from the Host header the proxy kept.
    expect(location.host).toBe(proxy.host);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: blob,
    });
    expect(put.status).toBe(201);

    const download = await fetch(`${proxy.url}/v2/demo/app/blobs/${digest}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-length')).toBe(String(blob.length));
    expect(Buffer.from(await download.arrayBuffer()).equals(blob)).toBe(true);
    expect(proxy.requests.map(r => [r.method, r.status])).toEqual([
      ['POST', 202],
      ['PUT', 201],
      ['GET', 200],
    ]);
  });

  it('answers a 429 fault once, then passes requests through', async () => {
    proxy.inject(
      { method: 'GET', path: '/v2/' },
      { status: 429, headers: { 'retry-after': '1' }, body: 'slow down' },
    );
    const first = await fetch(`${proxy.url}/v2/`);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(await first.text()).toBe('slow down');
    expect((await fetch(`${proxy.url}/v2/`)).status).toBe(200);
    expect(proxy.requests.map(r => r.status)).toEqual([429, 200]);
  });

  it('applies faults only to matching requests, as many times as asked', async () => {
    proxy.inject({ path: /\/tags\/list$/ }, { status: 503, times: 2 });
    expect((await fetch(`${proxy.url}/v2/`)).status).toBe(200);
    const tags = `${proxy.url}/v2/demo/app/tags/list`;
    expect((await fetch(tags)).status).toBe(503);
    expect((await fetch(tags)).status).toBe(503);
    expect((await fetch(tags)).status).toBe(404); // forwarded: no tags pushed
  });

  it('resets the connection', async () => {
    proxy.inject({ path: '/v2/' }, { reset: true });
    await expect(fetch(`${proxy.url}/v2/`)).rejects.toThrow();
    expect(proxy.requests[0]).toMatchObject({ path: '/v2/', status: 0 });
    expect((await fetch(`${proxy.url}/v2/`)).status).toBe(200);
  });

  it('stalls a request', async () => {
    proxy.inject({ path: '/v2/' }, { stallMs: 5_000 });
    await expect(
      fetch(`${proxy.url}/v2/`, { signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    expect(proxy.requests[0].status).toBe(0);
    expect((await fetch(`${proxy.url}/v2/`)).status).toBe(200);
  });

  it('truncates a response body', async () => {
    const blob = randomBytes(256 * 1024);
    const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
    const start = await fetch(`${registry.url}/v2/demo/cut/blobs/uploads/`, {
      method: 'POST',
    });
    const location = new URL(start.headers.get('location')!, registry.url);
    location.searchParams.set('digest', digest);
    await fetch(location, { method: 'PUT', body: blob });

    proxy.inject({ path: digest }, { truncateAfterBytes: 1000 });
    const response = await fetch(`${proxy.url}/v2/demo/cut/blobs/${digest}`);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let received = 0;
    await expect(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          received += value.length;
        }
      })(),
    ).rejects.toThrow();
    expect(received).toBe(1000);
  });

  it('rewrites a forwarded response', async () => {
    proxy.rewriteResponse({ path: '/v2/' }, head => {
      delete head.headers['docker-distribution-api-version'];
      return {
        headers: { link: '</v2/_catalog?n=1&last=a>; rel="next"' },
      };
    });
    const rewritten = await fetch(`${proxy.url}/v2/`);
    expect(rewritten.status).toBe(200);
    expect(rewritten.headers.get('link')).toBe(
      '</v2/_catalog?n=1&last=a>; rel="next"',
    );
    expect(rewritten.headers.get('docker-distribution-api-version')).toBe(null);
    const untouched = await fetch(`${proxy.url}/v2/`);
    expect(untouched.headers.get('link')).toBe(null);
  });

  it('replaces a forwarded body and its length', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024, 'x');
    proxy.rewriteResponse({ path: '/v2/' }, () => ({ status: 203, body: big }));
    const response = await fetch(`${proxy.url}/v2/`);
    expect(response.status).toBe(203);
    expect(response.headers.get('content-length')).toBe(String(big.length));
    expect(Buffer.from(await response.arrayBuffer()).equals(big)).toBe(true);
    expect(proxy.requests[0].status).toBe(203);
  });

  it('adds latency to each request', async () => {
    const slow = await startRegistryProxy({
      target: registry.url,
      latencyMs: 50,
    });
    try {
      const started = performance.now();
      expect((await fetch(`${slow.url}/v2/`)).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    } finally {
      await slow.stop();
    }
  });
});
