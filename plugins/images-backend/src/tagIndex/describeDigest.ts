import { RegistryClient } from '../registry/RegistryClient';
import { RegistryError } from '../registry/errors';
import { inspectPlatforms } from '../registry/inspectImage';
import { stringMap } from '../registry/manifestShape';
import { ImageManifest, isIndexMediaType } from '../registry/mediaTypes';
import { IndexedManifest } from './TagIndexStore';

/**
 * Failures that concern the registry as a whole rather than one digest: describing fails for the whole batch, as a
 * page shows the image as one the registry could not be asked about.
 */
const REGISTRY_WIDE = new Set([
  'unreachable',
  'rate-limited',
  'unauthorized',
  'forbidden',
]);

/**
 * True for a failure that is not about one digest or tag, so that a batch stops on it: the registry as a whole failed,
 * or something that is no registry error at all (the database, a bug).
 */
export function failsTheBatch(error: unknown): boolean {
  return !(error instanceof RegistryError) || REGISTRY_WIDE.has(error.kind);
}

/** What the index records about a digest: its media type, when it was built, its size, platforms and labels. */
export async function describeDigest(
  client: RegistryClient,
  repository: string,
  digest: string,
): Promise<IndexedManifest> {
  const top = await client.getManifest(repository, digest);
  // One config is enough to say when and from what the image was built; sizes come from the manifests.
  const platforms = await inspectPlatforms(client, repository, top, {
    configs: 'first',
  });
  const config = platforms[0]?.config;
  const annotations = isIndexMediaType(top.mediaType)
    ? undefined
    : (top.manifest as ImageManifest).annotations;
  return {
    digest,
    mediaType: top.mediaType,
    created: config?.created,
    size: platforms.length
      ? Math.max(...platforms.map(p => p.size))
      : undefined,
    platforms: platforms.map(p => p.platform).filter(Boolean),
    labels: config?.labels ?? stringMap(annotations),
  };
}

/**
 * A digest that could not be described, as the index reports it: `permanent` when its content (or content it
 * refers to by digest) is malformed, which stays so and may be stored. Undefined for a failure that is not about
 * this digest (the registry is unreachable, refuses Berth, or a bug): the caller lets that one through.
 */
export function failedDescription(
  digest: string,
  error: unknown,
): { manifest: IndexedManifest; permanent: boolean } | undefined {
  if (failsTheBatch(error)) return undefined;
  const { kind, message, malformedDigest } = error as RegistryError;
  return {
    manifest: {
      digest,
      mediaType: '',
      platforms: [],
      labels: {},
      error: { kind, message },
    },
    permanent: malformedDigest !== undefined,
  };
}
