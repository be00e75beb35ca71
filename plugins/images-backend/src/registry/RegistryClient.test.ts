import {
  pushTestImage,
  RunningRegistry,
  startRegistry,
} from '@berth/plugin-images-backend-test-utils';
import { RegistryClient, sha256Digest } from './RegistryClient';
import { MEDIA_TYPES } from './mediaTypes';

// Talks to a real CNCF Distribution registry (Debian's docker-registry 2.8) on a free loopback port.
describe('RegistryClient against a real registry', () => {
  let registry: RunningRegistry;
  let client: RegistryClient;

  beforeAll(async () => {
    registry = await startRegistry();
    client = new RegistryClient({ host: registry.host, baseUrl: registry.url });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  const pushImage = (repository: string, tags: string[], layer: string) =>
    pushTestImage(client, repository, tags, { layer });

  it('pushes an image and resolves its tag to the digest of the exact bytes', async () => {
    const digest = await pushImage('acme/api', ['v1'], 'layer one');
    expect(await client.resolveDigest('acme/api', 'v1')).toBe(digest);
    const head = await client.headManifest('acme/api', 'v1');
    expect(head).toEqual({
      digest,
      mediaType: MEDIA_TYPES.ociManifest,
      size: expect.any(Number),
    });
    const fetched = await client.getManifest('acme/api', digest);
    expect(fetched.digest).toBe(digest);
    expect(sha256Digest(fetched.bytes)).toBe(digest);
    expect(fetched.mediaType).toBe(MEDIA_TYPES.ociManifest);
  });

  it('shares what the registry was found to support with the clients made from it', async () => {
    const digest = await pushImage('acme/shared', ['v1'], 'shared');
    const fresh = new RegistryClient({
      host: registry.host,
      baseUrl: registry.url,
    });
    const derived = fresh
      .withScopes(['repository:acme/shared:pull'])
      .inBackground();
    await derived.listReferrers('acme/shared', digest);
    // Distribution 2.8 has no referrers API: learned once, by any of them, for all.
    expect(fresh.capabilities.referrersApi).toBe(false);
    expect(derived.capabilities.referrersApi).toBe(false);
  });

  it('knows from the flavour what a product does not support, before any request', () => {
    const ghcr = new RegistryClient({
      host: 'ghcr.io',
      baseUrl: 'https://ghcr.io',
    });
    expect(ghcr.flavor.name).toBe('github');
    expect(ghcr.capabilities).toEqual({ referrersApi: false });
  });
});
