import { RegistryError } from './errors';
import { platformWord } from './imageConfig';
import {
  FetchedManifest,
  ImageConfigSummary,
  RegistryClient,
} from './RegistryClient';
import {
  Descriptor,
  ImageIndex,
  ImageManifest,
  isIndexMediaType,
} from './mediaTypes';

/**
 * One platform of an image: its manifest, its config when read, and its compressed size.
 *
 * @public
 */
export interface InspectedPlatform {
  /** `linux/arm64/v8`; empty for an artefact that is no runnable image (a signature). */
  platform: string;
  manifest: FetchedManifest;
  config?: ImageConfigSummary;
  /** Config and layers, compressed, as pulled. */
  size: number;
}

/** `os/architecture[/variant]`, from the words that look like platform words (a registry's data is not trusted). */
export function formatPlatform(platform?: {
  os?: string;
  architecture?: string;
  variant?: string;
}): string {
  return [platform?.os, platform?.architecture, platform?.variant]
    .map(platformWord)
    .filter((word): word is string => word !== undefined)
    .join('/');
}

/** The platform an index entry runs on; undefined for attestation entries (`unknown/unknown`). */
export function platformOf(descriptor: Descriptor): string | undefined {
  const platform = descriptor.platform;
  if (!platform || platform.os === 'unknown') return undefined;
  const annotations = descriptor.annotations as unknown;
  if (
    typeof annotations === 'object' &&
    annotations !== null &&
    (annotations as Record<string, unknown>)['vnd.docker.reference.type']
  ) {
    return undefined;
  }
  return formatPlatform(platform) || undefined;
}

function isImageConfig(manifest: ImageManifest): boolean {
  return /image\.config|container\.image/.test(
    manifest.config?.mediaType ?? '',
  );
}

/**
 * The platforms of an image or index: each platform's manifest (fetched in parallel, attestations left out) and
 * config. `configs: 'first'` reads only the first platform's config (enough for when and from what it was built);
 * `'all'` reads every one (the details drawer). Manifests come checked from the client; an index that lists another
 * index as a platform's image is an `invalid-manifest` error (Berth reads one level, as container runtimes do).
 *
 * @public
 */
export async function inspectPlatforms(
  client: RegistryClient,
  repository: string,
  top: FetchedManifest,
  options: { configs: 'first' | 'all' },
): Promise<InspectedPlatform[]> {
  const entries: Array<{ platform?: string; manifest: FetchedManifest }> =
    isIndexMediaType(top.mediaType)
      ? await Promise.all(
          (top.manifest as ImageIndex).manifests
            .filter(child => platformOf(child))
            .map(async child => {
              const manifest = await client.getManifest(
                repository,
                child.digest,
              );
              if (isIndexMediaType(manifest.mediaType)) {
                throw new RegistryError(
                  'invalid-manifest',
                  client.host,
                  `${client.host} returned the index ${repository}@${
                    top.digest
                  }, which lists another index (${
                    child.digest
                  }) as the image for ${platformOf(
                    child,
                  )}; Berth reads images one index deep`,
                  { malformedDigest: top.digest },
                );
              }
              return { platform: platformOf(child), manifest };
            }),
        )
      : [{ manifest: top }];
  return Promise.all(
    entries.map(async ({ platform, manifest: fetched }, i) => {
      const manifest = fetched.manifest as ImageManifest;
      const wanted = options.configs === 'all' || i === 0;
      const config =
        wanted && isImageConfig(manifest)
          ? await client.getImageConfig(repository, manifest)
          : undefined;
      return {
        platform: platform ?? formatPlatform(config),
        manifest: fetched,
        config,
        size:
          manifest.config.size +
          manifest.layers.reduce((sum, layer) => sum + layer.size, 0),
      };
    }),
  );
}
