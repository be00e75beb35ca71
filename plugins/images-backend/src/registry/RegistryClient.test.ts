import { RunningRegistry, startRegistry } from '../testUtils';
import { RegistryClient, sha256Digest } from './RegistryClient';
import { MEDIA_TYPES } from './mediaTypes';

// Talks to a real CNCF Distribution registry (Debian's docker-registry) on a free loopback port.
describe('RegistryClient against a real registry', () => {
  let registry: RunningRegistry;
  let client: RegistryClient;

  beforeAll(async () => {
    registry = await startRegistry();
    client = new RegistryClient({ host: registry.host, baseUrl: registry.url });
  });
  afterAll(() => registry?.stop());

  async function pushImage(repository: string, tags: string[], content: string) {
    const layer = await client.pushBlob(repository, Buffer.from(content));
    const config = await client.pushBlob(
      repository,
      Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created: '2026-11-01T00:00:00Z' })),
    );
    const manifest = {
      schemaVersion: 2 as const,
      mediaType: MEDIA_TYPES.ociManifest,
      config: { mediaType: MEDIA_TYPES.ociConfig, digest: config.digest, size: config.size },
      layers: [{ mediaType: MEDIA_TYPES.ociLayerGzip, digest: layer.digest, size: layer.size }],
    };
    const bytes = Buffer.from(JSON.stringify(manifest));
    for (const tag of tags) await client.putManifest(repository, tag, bytes, manifest.mediaType);
    return sha256Digest(bytes);
  }

  it('pushes an image and resolves its tag to the digest of the exact bytes', async () => {
    const digest = await pushImage('acme/api', ['v1'], 'layer one');
    expect(await client.resolveDigest('acme/api', 'v1')).toBe(digest);
    const fetched = await client.getManifest('acme/api', digest);
    expect(fetched.digest).toBe(digest);
    expect(fetched.mediaType).toBe(MEDIA_TYPES.ociManifest);
  });

  it('skips uploading a blob the repository already has', async () => {
    const first = await client.pushBlob('acme/dedupe', Buffer.from('same bytes'));
    const second = await client.pushBlob('acme/dedupe', Buffer.from('same bytes'));
    expect(first.uploaded).toBe(true);
    expect(second.uploaded).toBe(false);
    expect(second.digest).toBe(first.digest);
  });

  it('answers undefined for a tag that does not exist', async () => {
    await pushImage('acme/web', ['latest'], 'web');
    expect(await client.resolveDigest('acme/web', 'staging')).toBeUndefined();
  });

  it('follows Link pagination to list every tag, and reports a limit when it stops early', async () => {
    const tags = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'];
    await pushImage('acme/paged', tags, 'paged');
    // Distribution 2.8 pages in storage order, not sorted, so compare as sets (and check for duplicates).
    const all = await client.listTags('acme/paged', { pageSize: 2 });
    expect([...all.tags].sort()).toEqual(tags);
    expect(all.truncated).toBe(false);
    const limited = await client.listTags('acme/paged', { pageSize: 2, limit: 3 });
    expect(limited.tags).toHaveLength(3);
    expect(new Set(limited.tags).size).toBe(3);
    expect(limited.tags.every(tag => tags.includes(tag))).toBe(true);
    expect(limited.truncated).toBe(true);
  });

  it('says which registry and what was missing when a repository is unknown', async () => {
    await expect(client.listTags('acme/nothing-here')).rejects.toThrow(
      `${registry.host} has no the tags of acme/nothing-here (NAME_UNKNOWN)`,
    );
  });

  it('reports an unreachable registry clearly instead of hanging', async () => {
    const stopped = await startRegistry();
    await stopped.stop();
    const offline = new RegistryClient({ host: stopped.host, baseUrl: stopped.url, timeoutMs: 2000 });
    await expect(offline.ping()).rejects.toThrow(`${stopped.host} could not be reached`);
  });
});
