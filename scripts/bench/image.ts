/* Seeds the benchmark registry: a repository with many tags on one small image, and a large multi-platform image
 * whose layers are streamed from a deterministic keystream, never held in memory whole. */
import { createCipheriv, createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import {
  Descriptor,
  ImageIndex,
  ImageManifest,
  MEDIA_TYPES,
  RegistryClient,
  sha256Digest,
} from '@berth/plugin-images-backend';
import {
  pushTestImage,
  writeTagLinks,
} from '@berth/plugin-images-backend-test-utils';
import { tarHeader } from '@berth/demo-registry';
import { mapPool } from './lib';

const CREATED = new Date('2026-11-01T00:00:00Z');

/** Tag names for the many-tags repository: `build-00001` ... */
export function tagName(i: number): string {
  return `build-${String(i).padStart(5, '0')}`;
}

/** Pushes one small image and stores its exact manifest bytes under `count` tags, `concurrency` at a time. */
export async function seedTags(
  client: RegistryClient,
  storageDir: string,
  repository: string,
  count: number,
): Promise<{ digest: string; tags: string[] }> {
  const digest = await pushTestImage(client, repository, [], {
    layer: 'berth benchmark: one small layer',
  });
  const tags = Array.from({ length: count }, (_, i) => tagName(i + 1));
  // Thousands of tags in a second, written as the registry itself writes them, instead of thousands of PUTs.
  writeTagLinks(storageDir, repository, digest, tags);
  return { digest, tags };
}

const CHUNK = 1024 * 1024;

/** A tar archive holding one file of `size` incompressible bytes fixed by `seed` (AES-128-CTR keystream), in 1 MiB chunks. */
function* tarChunks(
  seed: string,
  path: string,
  size: number,
): Generator<Buffer> {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv(
    'aes-128-ctr',
    key.subarray(0, 16),
    key.subarray(16, 32),
  );
  const zeros = Buffer.alloc(CHUNK);
  yield tarHeader(path, size, CREATED.getTime());
  for (let left = size; left > 0; left -= CHUNK) {
    yield cipher.update(zeros.subarray(0, Math.min(CHUNK, left)));
  }
  yield Buffer.alloc(((512 - (size % 512)) % 512) + 1024); // padding and the end-of-archive blocks
}

/**
 * The layer blob as a stream: the tar, gzipped at level 0 (stored blocks: random bytes do not compress and this keeps
 * generation cheap). Deterministic, so it can be generated once to learn its digest and again to upload it.
 * `onTar` sees the uncompressed tar (for the config's diff_id).
 */
function layerStream(
  seed: string,
  path: string,
  size: number,
  onTar?: (chunk: Buffer) => void,
): Readable {
  const tar = Readable.from(tarChunks(seed, path, size), { objectMode: false });
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      onTar?.(chunk);
      callback(null, chunk);
    },
  });
  const gzip = createGzip({ level: 0, chunkSize: CHUNK });
  tar.pipe(tap).pipe(gzip);
  tar.on('error', error => gzip.destroy(error));
  return gzip;
}

async function describeLayer(
  seed: string,
  path: string,
  size: number,
): Promise<{ digest: string; size: number; diffId: string }> {
  const blobHash = createHash('sha256');
  const tarHash = createHash('sha256');
  let blobSize = 0;
  await pipeline(
    layerStream(seed, path, size, chunk => tarHash.update(chunk)),
    async source => {
      for await (const chunk of source) {
        blobHash.update(chunk);
        blobSize += chunk.length;
      }
    },
  );
  return {
    digest: `sha256:${blobHash.digest('hex')}`,
    size: blobSize,
    diffId: `sha256:${tarHash.digest('hex')}`,
  };
}

export interface BigImage {
  /** The index digest. */
  digest: string;
  /** Bytes of every blob (configs and layers) under the index. */
  totalBytes: number;
  layerCount: number;
  platforms: string[];
}

/**
 * Pushes a multi-platform OCI image of about `totalMB` MB: per platform a config and `layersPerPlatform` layers of
 * random bytes, streamed to the registry; then the index, tagged `tag`.
 */
export async function seedBigImage(
  client: RegistryClient,
  repository: string,
  tag: string,
  options: { totalMB: number; platforms: string[]; layersPerPlatform: number },
): Promise<BigImage> {
  const layerBytes = Math.round(
    (options.totalMB * 1_000_000) /
      (options.platforms.length * options.layersPerPlatform),
  );
  const children: Descriptor[] = [];
  let totalBytes = 0;
  for (const platform of options.platforms) {
    const [os, architecture] = platform.split('/');
    const specs = Array.from({ length: options.layersPerPlatform }, (_, i) => ({
      seed: `berth-bench ${platform} layer ${i}`,
      path: `opt/bench/${architecture}-layer-${i}.bin`,
    }));
    // Hash, then upload, two layers at a time: each pass regenerates the bytes rather than buffering them.
    const layers = await mapPool(specs, 2, async spec => {
      const described = await describeLayer(spec.seed, spec.path, layerBytes);
      await client.pushBlobStream(
        repository,
        { digest: described.digest, size: described.size },
        layerStream(spec.seed, spec.path, layerBytes),
      );
      return described;
    });
    const config = Buffer.from(
      JSON.stringify({
        created: CREATED.toISOString(),
        architecture,
        os,
        config: {
          Cmd: ['/bin/true'],
          Env: [
            'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
          ],
          Labels: { 'org.opencontainers.image.title': 'berth-bench' },
        },
        rootfs: { type: 'layers', diff_ids: layers.map(layer => layer.diffId) },
        history: specs.map(spec => ({
          created: CREATED.toISOString(),
          created_by: `COPY ${spec.path} /${spec.path} # buildkit`,
        })),
      }),
    );
    const pushedConfig = await client.pushBlob(repository, config);
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: {
        mediaType: MEDIA_TYPES.ociConfig,
        digest: pushedConfig.digest,
        size: pushedConfig.size,
      },
      layers: layers.map(layer => ({
        mediaType: MEDIA_TYPES.ociLayerGzip,
        digest: layer.digest,
        size: layer.size,
      })),
    };
    const descriptor = await client.putJsonManifest(
      repository,
      sha256Digest(Buffer.from(JSON.stringify(manifest))),
      manifest,
    );
    children.push({ ...descriptor, platform: { os, architecture } });
    totalBytes +=
      pushedConfig.size + layers.reduce((sum, layer) => sum + layer.size, 0);
  }
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociIndex,
    manifests: children,
  };
  const pushed = await client.putJsonManifest(repository, tag, index);
  return {
    digest: pushed.digest,
    totalBytes,
    layerCount: options.platforms.length * options.layersPerPlatform,
    platforms: options.platforms,
  };
}
