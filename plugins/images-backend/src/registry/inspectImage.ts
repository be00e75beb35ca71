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

/** `os/architecture[/variant]`. */
export function formatPlatform(platform?: {
  os?: string;
  architecture?: string;
  variant?: string;
}): string {
  return [platform?.os, platform?.architecture, platform?.variant]
    .filter(Boolean)
    .join('/');
}

/** The platform an index entry runs on; undefined for attestation entries (`unknown/unknown`). */
export function platformOf(descriptor: Descriptor): string | undefined {
  const platform = descriptor.platform;
  if (!platform || platform.os === 'unknown') return undefined;
  if (descriptor.annotations?.['vnd.docker.reference.type']) return undefined;
  return formatPlatform(platform);
}

function isImageConfig(manifest: ImageManifest): boolean {
  return /image\.config|container\.image/.test(
    manifest.config?.mediaType ?? '',
  );
}

/**
 * The platforms of an image or index: each platform's manifest (fetched in parallel, attestations left out) and
 * config. `configs: 'first'` reads only the first platform's config (enough for when and from what it was built);
 * `'all'` reads every one (the details drawer).
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
          ((top.manifest as ImageIndex).manifests ?? [])
            .filter(child => platformOf(child))
            .map(async child => ({
              platform: platformOf(child),
              manifest: await client.getManifest(repository, child.digest),
            })),
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
          (manifest.config?.size ?? 0) +
          (manifest.layers ?? []).reduce((sum, layer) => sum + layer.size, 0),
      };
    }),
  );
}
