import {
  HostileRegistry,
  pushTestImage,
  pushTestIndex,
  RegistryProxy,
  RunningRegistry,
  serveImage,
  startHostileRegistry,
  startRegistry,
  startRegistryProxy,
} from '@berth/plugin-images-backend-test-utils';
import { failure } from '../__testUtils__/failure';
import { ImageIndex, MEDIA_TYPES } from '../mediaTypes';
import { RegistryClient } from '../RegistryClient';

// Talks to a real CNCF Distribution registry (Debian's docker-registry 2.8) on a free loopback port; a loopback
// proxy in front of it alters answers where a test needs a misbehaving registry.
describe('manifests, against a real registry', () => {
  let registry: RunningRegistry;
  let proxy: RegistryProxy;
  let client: RegistryClient;
  let viaProxy: RegistryClient;

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startRegistryProxy({ target: registry.url });
    client = new RegistryClient({ host: registry.host, baseUrl: registry.url });
    viaProxy = new RegistryClient({
      host: proxy.host,
      baseUrl: proxy.url,
      retryBaseDelayMs: 10,
    });
  });
  afterEach(() => proxy.reset());
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  const pushImage = (repository: string, tags: string[], layer: string) =>
    pushTestImage(client, repository, tags, { layer });

  it('answers undefined for a tag that does not exist', async () => {
    await pushImage('acme/web', ['latest'], 'web');
    expect(await client.resolveDigest('acme/web', 'staging')).toBeUndefined();
  });

  it('refuses a reference that is neither a tag nor a digest, before any request', async () => {
    await expect(client.resolveDigest('acme/web', 'bad tag!')).rejects.toThrow(
      '"bad tag!" is neither a valid tag nor a digest',
    );
  });

  it('reads a multi-arch index with every platform, resolving the tag to the index itself', async () => {
    const digest = await pushTestIndex(client, 'acme/multi', ['v3'], {
      platforms: ['linux/amd64', 'linux/arm64'],
    });
    const head = await client.headManifest('acme/multi', 'v3');
    expect(head?.digest).toBe(digest);
    expect(head?.mediaType).toBe(MEDIA_TYPES.ociIndex);
    const { manifest } = await client.getManifest('acme/multi', 'v3');
    expect(
      (manifest as ImageIndex).manifests.map(
        m => `${m.platform?.os}/${m.platform?.architecture}`,
      ),
    ).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it('refuses a manifest larger than 4 MiB', async () => {
    await pushImage('acme/huge', ['v1'], 'huge');
    proxy.rewriteResponse({ method: 'GET', path: '/manifests/v1' }, () => ({
      body: Buffer.alloc(5 * 1024 * 1024, 32),
    }));
    await expect(viaProxy.getManifest('acme/huge', 'v1')).rejects.toThrow(
      `${proxy.host} sent the manifest acme/huge:v1 larger than Berth accepts (4 MiB)`,
    );
  });

  it('refuses a manifest fetched by digest whose bytes do not match', async () => {
    const digest = await pushImage('acme/tampered', ['v1'], 'tampered');
    proxy.rewriteResponse(
      { method: 'GET', path: `/manifests/${digest}` },
      () => ({
        body: '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[]}',
      }),
    );
    await expect(viaProxy.getManifest('acme/tampered', digest)).rejects.toThrow(
      `${proxy.host} returned the manifest acme/tampered@${digest} with the wrong content`,
    );
  });
});

// What the client makes of data a real registry would refuse to store, served by a small misbehaving registry.
describe('manifests, with malformed registry data', () => {
  let hostile: HostileRegistry;
  let client: RegistryClient;
  const repo = 'acme/odd';

  beforeAll(async () => {
    hostile = await startHostileRegistry();
    client = new RegistryClient({
      host: 'registry.example',
      baseUrl: hostile.url,
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    await hostile?.stop();
  });

  it('says a manifest is not JSON, and still resolves its tag to the digest of its bytes', async () => {
    const digest = hostile.manifest(repo, '<html>maintenance</html>', {
      tags: ['html'],
      omitDigestHeader: true,
    });
    expect(await client.resolveDigest(repo, 'html')).toBe(digest);
    const error = await failure(client.getManifest(repo, digest));
    expect(error.message).toBe(
      `registry.example returned the manifest ${repo}@${digest} that is not JSON`,
    );
  });

  it('refuses a huge manifest with the existing limit', async () => {
    const digest = hostile.manifest(repo, Buffer.alloc(5 * 1024 * 1024, 32));
    const error = await failure(client.getManifest(repo, digest));
    expect(error.kind).toBe('invalid-response');
    expect(error.message).toBe(
      `registry.example sent the manifest ${repo}@${digest} larger than Berth accepts (4 MiB)`,
    );
  });

  it('resolves a tag whose digest header is sha512 to the sha256 of its bytes', async () => {
    const descriptor = serveImage(hostile, repo, { layers: ['sha512'] });
    const bytes = (await client.getManifest(repo, descriptor.digest)).bytes;
    hostile.manifest(repo, bytes, {
      tags: ['sha512'],
      digest: `sha512:${'e'.repeat(128)}`,
      contentType: MEDIA_TYPES.ociManifest,
    });
    expect(await client.resolveDigest(repo, 'sha512')).toBe(descriptor.digest);
  });
});
