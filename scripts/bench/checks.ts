/*
 * What the benchmark checks after a run, straight against the registry and outside the time and the request count:
 * tags point at the expected digest, and an image copied or promoted into a repository is complete there.
 */
import { RegistryClient } from '@berth/plugin-images-backend';

/** Fails the benchmark with `message` unless `condition` holds. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`bench check failed: ${message}`);
}

export function checkEqual(
  actual: unknown,
  expected: unknown,
  what: string,
): void {
  check(
    actual === expected,
    `${what}: got ${String(actual)}, expected ${String(expected)}`,
  );
}

/** Every tag of `tags` in the repository points at `digest` (after `who` wrote them). */
export async function checkTags(
  client: RegistryClient,
  repository: string,
  tags: string[],
  digest: string,
  who: string,
): Promise<void> {
  for (const tag of tags) {
    const found = await client.resolveDigest(repository, tag);
    check(
      found === digest,
      `after ${who}, ${repository}:${tag} is ${
        found ?? 'missing'
      }, expected ${digest}`,
    );
  }
}

/** Config and layers of every image under an index (an image manifest's own when `digest` is not an index). */
export async function imageBlobs(
  client: RegistryClient,
  repository: string,
  digest: string,
): Promise<Array<{ digest: string; size: number }>> {
  const top = await client.getManifest(repository, digest);
  const children = (top.manifest as { manifests?: { digest: string }[] })
    .manifests ?? [{ digest }];
  const blobs: Array<{ digest: string; size: number }> = [];
  for (const child of children) {
    const manifest =
      child.digest === digest
        ? top
        : await client.getManifest(repository, child.digest);
    const image = manifest.manifest as {
      config: { digest: string; size: number };
      layers: { digest: string; size: number }[];
    };
    blobs.push(image.config, ...image.layers);
  }
  return blobs;
}

/** The tags point at the index, and every manifest and blob under it is in the repository. */
export async function checkImageComplete(
  client: RegistryClient,
  repository: string,
  tags: string[],
  digest: string,
  who: string,
): Promise<void> {
  await checkTags(client, repository, tags, digest, who);
  for (const blob of await imageBlobs(client, repository, digest)) {
    check(
      await client.hasBlob(repository, blob.digest),
      `after ${who}, ${repository} lacks the blob ${blob.digest}`,
    );
  }
}

/** Digest → size of every blob (configs and layers) under the images. */
export async function blobSizes(
  client: RegistryClient,
  repository: string,
  digests: string[],
): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const digest of digests)
    for (const blob of await imageBlobs(client, repository, digest))
      sizes.set(blob.digest, blob.size);
  return sizes;
}
