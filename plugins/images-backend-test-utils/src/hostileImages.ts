import { Descriptor, MEDIA_TYPES } from '@berth/plugin-images-backend';
import { HostileRegistry } from './hostileRegistry';

/**
 * What {@link serveImage} serves: a config (any JSON, or raw bytes) and manifest fields to add or override (any
 * value, `undefined` to leave a field out).
 *
 * @public
 */
export interface HostileImage {
  config?: unknown;
  /** Layer contents; one small layer when omitted. */
  layers?: string[];
  manifest?: Record<string, unknown>;
  tags?: string[];
}

/**
 * Serves an OCI image (config, layers, manifest) from a hostile registry, shaped as the test says; returns the
 * manifest's descriptor, with a platform, to put in an index.
 *
 * @public
 */
export function serveImage(
  registry: HostileRegistry,
  repository: string,
  image: HostileImage = {},
): Descriptor {
  const configBody = image.config ?? {
    architecture: 'amd64',
    os: 'linux',
    created: '2026-11-01T00:00:00Z',
    config: { Labels: { 'org.opencontainers.image.revision': 'abc123' } },
    rootfs: { type: 'layers', diff_ids: [] },
  };
  const configBytes = Buffer.isBuffer(configBody)
    ? configBody
    : Buffer.from(
        typeof configBody === 'string'
          ? configBody
          : JSON.stringify(configBody),
      );
  const layers = (image.layers ?? [`${repository} layer`]).map(content => ({
    mediaType: MEDIA_TYPES.ociLayerGzip,
    digest: registry.blob(repository, content),
    size: Buffer.byteLength(content),
  }));
  const manifest: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: {
      mediaType: MEDIA_TYPES.ociConfig,
      digest: registry.blob(repository, configBytes),
      size: configBytes.length,
    },
    layers,
    ...image.manifest,
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const digest = registry.manifest(repository, bytes, {
    tags: image.tags,
    contentType: MEDIA_TYPES.ociManifest,
  });
  return {
    mediaType: MEDIA_TYPES.ociManifest,
    digest,
    size: bytes.length,
    platform: { os: 'linux', architecture: 'amd64' },
  };
}

/**
 * Serves an OCI index of these entries (any values) under its digest and tags; returns its digest.
 *
 * @public
 */
export function serveIndex(
  registry: HostileRegistry,
  repository: string,
  manifests: unknown,
  options: { tags?: string[]; digest?: string } = {},
): string {
  return registry.manifest(
    repository,
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociIndex,
        manifests,
      }),
    ),
    { ...options, contentType: MEDIA_TYPES.ociIndex },
  );
}
