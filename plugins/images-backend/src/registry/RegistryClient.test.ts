import { pushTestImage, RunningRegistry, startRegistry } from '../testUtils';
import { RegistryClient } from './RegistryClient';
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

  const pushImage = (repository: string, tags: string[], layer: string) =>
    pushTestImage(client, repository, tags, { layer });

  it('pushes an image and resolves its tag to the digest of the exact bytes', async () => {
    const digest = await pushImage('acme/api', ['v1'], 'layer one');
    expect(await client.resolveDigest('acme/api', 'v1')).toBe(digest);
    const fetched = await client.getManifest('acme/api', digest);
    expect(fetched.digest).toBe(digest);
    expect(fetched.mediaType).toBe(MEDIA_TYPES.ociManifest);
  });

  it('skips uploading a blob the repository already has', async () => {
    const first = await client.pushBlob(
      'acme/dedupe',
      Buffer.from('same bytes'),
    );
    const second = await client.pushBlob(
      'acme/dedupe',
      Buffer.from('same bytes'),
    );
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
    const limited = await client.listTags('acme/paged', {
      pageSize: 2,
      limit: 3,
    });
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
    const offline = new RegistryClient({
      host: stopped.host,
      baseUrl: stopped.url,
      timeoutMs: 2000,
    });
    await expect(offline.ping()).rejects.toThrow(
      `${stopped.host} could not be reached`,
    );
  });
});
