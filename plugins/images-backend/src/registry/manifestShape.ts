import { isValidDigest } from '@berth/plugin-images-common';
import {
  ImageIndex,
  ImageManifest,
  MEDIA_TYPES,
  isIndexMediaType,
  isManifestMediaType,
} from './mediaTypes';

/**
 * The shape of a manifest as a registry sent it, checked before anything reads it: whatever a registry sends, Berth
 * either reads a manifest it can trust the shape of or says, in one sentence, what is wrong with it.
 */

/** More entries than any real index has (BuildKit's: a few per platform); each would cost a request. */
export const MAX_INDEX_ENTRIES = 1000;

/** A manifest Berth can read, or why it cannot. */
export type ManifestShape =
  | { ok: true; mediaType: string; manifest: ImageManifest | ImageIndex }
  | {
      ok: false;
      /** What is wrong, to follow "that" in a message ("is not JSON", "Berth cannot read: its layers are not a list"). */
      problem: string;
      /** The media type is not one Berth reads (as opposed to a malformed manifest). */
      unsupported?: boolean;
    };

/** A JSON object: not null, not a list. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `application/vnd.oci.image.manifest.v1+json` from the manifest itself, its Content-Type, or its fields. */
function mediaTypeOf(
  manifest: Record<string, unknown>,
  contentType: string | null,
): string | undefined {
  const declared = manifest.mediaType;
  if (typeof declared === 'string' && isManifestMediaType(declared))
    return declared;
  const header = contentType?.split(';')[0].trim();
  if (header && isManifestMediaType(header)) return header;
  // OCI makes mediaType optional: tell an index from an image by its fields.
  if (!declared && Array.isArray(manifest.manifests))
    return MEDIA_TYPES.ociIndex;
  if (!declared && manifest.config) return MEDIA_TYPES.ociManifest;
  return undefined;
}

/** What is wrong with a descriptor, or undefined. `digest: 'fetchable'` asks for a digest Berth can fetch by. */
export function descriptorProblem(
  value: unknown,
  label: string,
  digest: 'fetchable' | 'any' = 'any',
): string | undefined {
  if (!isObject(value)) {
    return `${label} is ${value === null ? 'null' : 'not a descriptor'}`;
  }
  const valid =
    typeof value.digest === 'string' &&
    (digest === 'fetchable'
      ? isValidDigest(value.digest)
      : /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{1,256}$/.test(
          value.digest,
        ));
  if (!valid) return `${label} has no valid digest`;
  if (!Number.isSafeInteger(value.size) || (value.size as number) < 0) {
    return `${label} has no valid size`;
  }
  if (value.mediaType !== undefined && typeof value.mediaType !== 'string') {
    return `${label} has an invalid media type`;
  }
  if (value.platform !== undefined && !isObject(value.platform)) {
    return `${label} has an invalid platform`;
  }
  if (
    value.urls !== undefined &&
    !(
      Array.isArray(value.urls) &&
      value.urls.every(url => typeof url === 'string')
    )
  ) {
    return `${label} has invalid urls`;
  }
  return undefined;
}

function indexProblem(manifest: Record<string, unknown>): string | undefined {
  const entries = manifest.manifests;
  if (!Array.isArray(entries)) return 'its manifests are not a list';
  if (entries.length > MAX_INDEX_ENTRIES) {
    return `it lists ${entries.length} manifests, more than the ${MAX_INDEX_ENTRIES} Berth reads`;
  }
  for (let i = 0; i < entries.length; i++) {
    const problem = descriptorProblem(
      entries[i],
      `entry ${i + 1} of its manifests`,
      'fetchable',
    );
    if (problem) return problem;
  }
  return undefined;
}

function imageProblem(manifest: Record<string, unknown>): string | undefined {
  const configProblem = descriptorProblem(
    manifest.config,
    'its config',
    'fetchable',
  );
  if (configProblem) return configProblem;
  const layers = manifest.layers;
  if (layers === undefined) return 'it has no layers';
  if (!Array.isArray(layers)) return 'its layers are not a list';
  for (let i = 0; i < layers.length; i++) {
    const problem = descriptorProblem(layers[i], `layer ${i + 1}`);
    if (problem) return problem;
  }
  const total = [manifest.config, ...layers].reduce(
    (sum: number, d) => sum + ((d as { size: number }).size ?? 0),
    0,
  );
  if (!Number.isSafeInteger(total)) return 'its sizes add up to no valid size';
  return undefined;
}

/** Parses and checks a manifest's bytes. */
export function parseManifest(
  bytes: Buffer,
  contentType: string | null,
): ManifestShape {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false, problem: 'is not JSON' };
  }
  if (!isObject(parsed)) {
    return { ok: false, problem: 'Berth cannot read: it is not a JSON object' };
  }
  const mediaType = mediaTypeOf(parsed, contentType);
  if (!mediaType) return { ok: false, problem: '', unsupported: true };
  const problem = isIndexMediaType(mediaType)
    ? indexProblem(parsed)
    : imageProblem(parsed);
  if (problem) return { ok: false, problem: `Berth cannot read: ${problem}` };
  return {
    ok: true,
    mediaType,
    manifest: parsed as unknown as ImageManifest | ImageIndex,
  };
}

/** The string entries of a map (annotations, labels) that a registry sent; anything else is left out. */
export function stringMap(
  value: unknown,
  limits: { maxEntries: number; maxKey: number; maxValue: number } = {
    maxEntries: 256,
    maxKey: 256,
    maxValue: 4096,
  },
): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isObject(value)) return result;
  let count = 0;
  for (const [key, entry] of Object.entries(value)) {
    if (count >= limits.maxEntries) break;
    if (
      typeof entry === 'string' &&
      key.length <= limits.maxKey &&
      entry.length <= limits.maxValue
    ) {
      result[key] = entry;
      count++;
    }
  }
  return result;
}
