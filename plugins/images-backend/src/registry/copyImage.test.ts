import {
  pushTestImage,
  pushTestIndex,
  RegistryProxy,
  RunningRegistry,
  startRegistry,
  startRegistryProxy,
  startTokenServer,
  TokenServer,
} from '@berth/plugin-images-backend-test-utils';
import { copyImage } from './copyImage';
import { RegistryClient } from './RegistryClient';
import { ImageIndex } from './mediaTypes';

// Copies between real CNCF registries: one with token auth (the test runs the issuer) and one anonymous, each
// behind a loopback proxy that counts requests and can inject faults.
describe('copyImage', () => {
  let tokens: TokenServer;
  let secured: RunningRegistry;
  let plain: RunningRegistry;
  let securedProxy: RegistryProxy;
  let plainProxy: RegistryProxy;
  let source: RegistryClient;
  let other: RegistryClient;

  beforeAll(async () => {
    tokens = await startTokenServer({ users: { ci: 'ci-password' } });
    secured = await startRegistry({ extraConfig: tokens.registryAuthConfig });
    plain = await startRegistry();
    securedProxy = await startRegistryProxy({ target: secured.url });
    plainProxy = await startRegistryProxy({ target: plain.url });
    source = RegistryClient.forEndpoint({
      host: securedProxy.host,
      baseUrl: securedProxy.url,
      credentials: {
        getCredentials: async () => ({
          username: 'ci',
          password: 'ci-password',
        }),
      },
      authOrigins: [tokens.url],
      retryBaseDelayMs: 10,
    });
    other = RegistryClient.forEndpoint({
      host: plainProxy.host,
      baseUrl: plainProxy.url,
      retryBaseDelayMs: 10,
    });
  });
  beforeEach(() => {
    securedProxy.reset();
    plainProxy.reset();
    tokens.reset();
  });
  afterAll(async () => {
    await securedProxy?.stop();
    await plainProxy?.stop();
    await secured?.stop();
    await plain?.stop();
    await tokens?.stop();
  });

  const requests = (proxy: RegistryProxy) =>
    proxy.requests.map(r => `${r.method} ${r.path}`);

  it('retags within a repository with three requests once the token is warm', async () => {
    const digest = await pushTestIndex(source, 'shop/api', ['build-41']);
    await copyImage({
      source: { client: source, repository: 'shop/api', digest },
      target: { client: source, repository: 'shop/api', tag: 'staging' },
    });
    securedProxy.reset();
    tokens.reset();

    const result = await copyImage({
      source: { client: source, repository: 'shop/api', digest },
      target: { client: source, repository: 'shop/api', tag: 'production' },
    });
    expect(result).toMatchObject({
      digest,
      mode: 'same-repository',
      changed: true,
      manifestsWritten: 1,
    });
    expect(requests(securedProxy)).toEqual([
      'HEAD /v2/shop/api/manifests/production',
      `GET /v2/shop/api/manifests/${digest}`,
      'PUT /v2/shop/api/manifests/production',
    ]);
    expect(tokens.requests).toEqual([]);
    expect(await source.resolveDigest('shop/api', 'production')).toBe(digest);
  });

  it('writes nothing when the tag already points at the digest', async () => {
    const digest = (await source.resolveDigest('shop/api', 'production'))!;
    securedProxy.reset();
    const result = await copyImage({
      source: { client: source, repository: 'shop/api', digest },
      target: { client: source, repository: 'shop/api', tag: 'production' },
    });
    expect(result.changed).toBe(false);
    expect(requests(securedProxy)).toEqual([
      'HEAD /v2/shop/api/manifests/production',
    ]);
  });

  it('reads a tag back only when the PUT answer leaves out Docker-Content-Digest', async () => {
    const built = await pushTestIndex(other, 'shop/bare', ['build-1']);
    plainProxy.reset();
    plainProxy.rewriteResponse(
      { method: 'PUT', path: '/manifests/' },
      head => {
        delete head.headers['docker-content-digest'];
      },
      Infinity,
    );
    await copyImage({
      source: { client: other, repository: 'shop/bare', digest: built },
      target: { client: other, repository: 'shop/bare', tags: ['a', 'b'] },
    });
    expect(requests(plainProxy).sort()).toEqual([
      `GET /v2/shop/bare/manifests/${built}`,
      'HEAD /v2/shop/bare/manifests/a',
      'HEAD /v2/shop/bare/manifests/a',
      'HEAD /v2/shop/bare/manifests/b',
      'HEAD /v2/shop/bare/manifests/b',
      'PUT /v2/shop/bare/manifests/a',
      'PUT /v2/shop/bare/manifests/b',
    ]);
    // The read-back HEADs come after both PUTs (in arrival order).
    expect(requests(plainProxy).slice(-2).sort()).toEqual([
      'HEAD /v2/shop/bare/manifests/a',
      'HEAD /v2/shop/bare/manifests/b',
    ]);
    expect(await other.resolveDigest('shop/bare', 'b')).toBe(built);
  });

  it('mounts blobs across repositories of one registry instead of uploading them', async () => {
    const digest = await pushTestIndex(source, 'shop/web', ['v7'], {
      attestations: true,
    });
    securedProxy.reset();
    tokens.reset();
    const result = await copyImage({
      source: { client: source, repository: 'shop/web', digest },
      target: { client: source, repository: 'release/web', tag: 'v7' },
    });
    // Two platforms and two attestation manifests, each with a config and a layer; the two attestation
    // configs are the same bytes, so seven blobs.
    expect(result).toMatchObject({
      digest,
      mode: 'cross-repository',
      manifestsWritten: 5,
      blobsMounted: 7,
      blobsUploaded: 0,
      bytesUploaded: 0,
    });
    expect(
      requests(securedProxy).filter(
        r => r.startsWith('PUT /v2/release/web/blobs') || r.startsWith('PATCH'),
      ),
    ).toEqual([]);
    expect(
      requests(securedProxy).filter(r => r.includes('?mount=')),
    ).toHaveLength(7);
    // One token with both repositories, the push scope first.
    expect(tokens.requests.map(r => r.scopes)).toEqual([
      ['repository:release/web:pull,push', 'repository:shop/web:pull'],
    ]);
    expect(await source.resolveDigest('release/web', 'v7')).toBe(digest);
    const index = (await source.getManifest('release/web', 'v7'))
      .manifest as ImageIndex;
    for (const child of index.manifests) {
      expect(await source.resolveDigest('release/web', child.digest)).toBe(
        child.digest,
      );
    }
    expect(source.capabilities.blobMount).toBe(true);
  });

  it('copies a multi-arch image to another registry with the same digest, children before the index', async () => {
    const digest = await pushTestIndex(source, 'shop/worker', ['v2'], {
      attestations: true,
      layerPrefix: 'worker',
    });
    const result = await copyImage({
      source: { client: source, repository: 'shop/worker', digest },
      target: { client: other, repository: 'mirror/worker', tag: 'v2' },
    });
    expect(result).toMatchObject({
      digest,
      mode: 'cross-registry',
      manifestsWritten: 5,
      blobsUploaded: 7,
    });
    expect(await other.resolveDigest('mirror/worker', 'v2')).toBe(digest);
    const puts = requests(plainProxy).filter(r =>
      r.startsWith('PUT /v2/mirror/worker/manifests/'),
    );
    expect(puts).toHaveLength(5);
    expect(puts[4]).toBe('PUT /v2/mirror/worker/manifests/v2');

    // A second copy to another tag finds everything in place and only writes the tag.
    plainProxy.reset();
    const again = await copyImage({
      source: { client: source, repository: 'shop/worker', digest },
      target: { client: other, repository: 'mirror/worker', tag: 'stable' },
    });
    expect(again).toMatchObject({ blobsUploaded: 0, manifestsWritten: 1 });
  });

  it('restarts a blob transfer cut off mid-stream, and the digest still matches', async () => {
    const layer = Buffer.alloc(2 * 1024 * 1024, 3);
    const digest = await pushTestImage(source, 'shop/big', ['v1'], { layer });
    const layerDigest = (await source.pushBlob('shop/big', layer)).digest;
    securedProxy.inject(
      { method: 'GET', path: `/blobs/${layerDigest}` },
      { truncateAfterBytes: 100_000 },
    );
    const result = await copyImage({
      source: { client: source, repository: 'shop/big', digest },
      target: { client: other, repository: 'mirror/big', tag: 'v1' },
    });
    expect(result.blobsUploaded).toBe(2);
    expect(
      securedProxy.requests.filter(
        r => r.path.includes(layerDigest) && r.method === 'GET',
      ),
    ).toHaveLength(2);
    expect(await other.resolveDigest('mirror/big', 'v1')).toBe(digest);
    expect(
      (await other.getBlob('mirror/big', layerDigest, 4 * 1024 * 1024)).equals(
        layer,
      ),
    ).toBe(true);
  });
});
