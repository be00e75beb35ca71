import { RegistryClient } from './RegistryClient';
import { RegistryError } from './errors';

/**
 * Writes a manifest's exact bytes under tags at once; returns the tags whose answer did not confirm the digest
 * (no `Docker-Content-Digest`), for {@link verifyTags}. An answer naming another digest is already an error.
 */
export async function putTags(
  client: RegistryClient,
  repository: string,
  tags: string[],
  manifest: { bytes: Buffer; mediaType: string },
): Promise<string[]> {
  const writes = await Promise.all(
    tags.map(tag =>
      client.writeManifest(repository, tag, manifest.bytes, manifest.mediaType),
    ),
  );
  return tags.filter((_tag, i) => !writes[i].confirmed);
}

/** A tag and the digest it must point at. */
export interface ExpectedTag {
  tag: string;
  digest: string;
}

/** Reads back, together, tags written without the registry confirming the digest: each must point at its digest. */
export async function verifyTags(
  client: RegistryClient,
  repository: string,
  expected: ExpectedTag[],
): Promise<void> {
  const found = await Promise.all(
    expected.map(({ tag }) => client.resolveDigest(repository, tag)),
  );
  expected.forEach(({ tag, digest }, i) => {
    if (found[i] !== digest) {
      throw new RegistryError(
        'invalid-response',
        client.host,
        `${client.host}/${repository}:${tag} points at ${
          found[i] ?? 'nothing'
        } after it was written, not ${digest}`,
      );
    }
  });
}
