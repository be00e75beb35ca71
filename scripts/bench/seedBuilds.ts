/*
 * A repository as CI fills it: one tag per build, each build its own image (its own config blob with its own
 * created date and revision label, so its own digest), on a few small layers every build shares; every
 * `multiArchEvery`-th build an OCI image index over two platform manifests. Pushed through the registry API with
 * bounded concurrency, each blob once; or, for a CNCF Distribution registry on this machine whose storage folder
 * is given, the configs and manifests written into its storage the way the registry writes them (as
 * `writeTagLinks` does for tags): 10,000 builds take seconds instead of minutes. For any part of the benchmark that
 * needs distinct digests (the Images tab over HTTP, indexing).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  Descriptor,
  ImageIndex,
  ImageManifest,
  MEDIA_TYPES,
  RegistryClient,
  sha256Digest,
} from '@berth/plugin-images-backend';
import { tarArchive } from '@berth/demo-registry';
import { mapPool, timed } from './lib';

export interface SeedBuildsOptions {
  /** Builds (tags, distinct digests). */
  builds: number;
  /** Every n-th build is a 2-platform image index (linux/amd64 and linux/arm64); 0 for none (default 10). */
  multiArchEvery?: number;
  /** Builds pushed at once (default 16). */
  concurrency?: number;
  /** Tag of build i (1-based; default `build-00001`...). */
  tagOf?: (build: number) => string;
  /** Created date of the first build; each next one is `intervalMinutes` later (default 2026-01-01, 30 min). */
  firstCreated?: Date;
  intervalMinutes?: number;
  /**
   * The storage folder of the Distribution registry at `registryBaseUrl` (filesystem driver): configs, manifests
   * and tags are written there instead of pushed (the shared layers are still pushed, which creates the repository).
   */
  storageDir?: string;
}

/** Writes a blob, and links it into the repository, as Distribution's filesystem storage has them. */
function storageWriter(storageDir: string, repository: string) {
  const v2 = join(storageDir, 'docker/registry/v2');
  const repo = join(v2, 'repositories', repository);
  const link = (dir: string, digest: string) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'link'), digest);
  };
  const blob = (bytes: Buffer): string => {
    const digest = sha256Digest(bytes);
    const hex = digest.slice('sha256:'.length);
    const dir = join(v2, 'blobs/sha256', hex.slice(0, 2), hex);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'data'), bytes);
    return digest;
  };
  return {
    config(bytes: Buffer): string {
      const digest = blob(bytes);
      link(join(repo, '_layers/sha256', digest.slice(7)), digest);
      return digest;
    },
    manifest(bytes: Buffer, tag?: string): string {
      const digest = blob(bytes);
      const hex = digest.slice(7);
      link(join(repo, '_manifests/revisions/sha256', hex), digest);
      if (tag) {
        link(join(repo, '_manifests/tags', tag, 'current'), digest);
        link(join(repo, '_manifests/tags', tag, 'index/sha256', hex), digest);
      }
      return digest;
    },
  };
}

export interface SeededBuild {
  build: number;
  tag: string;
  /** What the tag points at: the manifest, or the index of a multi-platform build. */
  digest: string;
  created: string;
  revision: string;
  multiArch: boolean;
}

export interface SeededBuilds {
  repository: string;
  builds: SeededBuild[];
  ms: number;
  /** Blobs and manifests pushed. */
  blobs: number;
  manifests: number;
}

export function ciBuildTag(build: number): string {
  return `build-${String(build).padStart(5, '0')}`;
}

const PLATFORMS = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64' },
];

/** The layers every build shares, per architecture: a base and the dependencies; small and fixed. */
function sharedLayers(architecture: string) {
  return ['base', 'dependencies'].map(name => {
    const tar = tarArchive(
      [
        {
          name: `opt/${name}-${architecture}.txt`,
          content: Buffer.from(
            `berth benchmark ${name} layer (${architecture})\n`,
          ),
        },
      ],
      Date.UTC(2026, 0, 1),
    );
    return { blob: gzipSync(tar), diffId: sha256Digest(tar) };
  });
}

