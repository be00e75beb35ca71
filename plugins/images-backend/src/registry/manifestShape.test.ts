import {
  HostileRegistry,
  serveImage,
  serveIndex,
  startHostileRegistry,
} from '@berth/plugin-images-backend-test-utils';
import { failure } from './__testUtils__/failure';
import { MEDIA_TYPES } from './mediaTypes';
import { RegistryClient } from './RegistryClient';

// Each malformed manifest is an error that names it and says what is wrong.
describe('manifest shapes, as a misbehaving registry serves them', () => {
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

  it.each<[string, () => string, string]>([
    [
      'an index with a null entry',
      () => serveIndex(hostile, repo, [good(), null]),
      'entry 2 of its manifests is null',
    ],
    [
      'an index entry without a digest',
      () =>
        serveIndex(hostile, repo, [
          { mediaType: MEDIA_TYPES.ociManifest, size: 10 },
        ]),
      'entry 1 of its manifests has no valid digest',
    ],
    [
      'an index whose manifests are no list',
      () => serveIndex(hostile, repo, { amd64: good() }),
      'its manifests are not a list',
    ],
    [
      'a manifest without layers',
      () =>
        serveImage(hostile, repo, { manifest: { layers: undefined } }).digest,
      'it has no layers',
    ],
    [
      'a manifest whose layers are no list',
      () =>
        serveImage(hostile, repo, { manifest: { layers: { 0: 'x' } } }).digest,
      'its layers are not a list',
    ],
    [
      'a layer with a negative size',
      () =>
        serveImage(hostile, repo, {
          manifest: {
            layers: [
              { mediaType: 'x', digest: `sha256:${'a'.repeat(64)}`, size: -5 },
            ],
          },
        }).digest,
      'layer 1 has no valid size',
    ],
    [
      'a layer whose size is a string',
      () =>
        serveImage(hostile, repo, {
          manifest: {
            layers: [
              {
                mediaType: 'x',
                digest: `sha256:${'b'.repeat(64)}`,
                size: '12',
              },
            ],
          },
        }).digest,
      'layer 1 has no valid size',
    ],
    [
      'a layer without a size',
      () =>
        serveImage(hostile, repo, {
          manifest: {
            layers: [{ mediaType: 'x', digest: `sha256:${'c'.repeat(64)}` }],
          },
        }).digest,
      'layer 1 has no valid size',
    ],
    [
      'a manifest without a config',
      () => serveImage(hostile, repo, { manifest: { config: 'none' } }).digest,
      'its config is not a descriptor',
    ],
    [
      'a manifest that is JSON null',
      () => hostile.manifest(repo, 'null'),
      'it is not a JSON object',
    ],
  ])('names %s and what is wrong with it', async (_case, serve, problem) => {
    const digest = serve();
    const error = await failure(client.getManifest(repo, digest));
    expect(error.kind).toBe('invalid-manifest');
    expect(error.malformedDigest).toBe(digest);
    expect(error.message).toBe(
      `registry.example returned the manifest ${repo}@${digest} that Berth cannot read: ${problem}`,
    );
  });
});
