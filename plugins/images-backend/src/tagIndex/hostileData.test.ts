import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { MEDIA_TYPES } from '../registry/mediaTypes';
import { RegistryHosts } from '../registry/RegistryHosts';
import {
  HostileRegistry,
  TEST_DATABASE_KINDS,
  createTestDatabases,
  serveImage,
  serveIndex,
  startHostileRegistry,
} from '@berth/plugin-images-backend-test-utils';
import { TagIndex, TagIndexOptions } from './TagIndex';
import { TagIndexStore } from './TagIndexStore';

// The tag index fed malformed and hostile data by a small misbehaving registry, on both databases Backstage runs on:
// each bad digest gets its own precise error, the others are described as usual, and bad tags never stop the index.
describe('TagIndex with a misbehaving registry', () => {
  let hostile: HostileRegistry;
  const databases = createTestDatabases();
  const image = { registry: 'registry.example', repository: 'acme/mixed' };
  const digests: Record<string, string> = {};

  const platform = (architecture: string) => ({ os: 'linux', architecture });
  const at = (tag: string) =>
    `registry.example returned the manifest acme/mixed@${digests[tag]}`;

  beforeAll(async () => {
    hostile = await startHostileRegistry();
    const repo = image.repository;
    const serve = (
      tag: string,
      shape: Parameters<typeof serveImage>[2] = {},
    ) => {
      digests[tag] = serveImage(hostile, repo, {
        ...shape,
        tags: [tag],
        layers: shape.layers ?? [tag],
      }).digest;
    };
    serve('v1', {
      config: {
        os: 'linux',
        architecture: 'amd64',
        created: '2026-11-20T10:00:00Z',
        config: { Labels: { 'org.opencontainers.image.revision': 'abc1234' } },
      },
    });
    const amd64 = serveImage(hostile, repo, { layers: ['v2 amd64'] });
    const arm64 = serveImage(hostile, repo, {
      layers: ['v2 arm64', 'more'],
      config: { os: 'linux', architecture: 'arm64' },
    });
    digests.v2 = serveIndex(
      hostile,
      repo,
      [
        { ...amd64, platform: platform('amd64') },
        { ...arm64, platform: platform('arm64') },
      ],
      { tags: ['v2'] },
    );
    digests['index-null'] = serveIndex(hostile, repo, [null, amd64], {
      tags: ['index-null'],
    });
    digests['index-nodigest'] = serveIndex(
      hostile,
      repo,
      [{ mediaType: MEDIA_TYPES.ociManifest, size: 3 }],
      {
        tags: ['index-nodigest'],
      },
    );
    serve('no-layers', { manifest: { layers: undefined } });
    serve('layers-object', { manifest: { layers: { first: 1 } } });
    serve('size-negative', {
      manifest: {
        layers: [
          { mediaType: 'x', digest: `sha256:${'1'.repeat(64)}`, size: -1 },
        ],
      },
    });
    serve('config-not-json', { config: 'not json at all' });
    serve('created-number', {
      config: { os: 'linux', architecture: 'amd64', created: 1_700_000_000 },
    });
    serve('labels-bad', {
      config: {
        os: 'linux',
        architecture: 'amd64',
        created: { at: 'noon' },
        config: { Labels: { ok: 'yes', n: 7 } },
      },
    });
    digests['not-json'] = hostile.manifest(repo, 'Service Unavailable', {
      tags: ['not-json'],
    });
    digests.huge = hostile.manifest(repo, Buffer.alloc(5 * 1024 * 1024, 32), {
      tags: ['huge'],
    });
    const self = `sha256:${'5'.repeat(64)}`;
    // An index whose entry leads back to the index: the registry answers that digest with the index itself.
    const selfEntries = [
      {
        mediaType: MEDIA_TYPES.ociIndex,
        digest: self,
        size: 10,
        platform: platform('amd64'),
      },
    ];
    digests.self = serveIndex(hostile, repo, selfEntries, { tags: ['self'] });
    serveIndex(hostile, repo, selfEntries, { digest: self });
    const inner = serveIndex(hostile, repo, [amd64]);
    digests.nested = serveIndex(
      hostile,
      repo,
      [
        {
          mediaType: MEDIA_TYPES.ociIndex,
          digest: inner,
          size: 10,
          platform: platform('arm64'),
        },
      ],
      { tags: ['nested'] },
    );
    hostile.tags(repo, [
      ...Object.keys(digests),
      'bad tag!',
      `ecr-${'x'.repeat(296)}`,
      null,
      '.hidden',
    ]);
  });
  afterAll(async () => {
    await hostile?.stop();
    await databases.stop();
  }, 30_000);

  const indexOn = (db: Knex, options: TagIndexOptions = {}) => {
    const logger = mockServices.logger.mock();
    const index = new TagIndex({
      store: new TagIndexStore(db),
      registries: new RegistryHosts([
        {
          host: 'registry.example',
          baseUrl: hostile.url,
          maxAttempts: 1,
          retryBaseDelayMs: 1,
        },
      ]),
      logger,
      options,
    });
    return { index, logger };
  };
  const manifestRequests = () =>
    hostile.requests.filter(r => r.path.includes('/manifests/sha256:'));

  describe.each(TEST_DATABASE_KINDS)('on %s', name => {
    it('indexes the valid tags, logs the others once, and describes each digest or says what is wrong with it', async () => {
      const { index, logger } = indexOn(await databases.open(name));
      const listed = await index.ensureListed(image);
      expect(listed.tagCount).toBe(Object.keys(digests).length);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn).toHaveBeenCalledWith(
        'registry.example/acme/mixed: 4 name(s) in the tag listing are no valid tag (such as "bad tag!") and were left out of the index',
      );

      const resolved = await index.resolveTags(image, Object.keys(digests));
      for (const [tag, digest] of Object.entries(digests))
        expect(resolved.get(tag)).toBe(digest);

      const described = await index.describe(image, Object.values(digests));
      const of = (tag: string) => described.get(digests[tag])!;
      // The good ones, as usual.
      expect(of('v1')).toEqual({
        digest: digests.v1,
        mediaType: MEDIA_TYPES.ociManifest,
        created: '2026-11-20T10:00:00Z',
        size: expect.any(Number),
        platforms: ['linux/amd64'],
        labels: { 'org.opencontainers.image.revision': 'abc1234' },
      });
      expect(of('v2')).toMatchObject({
        mediaType: MEDIA_TYPES.ociIndex,
        platforms: ['linux/amd64', 'linux/arm64'],
      });
      expect(of('v2').error).toBeUndefined();
      // Odd config fields are left out; the image is still described.
      expect(of('created-number')).toMatchObject({
        platforms: ['linux/amd64'],
      });
      expect(of('created-number').created).toBeUndefined();
      expect(of('created-number').error).toBeUndefined();
      expect(of('labels-bad')).toMatchObject({ labels: { ok: 'yes' } });
      expect(of('labels-bad').created).toBeUndefined();
      // Each malformed digest: what is wrong, naming it.
      const errors = Object.fromEntries(
        Object.keys(digests)
          .filter(tag => of(tag).error)
          .map(tag => [tag, of(tag).error]),
      );
      const configDigest = (
        await index
          .clientFor(image)
          .getManifest(image.repository, digests['config-not-json'])
      ).manifest as { config: { digest: string } };
      const innerDigest = (
        (
          await index
            .clientFor(image)
            .getManifest(image.repository, digests.nested)
        ).manifest as {
          manifests: Array<{ digest: string }>;
        }
      ).manifests[0].digest;
      expect(errors).toEqual({
        'index-null': {
          kind: 'invalid-manifest',
          message: `${at(
            'index-null',
          )} that Berth cannot read: entry 1 of its manifests is null`,
        },
        'index-nodigest': {
          kind: 'invalid-manifest',
          message: `${at(
            'index-nodigest',
          )} that Berth cannot read: entry 1 of its manifests has no valid digest`,
        },
        'no-layers': {
          kind: 'invalid-manifest',
          message: `${at(
            'no-layers',
          )} that Berth cannot read: it has no layers`,
        },
        'layers-object': {
          kind: 'invalid-manifest',
          message: `${at(
            'layers-object',
          )} that Berth cannot read: its layers are not a list`,
        },
        'size-negative': {
          kind: 'invalid-manifest',
          message: `${at(
            'size-negative',
          )} that Berth cannot read: layer 1 has no valid size`,
        },
        'config-not-json': {
          kind: 'invalid-manifest',
          message: `the image config acme/mixed@${configDigest.config.digest} on registry.example is not JSON`,
        },
        'not-json': {
          kind: 'invalid-manifest',
          message: `${at('not-json')} that is not JSON`,
        },
        huge: {
          kind: 'invalid-response',
          message: `registry.example sent the manifest acme/mixed@${digests.huge} larger than Berth accepts (4 MiB)`,
        },
        self: {
          kind: 'invalid-response',
          message: `registry.example returned the manifest acme/mixed@sha256:${'5'.repeat(
            64,
          )} with the wrong content (its digest is ${digests.self})`,
        },
        nested: {
          kind: 'invalid-manifest',
          message: `registry.example returned the index acme/mixed@${digests.nested}, which lists another index (${innerDigest}) as the image for linux/arm64; Berth reads images one index deep`,
        },
      });

      // Malformed content is remembered (content addressed); a registry's failure to send a digest is not stored.
      const stored = await index.store.getAllManifests(image);
      expect(stored.get(digests['no-layers'])?.error).toEqual(
        errors['no-layers'],
      );
      expect(stored.has(digests.huge)).toBe(false);
      expect(stored.has(digests.self)).toBe(false);
      expect(stored.get(digests.v1)?.error).toBeUndefined();
      hostile.requests.length = 0;
      const again = await index.describe(image, Object.values(digests));
      expect(again.get(digests['no-layers'])?.error).toEqual(
        errors['no-layers'],
      );
      expect(again.get(digests.huge)?.error).toEqual(errors.huge);
      // Nothing asked again: stored, or a failure still fresh.
      expect(manifestRequests()).toEqual([]);

      // The background completion goes through, and the snapshot carries each error for the tags table.
      await index.complete(image);
      const snapshot = await index.snapshot(image);
      expect(snapshot.tags.every(t => t.digest)).toBe(true);
      expect(snapshot.manifests.get(digests['index-null'])?.error?.kind).toBe(
        'invalid-manifest',
      );
      expect(snapshot.manifests.get(digests.v2)?.platforms).toEqual([
        'linux/amd64',
        'linux/arm64',
      ]);
      // A digest the registry failed to send keeps the index incomplete, to be tried again later.
      expect(snapshot.complete).toBe(false);
    });

    it('fails a batch only for what concerns the whole registry', async () => {
      const { index } = indexOn(await databases.open(name));
      const refused = `sha256:${'7'.repeat(64)}`;
      hostile.answer(`/manifests/${refused}`, { status: 401 });
      await expect(
        index.describe(image, [digests.v1, refused]),
      ).rejects.toMatchObject({
        kind: 'unauthorized',
        message:
          'registry.example refused the credentials for acme/mixed: check the user name and password configured for it',
      });
    });
  });

  describe.each(TEST_DATABASE_KINDS)('a 100,000-tag listing on %s', name => {
    it('indexes every valid tag, a page at a time, and truncates at images.index.maxTags', async () => {
      const repository = 'acme/many';
      const names: unknown[] = [];
      for (let i = 0; i < 100_000; i++) {
        names.push(`build-${String(i).padStart(6, '0')}`);
        if (i % 10_000 === 0) names.push(`ecr-${'y'.repeat(297)}`, { tag: i });
      }
      hostile.tags(repository, names, { pageSize: 1000 });
      const db = await databases.open(name);
      const many = { registry: 'registry.example', repository };

      const { index: full, logger } = indexOn(db, { maxTags: 100_000 });
      expect(await full.ensureListed(many)).toMatchObject({
        tagCount: 100_000,
        truncated: false,
      });
      expect(await full.store.getTags(many)).toHaveLength(100_000);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn).toHaveBeenCalledWith(
        `registry.example/acme/many: 20 name(s) in the tag listing are no valid tag (such as "ecr-${'y'.repeat(
          75,
        )}…") and were left out of the index`,
      );

      const { index: bounded } = indexOn(db, { maxTags: 60_000 });
      expect(await bounded.ensureListed(many, 0)).toMatchObject({
        tagCount: 60_000,
        truncated: true,
      });
      const tags = await bounded.store.getTags(many);
      expect(tags).toHaveLength(60_000);
      expect(tags.some(t => t.tag === 'build-059999')).toBe(true);
      expect(tags.some(t => t.tag === 'build-060000')).toBe(false);
    }, 180_000);
  });
});
