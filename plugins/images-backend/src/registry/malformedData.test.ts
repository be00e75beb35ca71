import {
  HostileRegistry,
  serveImage,
  serveIndex,
  startHostileRegistry,
} from '@berth/plugin-images-backend-test-utils';
import { RegistryClient } from './RegistryClient';
import { RegistryError } from './errors';
import { inspectPlatforms } from './inspectImage';
import { ImageManifest, MEDIA_TYPES } from './mediaTypes';

// What the client makes of data a real registry would refuse to store, served by a small misbehaving registry: each
// malformed manifest is an error that names it and says what is wrong; a config is read field by field.
describe('RegistryClient with malformed registry data', () => {
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

  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      e => e,
    );
    expect(error).toBeInstanceOf(RegistryError);
    return error as RegistryError;
  };
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

  describe('image configs', () => {
    const summary = async (config: unknown) => {
      const { digest } = serveImage(hostile, repo, { config });
      const { manifest } = await client.getManifest(repo, digest);
      return client.getImageConfig(repo, manifest as ImageManifest);
    };

    it.each([
      ['a number', 1_700_000_000],
      ['an object', { seconds: 1 }],
      ['an invalid date', '2026-13-45T99:00:00Z'],
      ['a day that does not exist', '2026-02-31T10:00:00Z'],
      ['an absurd year', '9999-12-31T23:59:59Z'],
      ["Go's zero time", '0001-01-01T00:00:00Z'],
      ['words', 'yesterday'],
      ['a very long string', `2026-11-01T00:00:00Z${' '.repeat(10_000)}`],
    ])('leaves out a created that is %s', async (_case, created) => {
      const read = await summary({
        architecture: 'arm64',
        os: 'linux',
        created,
        config: { Cmd: ['serve'] },
      });
      expect(read.created).toBeUndefined();
      expect(read).toMatchObject({
        os: 'linux',
        architecture: 'arm64',
        cmd: ['serve'],
      });
    });

    it('keeps a created that is an RFC 3339 date as written', async () => {
      expect(
        (await summary({ created: '2026-11-20T10:00:00.123456789+02:00' }))
          .created,
      ).toBe('2026-11-20T10:00:00.123456789+02:00');
    });

    it('reads labels, commands and ports only in the shape the spec gives them', async () => {
      const read = await summary({
        os: { name: 'linux' },
        architecture: 'amd64\nbad',
        config: {
          Labels: { good: 'yes', count: 3, nested: { a: 1 }, nil: null },
          Cmd: 'serve --port 80',
          Entrypoint: ['/bin/app', 7],
          User: 12,
          ExposedPorts: ['80/tcp'],
          Healthcheck: { Test: 'curl localhost' },
        },
      });
      expect(read).toEqual({
        labels: { good: 'yes' },
        exposedPorts: [],
        layerCount: 1,
        totalSize: expect.any(Number),
      });
      expect(
        (await summary({ config: { Labels: 'not a map' } })).labels,
      ).toEqual({});
    });

    it.each([
      ['not JSON', '{"created": ', 'not JSON'],
      ['a JSON list', [1, 2], 'not a JSON object'],
      ['a JSON string', '"config"', 'not a JSON object'],
    ])('names a config that is %s', async (_case, config, says) => {
      const { digest } = serveImage(hostile, repo, { config });
      const { manifest } = await client.getManifest(repo, digest);
      const configDigest = (manifest as ImageManifest).config.digest;
      const error = await failure(
        client.getImageConfig(repo, manifest as ImageManifest),
      );
      expect(error.malformedDigest).toBe(configDigest);
      expect(error.message).toBe(
        `the image config ${repo}@${configDigest} on registry.example is ${says}`,
      );
    });
  });

  it('leaves names that are no valid tag out of a listing, and counts them', async () => {
    hostile.tags(
      'acme/listed',
      [
        'v1',
        'bad tag!',
        'x'.repeat(300),
        null,
        42,
        '-dash',
        'v1',
        'v2',
        '\u001b[2J',
      ],
      { pageSize: 4 },
    );
    expect(await client.listTags('acme/listed')).toEqual({
      tags: ['v1', 'v2'],
      truncated: false,
      invalid: { count: 6, example: 'bad tag!' },
    });
  });

  it('stops a listing of nothing but invalid names at the limit, and says it stopped', async () => {
    hostile.tags(
      'acme/junk',
      [...Array.from({ length: 40 }, (_, i) => `bad name ${i}`), 'v1'],
      { pageSize: 5 },
    );
    hostile.requests.length = 0;
    expect(await client.listTags('acme/junk', { limit: 10 })).toEqual({
      tags: [],
      truncated: true,
      invalid: { count: 10, example: 'bad name 0' },
    });
    expect(hostile.requests).toHaveLength(2);
  });
});
