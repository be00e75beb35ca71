import { lookup } from 'node:dns/promises';
import http from 'node:http';
import { hostname } from 'node:os';
import {
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { refusedAddressKind } from './addressPolicy';
import { RegistryClient } from './RegistryClient';
import { RegistryError } from './errors';
import { RegistryHosts } from './RegistryHosts';
import { isRedirect, redirectTarget } from './redirects';
import { RegistryRequest } from './types';

// A real CNCF registry behind a loopback proxy that redirects blob downloads where a hostile registry (or whoever
// controls its answers) would: into Berth's own network. A small server on loopback stands for what lives there.
describe('blob redirects to internal addresses', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  let internal: http.Server;
  let internalPort: number;
  const internalRequests: string[] = [];
  const content = Buffer.from('a layer the storage CDN serves');
  let digest: string;

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ target: registry.url });
    const direct = new RegistryClient({
      host: registry.host,
      baseUrl: registry.url,
    });
    digest = (await direct.pushBlob('acme/app', content)).digest;
    internal = http.createServer((req, res) => {
      internalRequests.push(req.url ?? '');
      res.end(content);
    });
    await new Promise<void>(resolve =>
      internal.listen(0, '127.0.0.1', resolve),
    );
    internalPort = (internal.address() as { port: number }).port;
  });
  afterEach(() => {
    proxy.reset();
    internalRequests.length = 0;
  });
  afterAll(async () => {
    await new Promise(resolve => internal?.close(resolve));
    await proxy?.stop();
    await registry?.stop();
  });

  /** The configured registry `registry.example` (through the proxy), and any other configured ones. */
  const clientOf = (...others: Array<{ host: string; baseUrl: string }>) =>
    new RegistryHosts([
      {
        host: 'registry.example',
        baseUrl: proxy.url,
        timeoutMs: 3000,
        maxAttempts: 1,
      },
      ...others,
    ]).clientFor('registry.example');
  const redirectBlobTo = (location: string, method = 'GET') =>
    proxy.inject(
      { method, path: `/blobs/${digest}` },
      { status: 307, headers: { location } },
    );
  const refusal = async (promise: Promise<unknown>): Promise<RegistryError> => {
    const error = await promise.then(
      () => undefined,
      e => e,
    );
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).kind).toBe('refused-host');
    return error as RegistryError;
  };
  const what = () => `the blob acme/app@${digest}`;

  it.each([
    ['127.0.0.1:PORT', 'is a loopback address'],
    ['[::1]:PORT', 'is a loopback address'],
    ['10.20.30.40', 'is a private address'],
    ['192.168.0.10:8080', 'is a private address'],
    ['100.100.100.200', 'is a shared (CGNAT) address'],
    ['169.254.169.254', 'is a cloud metadata address'],
    ['[fd00:ec2::254]', 'is a cloud metadata address'],
    ['169.254.1.1', 'is a link-local address'],
    ['metadata.google.internal', 'is a cloud metadata address'],
    ['localhost:PORT', 'resolves to a loopback address'],
  ])(
    'refuses to follow a redirect to %s, naming the host',
    async (target, says) => {
      const host = target.replace('PORT', String(internalPort));
      redirectBlobTo(`http://${host}/latest/meta-data/iam`);
      const error = await refusal(clientOf().getBlob('acme/app', digest));
      expect(error.message).toBe(
        `registry.example redirected ${what()} to ${host}, which ${says}; Berth refused to follow (a registry trusted there belongs under images.registries)`,
      );
      expect(internalRequests).toEqual([]);
    },
  );

  it('checks a name by what it resolves to, for downloads, streams and existence checks alike', async () => {
    // Debian maps the machine's own name to a loopback address in /etc/hosts; no rule knows that name.
    const name = hostname();
    const kind = refusedAddressKind((await lookup(name)).address);
    expect(kind).toBeDefined();
    const host = `${name}:${internalPort}`;
    const expected = `registry.example redirected ${what()} to ${host.toLowerCase()}, which resolves to a ${kind} address`;

    redirectBlobTo(`http://${host}/blob`);
    expect(
      (await refusal(clientOf().getBlob('acme/app', digest))).message,
    ).toMatch(expected);
    redirectBlobTo(`http://${host}/blob`);
    expect(
      (await refusal(clientOf().getBlobStream('acme/app', digest))).message,
    ).toMatch(expected);
    redirectBlobTo(`http://${host}/blob`, 'HEAD');
    expect(
      (await refusal(clientOf().hasBlob('acme/app', digest))).message,
    ).toMatch(expected);
    expect(internalRequests).toEqual([]);
  });

  it('follows a redirect to a configured registry on loopback, without credentials', async () => {
    const cdn = {
      host: 'cdn.example',
      baseUrl: `http://127.0.0.1:${internalPort}`,
    };
    redirectBlobTo(`http://127.0.0.1:${internalPort}/signed?sig=1`);
    expect(
      (await clientOf(cdn).getBlob('acme/app', digest)).equals(content),
    ).toBe(true);
    expect(internalRequests).toEqual(['/signed?sig=1']);
  });
});

describe('redirectTarget', () => {
  const registry = {
    host: 'registry.example',
    origin: 'https://registry.example',
  };
  const from = new URL('https://registry.example/v2/acme/app/blobs/sha256:1');
  const to = (location: string) =>
    new Response(null, { status: 307, headers: { location } });
  const download: RegistryRequest = {
    method: 'GET',
    path: from.pathname,
    what: 'the blob acme/app@sha256:1',
    scopes: [],
    followForeignRedirects: true,
  };

  it('is a redirect status with a Location', () => {
    expect(isRedirect(to('/elsewhere'))).toBe(true);
    expect(isRedirect(new Response(null, { status: 307 }))).toBe(false);
    expect(
      isRedirect(
        new Response(null, { status: 200, headers: { location: '/x' } }),
      ),
    ).toBe(false);
  });

  it('follows a redirect on the registry, and a download to another origin', () => {
    expect(
      redirectTarget(registry, to('/v2/other'), from, download, 1).href,
    ).toBe('https://registry.example/v2/other');
    expect(
      redirectTarget(
        registry,
        to('https://cdn.example/b?sig=1'),
        from,
        download,
        1,
      ).href,
    ).toBe('https://cdn.example/b?sig=1');
  });

  it('refuses another origin for anything but a download that allows it', () => {
    for (const request of [
      { ...download, followForeignRedirects: false },
      { ...download, method: 'PUT' as const },
    ]) {
      expect(() =>
        redirectTarget(registry, to('https://cdn.example/b'), from, request, 1),
      ).toThrow(
        'registry.example redirected the blob acme/app@sha256:1 to cdn.example, which is not a configured registry; Berth refused to follow',
      );
    }
  });

  it('refuses a redirect from HTTPS down to plain HTTP', () => {
    expect(() =>
      redirectTarget(registry, to('http://cdn.example/b'), from, download, 1),
    ).toThrow(
      'registry.example redirected the blob acme/app@sha256:1 from HTTPS to plain HTTP (cdn.example); Berth refused to follow',
    );
  });

  it('stops after 5 redirects', () => {
    expect(() =>
      redirectTarget(registry, to('/v2/again'), from, download, 6),
    ).toThrow(
      'registry.example redirected the blob acme/app@sha256:1 more than 5 times',
    );
  });
});
