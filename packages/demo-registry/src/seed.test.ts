import { RegistryClient } from '@berth/plugin-images-backend';
import {
  RunningRegistry,
  startRegistry,
} from '@berth/plugin-images-backend-test-utils';
import { commitOf } from './demoImages';
import { seedDemoImages, SeedResult } from './seed';

// Seeds a real CNCF Distribution registry and reads the result back through the Distribution API.
describe('seedDemoImages', () => {
  let registry: RunningRegistry;
  let client: RegistryClient;
  let seeded: SeedResult;
  const now = new Date('2026-11-22T10:00:00Z');

  beforeAll(async () => {
    registry = await startRegistry();
    client = new RegistryClient({ host: registry.host, baseUrl: registry.url });
    seeded = await seedDemoImages(client, { now });
  }, 120_000);
  afterAll(() => registry?.stop());

  const tagsOf = async (repository: string) =>
    (await client.listTags(repository)).tags.sort();

  it('writes the four teams conventions', async () => {
    const keepkey = await tagsOf('keepkey/support-email');
    expect(keepkey).toEqual(expect.arrayContaining(['latest', 'latest-dev']));
    expect(keepkey.filter(tag => /^[0-9a-f]{7}-dev$/.test(tag))).toHaveLength(
      6,
    );

    for (const service of ['web', 'api', 'worker']) {
      const tags = await tagsOf(`the-shop/${service}`);
      expect(tags.length).toBeGreaterThanOrEqual(3);
      expect(tags.every(tag => /^[0-9a-f]{40}$/.test(tag))).toBe(true);
    }

    const gateway = await tagsOf('jordigilh/gateway-service');
    expect(gateway).toEqual(
      expect.arrayContaining([
        'v1.2.3',
        'v1.2',
        'v1',
        'latest',
        'dev',
        'pr-456',
        'staging-v1.2.3',
        'prod-v1.2.3',
      ]),
    );
    expect(gateway.some(tag => /^main-[0-9a-f]{7}$/.test(tag))).toBe(true);

    const dotca = await tagsOf('bxtech/dotca');
    expect(dotca).toEqual(
      expect.arrayContaining(['staging', 'main', 'latest', 'v1.2.3']),
    );
    expect(dotca.some(tag => /^staging-[0-9a-f]{7}$/.test(tag))).toBe(true);
    expect(dotca.some(tag => /^main-staging-[0-9a-f]{7}$/.test(tag))).toBe(
      true,
    );
    expect(
      dotca.some(tag => /^rollback-\d{8}-\d{6}-[a-z0-9-]+$/.test(tag)),
    ).toBe(true);
  });

  it('moves environment tags to different builds, so environments differ', async () => {
    const staging = await client.resolveDigest('bxtech/dotca', 'staging');
    const production = await client.resolveDigest('bxtech/dotca', 'latest');
    expect(staging).toBeDefined();
    expect(production).not.toBe(staging);
    expect(await client.resolveDigest('bxtech/dotca', 'main')).toBe(production);
    expect(
      await client.resolveDigest('keepkey/support-email', 'latest'),
    ).not.toBe(
      await client.resolveDigest('keepkey/support-email', 'latest-dev'),
    );
  });

  it('pushes a multi-arch index with amd64 and arm64 images carrying OCI labels', async () => {
    const index = await client.getManifest(
      'jordigilh/gateway-service',
      'v1.2.3',
    );
    const manifests = (
      index.manifest as {
        manifests: { platform: { architecture: string }; digest: string }[];
      }
    ).manifests;
    expect(manifests.map(m => m.platform.architecture)).toEqual([
      'amd64',
      'arm64',
    ]);
    const amd64 = await client.getManifest(
      'jordigilh/gateway-service',
      manifests[0].digest,
    );
    const configDigest = (amd64.manifest as { config: { digest: string } })
      .config.digest;
    const config = JSON.parse(
      (
        await client.getBlob('jordigilh/gateway-service', configDigest)
      ).toString(),
    );
    expect(config.config.Labels).toMatchObject({
      'org.opencontainers.image.source':
        'https://github.com/jordigilh/gateway-service',
      'org.opencontainers.image.revision': commitOf(
        'jordigilh/gateway-service',
        'v1.2.3',
      ),
      'org.opencontainers.image.version': '1.2.3',
    });
    expect(config.config.User).toBe('65532:65532');
  });

  it('signs a release with a cosign-style sha256-<hex>.sig tag', async () => {
    const digest = await client.resolveDigest(
      'jordigilh/gateway-service',
      'v1.2.3',
    );
    const signatureTag = `${digest!.replace(':', '-')}.sig`;
    expect(await tagsOf('jordigilh/gateway-service')).toContain(signatureTag);
  });

  it('dates builds over weeks before the seeding day', async () => {
    const oldest = await client.getManifest(
      'keepkey/support-email',
      Object.keys(seeded['keepkey/support-email'])[0],
    );
    const created = new Date(
      (oldest.manifest.annotations ?? {})['org.opencontainers.image.created'],
    );
    const ageDays = (now.getTime() - created.getTime()) / 86_400_000;
    expect(ageDays).toBeGreaterThan(14);
  });

  it('is idempotent: seeding again on the same day gives every tag the same digest', async () => {
    expect(await seedDemoImages(client, { now })).toEqual(seeded);
  }, 120_000);
});
