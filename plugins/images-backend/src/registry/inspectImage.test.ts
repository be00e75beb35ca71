import {
  HostileRegistry,
  serveImage,
  serveIndex,
  startHostileRegistry,
} from '@berth/plugin-images-backend-test-utils';
import { failure } from './__testUtils__/failure';
import { inspectPlatforms } from './inspectImage';
import { MEDIA_TYPES } from './mediaTypes';
import { RegistryClient } from './RegistryClient';

// What the client makes of data a real registry would refuse to store, served by a small misbehaving registry.
describe('inspectPlatforms, with malformed registry data', () => {
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

  const good = () => serveImage(hostile, repo, { layers: ['good'] });

  it('reports an index that points at itself as content that does not match its digest', async () => {
    const self = `sha256:${'d'.repeat(64)}`;
    const index = serveIndex(
      hostile,
      repo,
      [
        {
          mediaType: MEDIA_TYPES.ociIndex,
          digest: self,
          size: 100,
          platform: { os: 'linux', architecture: 'amd64' },
        },
      ],
      { digest: self },
    );
    const top = await client.getManifest(repo, index);
    const error = await failure(
      inspectPlatforms(client, repo, top, { configs: 'first' }),
    );
    expect(error.kind).toBe('invalid-response');
    expect(error.message).toBe(
      `registry.example returned the manifest ${repo}@${self} with the wrong content (its digest is ${index})`,
    );
  });

  it('names an index that lists another index as a platform', async () => {
    const inner = serveIndex(hostile, repo, [good()]);
    const outer = serveIndex(hostile, repo, [
      {
        mediaType: MEDIA_TYPES.ociIndex,
        digest: inner,
        size: 100,
        platform: { os: 'linux', architecture: 'arm64' },
      },
    ]);
    const top = await client.getManifest(repo, outer);
    const error = await failure(
      inspectPlatforms(client, repo, top, { configs: 'first' }),
    );
    expect(error.malformedDigest).toBe(outer);
    expect(error.message).toBe(
      `registry.example returned the index ${repo}@${outer}, which lists another index (${inner}) as the image for linux/arm64; Berth reads images one index deep`,
    );
  });
});