/** Pushes `options.builds` CI builds into `repository` of the registry at `registryBaseUrl` (plain HTTP or HTTPS). */
export async function seedCiBuilds(
  registryBaseUrl: string,
  repository: string,
  options: SeedBuildsOptions,
): Promise<SeededBuilds> {
  const concurrency = options.concurrency ?? 16;
  const multiArchEvery = options.multiArchEvery ?? 10;
  const tagOf = options.tagOf ?? ciBuildTag;
  const first = (
    options.firstCreated ?? new Date('2026-01-01T00:00:00Z')
  ).getTime();
  const interval = (options.intervalMinutes ?? 30) * 60_000;
  const client = RegistryClient.forEndpoint({
    host: new URL(registryBaseUrl).host,
    baseUrl: registryBaseUrl,
    concurrency,
  });
  let blobs = 0;
  let manifests = 0;
  const storage = options.storageDir
    ? storageWriter(options.storageDir, repository)
    : undefined;
  const storeConfig = async (bytes: Buffer) => {
    blobs++;
    if (storage) return storage.config(bytes);
    const digest = sha256Digest(bytes);
    await client.pushBlobStream(
      repository,
      { digest, size: bytes.length },
      bytes,
    );
    return digest;
  };
  const storeManifest = async (
    bytes: Buffer,
    mediaType: string,
    tag?: string,
  ) => {
    manifests++;
    if (storage) return storage.manifest(bytes, tag);
    const digest = sha256Digest(bytes);
    await client.putManifest(repository, tag ?? digest, bytes, mediaType);
    return digest;
  };

  const run = await timed(async () => {
    // The shared layers, each once (pushBlob skips a blob the repository has).
    const layers = new Map<
      string,
      { layers: Descriptor[]; diffIds: string[] }
    >();
    for (const { architecture } of PLATFORMS) {
      const built = sharedLayers(architecture);
      const pushed = await Promise.all(
        built.map(layer => client.pushBlob(repository, layer.blob)),
      );
      blobs += pushed.filter(p => p.uploaded).length;
      layers.set(architecture, {
        layers: pushed.map(p => ({
          mediaType: MEDIA_TYPES.ociLayerGzip,
          digest: p.digest,
          size: p.size,
        })),
        diffIds: built.map(layer => layer.diffId),
      });
    }

    // One platform image of a build: its own config (new to the registry, so no HEAD first), then the manifest.
    const pushImage = async (
      platform: { os: string; architecture: string },
      build: { created: string; revision: string; tag: string },
      reference: string | undefined,
    ): Promise<Descriptor> => {
      const shared = layers.get(platform.architecture)!;
      const config = Buffer.from(
        JSON.stringify({
          created: build.created,
          architecture: platform.architecture,
          os: platform.os,
          config: {
            Cmd: ['/app/server'],
            Env: ['PATH=/usr/local/bin:/usr/bin:/bin'],
            Labels: {
              'org.opencontainers.image.source': `https://git.example.com/${repository}`,
              'org.opencontainers.image.revision': build.revision,
              'org.opencontainers.image.version': build.tag,
            },
          },
          rootfs: { type: 'layers', diff_ids: shared.diffIds },
        }),
      );
      const configDigest = await storeConfig(config);
      const manifest: ImageManifest = {
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociManifest,
        config: {
          mediaType: MEDIA_TYPES.ociConfig,
          digest: configDigest,
          size: config.length,
        },
        layers: shared.layers,
      };
      const bytes = Buffer.from(JSON.stringify(manifest));
      const digest = await storeManifest(
        bytes,
        MEDIA_TYPES.ociManifest,
        reference,
      );
      return {
        mediaType: MEDIA_TYPES.ociManifest,
        digest,
        size: bytes.length,
        platform,
      };
    };

    const numbers = Array.from({ length: options.builds }, (_, i) => i + 1);
    return mapPool(numbers, concurrency, async (n): Promise<SeededBuild> => {
      const build = {
        tag: tagOf(n),
        created: new Date(first + (n - 1) * interval).toISOString(),
        revision: createHash('sha1').update(`${repository} ${n}`).digest('hex'),
      };
      const multiArch = multiArchEvery > 0 && n % multiArchEvery === 0;
      if (!multiArch) {
        const image = await pushImage(PLATFORMS[0], build, build.tag);
        return { build: n, ...build, digest: image.digest, multiArch };
      }
      const children = await Promise.all(
        PLATFORMS.map(platform => pushImage(platform, build, undefined)),
      );
      const index: ImageIndex = {
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociIndex,
        manifests: children,
      };
      const bytes = Buffer.from(JSON.stringify(index));
      const digest = await storeManifest(
        bytes,
        MEDIA_TYPES.ociIndex,
        build.tag,
      );
      return { build: n, ...build, digest, multiArch };
    });
  });
  return { repository, builds: run.value, ms: run.ms, blobs, manifests };
}
