import { RegistryClient, sha256Digest } from '../registry/RegistryClient';
import { MEDIA_TYPES } from '../registry/mediaTypes';

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
  options: { layer?: string } = {},
): Promise<string> {
  const layers = [];
  if (options.layer !== undefined) {
    const layer = await client.pushBlob(repository, Buffer.from(options.layer));
    layers.push({
      mediaType: MEDIA_TYPES.ociLayerGzip,
      digest: layer.digest,
      size: layer.size,
    });
  }
  const config = await client.pushBlob(
    repository,
    Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        created: '2026-11-01T00:00:00Z',
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
  for (const tag of tags)
    await client.putManifest(repository, tag, bytes, MEDIA_TYPES.ociManifest);
  return sha256Digest(bytes);
}
