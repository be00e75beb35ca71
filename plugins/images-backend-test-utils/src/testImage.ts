import { RegistryClient, sha256Digest } from '@berth/plugin-images-backend';
import { Descriptor, MEDIA_TYPES } from '@berth/plugin-images-backend';

/**
 * Options for {@link pushTestImage}.
 *
 * @public
 */
export interface TestImageOptions {
  /** Content of one layer; no layer when omitted. */
  layer?: string | Buffer;
  architecture?: string;
  os?: string;
  /** Fields merged into the config's `config` section (Labels, Cmd, User, Healthcheck...). */
  runConfig?: Record<string, unknown>;
  created?: string;
}

/**
 * Pushes a small single-platform OCI image (a config and, when `layer` is given, one layer) and tags it.
 * Returns the manifest digest the tags point at.
 *
 * @public
 */
export async function pushTestImage(
  client: RegistryClient,
  repository: string,
  tags: string[],
  options: TestImageOptions = {},
): Promise<string> {
  return (await pushTestImageManifest(client, repository, tags, options))
    .digest;
}

/**
 * Like {@link pushTestImage}, returning the manifest's descriptor (with its platform) for use in an index.
 *
 * @public
 */
export async function pushTestImageManifest(
  client: RegistryClient,
  repository: string,
  tags: string[],
  options: TestImageOptions = {},
): Promise<Descriptor> {
  const layers = [];
  if (options.layer !== undefined) {
    const layer = await client.pushBlob(repository, Buffer.from(options.layer));
    layers.push({
      mediaType: MEDIA_TYPES.ociLayerGzip,
      digest: layer.digest,
      size: layer.size,
    });
  }
  const architecture = options.architecture ?? 'amd64';
  const os = options.os ?? 'linux';
  const config = await client.pushBlob(
    repository,
    Buffer.from(
      JSON.stringify({
        architecture,
        os,
        created: options.created ?? '2026-11-01T00:00:00Z',
        config: options.runConfig ?? {},
        rootfs: { type: 'layers', diff_ids: [] },
      }),
    ),
  );
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: {
        mediaType: MEDIA_TYPES.ociConfig,
        digest: config.digest,
        size: config.size,
      },
      layers,
    }),
  );
  const digest = sha256Digest(bytes);
  const references = tags.length > 0 ? tags : [digest];
  for (const reference of references)
    await client.putManifest(
      repository,
      reference,
      bytes,
      MEDIA_TYPES.ociManifest,
    );
  return {
    mediaType: MEDIA_TYPES.ociManifest,
    digest,
    size: bytes.length,
    platform: { os, architecture },
  };
}

/**
 * Pushes a multi-platform OCI index of small images (one per platform, each with its own layer) and, like
 * BuildKit, an attestation manifest per platform when `attestations` is set. Returns the index digest.
 *
 * @public
 */
export async function pushTestIndex(
  client: RegistryClient,
  repository: string,
  tags: string[],
  options: {
    platforms?: string[];
    attestations?: boolean;
    layerPrefix?: string;
  } = {},
): Promise<string> {
  const manifests: Descriptor[] = [];
  for (const platform of options.platforms ?? ['linux/amd64', 'linux/arm64']) {
    const [os, architecture] = platform.split('/');
    const image = await pushTestImageManifest(client, repository, [], {
      os,
      architecture,
      layer: `${options.layerPrefix ?? repository} ${platform}`,
    });
    manifests.push(image);
    if (options.attestations) {
      const attestation = await pushTestImageManifest(client, repository, [], {
        os: 'unknown',
        architecture: 'unknown',
        layer: `in-toto statement for ${image.digest}`,
      });
      manifests.push({
        ...attestation,
        platform: { os: 'unknown', architecture: 'unknown' },
        annotations: {
          'vnd.docker.reference.type': 'attestation-manifest',
          'vnd.docker.reference.digest': image.digest,
        },
      });
    }
  }
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociIndex,
      manifests,
    }),
  );
  for (const tag of tags)
    await client.putManifest(repository, tag, bytes, MEDIA_TYPES.ociIndex);
  return sha256Digest(bytes);
}
