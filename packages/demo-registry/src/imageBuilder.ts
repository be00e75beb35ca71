import { createCipheriv, createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  Descriptor,
  ImageIndex,
  ImageManifest,
  MEDIA_TYPES,
  RegistryClient,
  sha256Digest,
} from '@berth/plugin-images-backend';

/** Deterministic, incompressible bytes: the same seed always gives the same content, so digests are stable. */
export function pseudoRandomBytes(seed: string, length: number): Buffer {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv(
    'aes-128-ctr',
    key.subarray(0, 16),
    key.subarray(16, 32),
  );
  return Buffer.concat([cipher.update(Buffer.alloc(length)), cipher.final()]);
}

/** A ustar header for one regular file, as `docker build` writes layers. */
export function tarHeader(name: string, size: number, mtime: number): Buffer {
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) =>
    header.write(value, offset, length, 'ascii');
  const octal = (value: number, length: number) =>
    `${value.toString(8).padStart(length - 1, '0')}\0`;
  field(0, 100, name);
  field(100, 8, '0000644\0');
  field(108, 8, octal(0, 8));
  field(116, 8, octal(0, 8));
  field(124, 12, octal(size, 12));
  field(136, 12, octal(Math.floor(mtime / 1000), 12));
  field(148, 8, '        ');
  field(156, 1, '0');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  field(265, 32, 'root');
  field(297, 32, 'root');
  let checksum = 0;
  for (const byte of header) checksum += byte;
  field(148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
  return header;
}

/** A tar archive with one file per entry, as `docker build` would produce for a layer. */
export function tarArchive(
  files: { name: string; content: Buffer }[],
  mtime: number,
): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    parts.push(tarHeader(file.name, file.content.length, mtime), file.content);
    const padding = (512 - (file.content.length % 512)) % 512;
    parts.push(Buffer.alloc(padding));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** A layer to build: a file of `size` bytes whose content is fixed by `seed`. */
export interface LayerSpec {
  path: string;
  size: number;
  seed: string;
}

/** Everything about one image (one platform) that shows up in its manifest and config. */
export interface ImageSpec {
  created: Date;
  os: string;
  architecture: string;
  variant?: string;
  layers: LayerSpec[];
  labels: Record<string, string>;
  cmd: string[];
  user?: string;
  healthcheck?: string[];
  exposedPorts?: string[];
}

/** A manifest pushed by digest: its descriptor, and the exact bytes to store under tags. */
export interface PushedManifest {
  descriptor: Descriptor;
  bytes: Buffer;
}

/** Builds a layer, config and manifest for one platform and pushes them by digest. */
export async function pushImage(
  client: RegistryClient,
  repository: string,
  spec: ImageSpec,
): Promise<PushedManifest> {
  const layers: Descriptor[] = [];
  const diffIds: string[] = [];
  for (const layer of spec.layers) {
    const tar = tarArchive(
      [
        {
          name: layer.path,
          content: pseudoRandomBytes(layer.seed, layer.size),
        },
      ],
      spec.created.getTime(),
    );
    // Random content does not compress; level 1 keeps seeding fast.
    const gz = gzipSync(tar, { level: 1 });
    const pushed = await client.pushBlob(repository, gz);
    layers.push({
      mediaType: MEDIA_TYPES.ociLayerGzip,
      digest: pushed.digest,
      size: pushed.size,
    });
    diffIds.push(sha256Digest(tar));
  }
  const config = {
    created: spec.created.toISOString(),
    architecture: spec.architecture,
    os: spec.os,
    ...(spec.variant && { variant: spec.variant }),
    config: {
      Cmd: spec.cmd,
      ...(spec.user && { User: spec.user }),
      Env: [
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      ],
      Labels: spec.labels,
      ...(spec.exposedPorts && {
        ExposedPorts: Object.fromEntries(spec.exposedPorts.map(p => [p, {}])),
      }),
      ...(spec.healthcheck && {
        Healthcheck: { Test: spec.healthcheck, Interval: 30_000_000_000 },
      }),
    },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: spec.layers.map(layer => ({
      created: spec.created.toISOString(),
      created_by: `COPY ${layer.path} # buildkit`,
    })),
  };
  const configBytes = Buffer.from(JSON.stringify(config));
  const pushedConfig = await client.pushBlob(repository, configBytes);
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: {
      mediaType: MEDIA_TYPES.ociConfig,
      digest: pushedConfig.digest,
      size: pushedConfig.size,
    },
    layers,
    annotations: spec.labels,
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const digest = sha256Digest(bytes);
  await client.putManifest(repository, digest, bytes, manifest.mediaType);
  return {
    descriptor: {
      mediaType: manifest.mediaType,
      digest,
      size: bytes.length,
      platform: {
        os: spec.os,
        architecture: spec.architecture,
        ...(spec.variant && { variant: spec.variant }),
      },
    },
    bytes,
  };
}

/** Pushes an OCI image index over per-platform manifests already pushed; children go first. */
export async function pushIndex(
  client: RegistryClient,
  repository: string,
  manifests: Descriptor[],
  annotations: Record<string, string>,
): Promise<PushedManifest> {
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociIndex,
    manifests,
    annotations,
  };
  const bytes = Buffer.from(JSON.stringify(index));
  const digest = sha256Digest(bytes);
  await client.putManifest(repository, digest, bytes, index.mediaType);
  return {
    descriptor: { mediaType: index.mediaType, digest, size: bytes.length },
    bytes,
  };
}

/**
 * Pushes a cosign-style signature for an image: an OCI manifest tagged `sha256-<hex>.sig` whose layer is the
 * "simple signing" payload naming the signed digest, as `cosign sign` writes it to registries without the
 * referrers API.
 */
export async function pushCosignSignature(
  client: RegistryClient,
  repository: string,
  imageName: string,
  signed: Descriptor,
): Promise<string> {
  const payload = Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': imageName },
        image: { 'docker-manifest-digest': signed.digest },
        type: 'cosign container image signature',
      },
      optional: null,
    }),
  );
  const pushedPayload = await client.pushBlob(repository, payload);
  const config = Buffer.from(
    JSON.stringify({
      architecture: '',
      os: '',
      config: {},
      rootfs: { type: 'layers', diff_ids: [sha256Digest(payload)] },
    }),
  );
  const pushedConfig = await client.pushBlob(repository, config);
  const signature = pseudoRandomBytes(
    `signature:${signed.digest}`,
    64,
  ).toString('base64');
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: {
      mediaType: MEDIA_TYPES.ociConfig,
      digest: pushedConfig.digest,
      size: pushedConfig.size,
    },
    layers: [
      {
        mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
        digest: pushedPayload.digest,
        size: pushedPayload.size,
        annotations: { 'dev.cosignproject.cosign/signature': signature },
      },
    ],
  };
  const tag = `${signed.digest.replace(':', '-')}.sig`;
  await client.putJsonManifest(repository, tag, manifest);
  return tag;
}
