import request from 'supertest';
import { RegistryClient } from '../registry';
import {
  HostileRegistry,
  pushTestImage,
  RunningRegistry,
  serveImage,
  serveIndex,
  startHostileRegistry,
  startRegistry,
} from '@berth/plugin-images-backend-test-utils';
import { imagesTestBackends } from '../__testUtils__/testBackends';

// The Images tab's API for an entity with two images: one in a small misbehaving registry (malformed manifests,
// configs and tag names), one in a real CNCF registry. What is malformed gets a precise message where it is; the
// rest answers as usual.
describe('Images API with a misbehaving registry', () => {
  let hostile: HostileRegistry;
  let registry: RunningRegistry;
  const backends = imagesTestBackends(() => registry.url);
  const base = '/api/images/entities/component/default/shop';
  const digests: Record<string, string> = {};

  beforeAll(async () => {
    hostile = await startHostileRegistry();
    registry = await startRegistry();
    const repo = 'acme/mixed';
    const amd64 = serveImage(hostile, repo, { layers: ['mixed amd64'] });
    // staging: an index with a null entry.
    digests.staging = serveIndex(hostile, repo, [null, amd64], {
      tags: ['staging'],
    });
    // latest: a fine image whose config has an odd `created`.
    digests.latest = serveImage(hostile, repo, {
      tags: ['latest', 'main', 'v1.0.0'],
      layers: ['mixed latest'],
      config: { os: 'linux', architecture: 'amd64', created: { at: 'noon' } },
    }).digest;
    hostile.tags(repo, [
      'staging',
      'latest',
      'main',
      'v1.0.0',
      'not a tag!',
      `ecr-${'x'.repeat(296)}`,
      42,
    ]);
    digests.fine = await pushTestImage(
      new RegistryClient({ host: registry.host, baseUrl: registry.url }),
      'acme/fine',
      ['staging', 'latest', 'main'],
      { layer: 'fine' },
    );
  }, 60_000);
  afterEach(() => backends.stopAll());
  afterAll(async () => {
    await hostile?.stop();
    await registry?.stop();
  });

  const start = () =>
    backends.start({
      image: 'registry.example/acme/mixed, ghcr.io/acme/fine',
      registries: [
        { host: 'registry.example', endpoint: hostile.url, insecure: true },
      ],
    });

  it("shows a malformed image's lane with its own message, and the other image as usual", async () => {
    const server = await start();
    const overview = await request(server).get(`${base}/overview`);
    expect(overview.status).toBe(200);
    const [mixed, fine] = overview.body.images;
    expect(mixed.error).toBeUndefined();
    expect(mixed.environments).toEqual([
      expect.objectContaining({
        name: 'staging',
        status: 'GREEN',
        digest: digests.staging,
        message: `registry.example returned the manifest acme/mixed@${digests.staging} that Berth cannot read: entry 1 of its manifests is null`,
      }),
      expect.objectContaining({
        name: 'production',
        status: 'GREEN',
        digest: digests.latest,
        image: expect.objectContaining({ platforms: ['linux/amd64'] }),
      }),
    ]);
    // The odd `created` is left out, not shown as a date.
    expect(mixed.environments[1].image.created).toBeUndefined();
    expect(fine.error).toBeUndefined();
    expect(
      fine.environments.map((lane: { status: string; digest: string }) => [
        lane.status,
        lane.digest,
      ]),
    ).toEqual([
      ['GREEN', digests.fine],
      ['GREEN', digests.fine],
    ]);
  });

  it('lists the good tags and skips the invalid ones; the malformed digest says why on its row', async () => {
    const server = await start();
    await request(server).get(`${base}/overview`);
    let page: request.Response | undefined;
    for (let i = 0; i < 50; i++) {
      page = await request(server).get(
        `${base}/tags?image=${encodeURIComponent(
          'registry.example/acme/mixed',
        )}`,
      );
      if (page.body.index?.complete) break;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    expect(page!.status).toBe(200);
    expect(page!.body.index).toMatchObject({ totalTags: 4, complete: true });
    const rows = page!.body.rows as Array<{
      digest: string;
      tags: Array<{ name: string }>;
      error?: string;
    }>;
    expect(
      rows.map(row => [row.digest, row.tags.map(t => t.name).sort()]),
    ).toEqual(
      expect.arrayContaining([
        [digests.staging, ['staging']],
        [digests.latest, ['latest', 'main', 'v1.0.0']],
      ]),
    );
    expect(rows.find(row => row.digest === digests.staging)?.error).toContain(
      'entry 1 of its manifests is null',
    );
  });

  it('answers the details of a malformed digest with a 422 and its reason, never a 500', async () => {
    const server = await start();
    const details = await request(server).get(
      `${base}/details?image=${encodeURIComponent(
        'registry.example/acme/mixed',
      )}&digest=${encodeURIComponent(digests.staging)}`,
    );
    expect(details.status).toBe(422);
    expect(details.body.error.message).toBe(
      `registry.example returned the manifest acme/mixed@${digests.staging} that Berth cannot read: entry 1 of its manifests is null`,
    );
    expect(JSON.stringify(details.body)).not.toMatch(/stack|cause/);
  });
});
