import {
  HostileRegistry,
  pushTestImage,
  RunningRegistry,
  serveImage,
  startHostileRegistry,
  startRegistry,
} from '@berth/plugin-images-backend-test-utils';
import { failure } from './__testUtils__/failure';
import { ImageManifest } from './mediaTypes';
import { RegistryClient } from './RegistryClient';

// Talks to a real CNCF Distribution registry (Debian's docker-registry 2.8) on a free loopback port.
describe('image configs, from a real registry', () => {
  let registry: RunningRegistry;
  let client: RegistryClient;

  beforeAll(async () => {
    registry = await startRegistry();
    client = new RegistryClient({ host: registry.host, baseUrl: registry.url });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('reads an image config: platform, labels, command, user, health check, layers and size', async () => {
    const digest = await pushTestImage(client, 'acme/config', ['v2'], {
      layer: 'app layer',
      architecture: 'arm64',
      runConfig: {
        Labels: { 'org.opencontainers.image.revision': 'abc123' },
        Cmd: ['/app', '--serve'],
        User: '10001',
        Healthcheck: { Test: ['CMD', '/app', 'health'] },
        ExposedPorts: { '8080/tcp': {} },
      },
    });
    const { manifest } = await client.getManifest('acme/config', digest);
    const config = await client.getImageConfig(
      'acme/config',
      manifest as ImageManifest,
    );
    expect(config).toEqual({
      created: '2026-11-01T00:00:00Z',
      os: 'linux',
      architecture: 'arm64',
      variant: undefined,
      labels: { 'org.opencontainers.image.revision': 'abc123' },
      cmd: ['/app', '--serve'],
      entrypoint: undefined,
      user: '10001',
      healthcheck: ['CMD', '/app', 'health'],
      exposedPorts: ['8080/tcp'],
      layerCount: 1,
      totalSize:
        (manifest as ImageManifest).config.size +
        Buffer.from('app layer').length,
    });
  });
});

// What the client makes of data a real registry would refuse to store, served by a small misbehaving registry.
describe('image configs, with malformed registry data', () => {
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
    expect((await summary({ config: { Labels: 'not a map' } })).labels).toEqual(
      {},
    );
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
