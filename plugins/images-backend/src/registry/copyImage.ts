import pLimit from 'p-limit';
import { RegistryClient } from './RegistryClient';
import { RegistryError } from './errors';
import { Descriptor, ImageIndex, ImageManifest } from './mediaTypes';
import { pullScope, pushScope } from './scopes';
import { putTags, verifyTags } from './verifyTags';

/**
 * An image to copy, by digest, and where to put it.
 *
 * @public
 */
export interface CopyImageRequest {
  source: { client: RegistryClient; repository: string; digest: string };
  /**
   * With a tag (or several in `tags`), each ends up pointing at the source digest; without, the image is stored by
   * digest only.
   */
  target: {
    client: RegistryClient;
    repository: string;
    tag?: string;
    tags?: string[];
  };
}

/**
 * What a copy did. The digest at the target always equals the source digest.
 *
 * @public
 */
export interface CopyImageResult {
  digest: string;
  mediaType: string;
  /** How the bytes moved: only the manifest (same repository), mounted blobs, or streamed blobs. */
  mode: 'same-repository' | 'cross-repository' | 'cross-registry';
  /** False when the target tag already pointed at the digest, so nothing was written. */
  changed: boolean;
  manifestsWritten: number;
  blobsPresent: number;
  blobsMounted: number;
  blobsUploaded: number;
  bytesUploaded: number;
}

const BLOB_TRANSFER_ATTEMPTS = 3;

/**
 * Copies an image by digest to a tag: within a repository only the manifest bytes move; between repositories of
 * one registry blobs are mounted; between registries they are streamed, children before the index, with bounded
 * memory. The exact manifest bytes are written, so the target digest is the source digest.
 *
 * @public
 */
export async function copyImage(
  request: CopyImageRequest,
  options: { blobConcurrency?: number } = {},
): Promise<CopyImageResult> {
  const { source, target } = request;
  const sameRegistry = source.client.host === target.client.host;
  let mode: CopyImageResult['mode'] = 'cross-registry';
  if (sameRegistry) {
    mode =
      source.repository === target.repository
        ? 'same-repository'
        : 'cross-repository';
  }
  const push = pushScope(target.repository);
  const pull = pullScope(source.repository);
  // One token per side: push to the target and, for a mount, pull from the source in the same token.
  const from =
    mode === 'cross-registry'
      ? source.client.withScopes([pull])
      : source.client.withScopes([push, pull]);
  const to =
    mode === 'cross-registry' ? target.client.withScopes([push]) : from;

  const result: CopyImageResult = {
    digest: source.digest,
    mediaType: '',
    mode,
    changed: false,
    manifestsWritten: 0,
    blobsPresent: 0,
    blobsMounted: 0,
    blobsUploaded: 0,
    bytesUploaded: 0,
  };

  const tags = [
    ...new Set([...(target.tag ? [target.tag] : []), ...(target.tags ?? [])]),
  ];
  // Tags already on the digest need no write (a retried promotion, an environment already there).
  const heads = await Promise.all(
    tags.map(tag => to.headManifest(target.repository, tag)),
  );
  const toWrite = tags.filter((_tag, i) => heads[i]?.digest !== source.digest);
  if (tags.length > 0 && toWrite.length === 0) {
    result.mediaType = heads[0]!.mediaType;
    return result;
  }
  const top = await from.getManifest(source.repository, source.digest);
  result.mediaType = top.mediaType;
  result.changed = true;
  // Tags whose PUT answer did not confirm the digest, read back at the end.
  const unconfirmed: string[] = [];
  const writeTags = async (tagsToWrite: string[]) => {
    unconfirmed.push(
      ...(await putTags(to, target.repository, tagsToWrite, top)),
    );
    result.manifestsWritten += tagsToWrite.length;
  };
  const verify = () =>
    verifyTags(
      to,
      target.repository,
      unconfirmed.map(tag => ({ tag, digest: source.digest })),
    );

  if (mode === 'same-repository') {
    if (toWrite.length > 0) {
      await writeTags(toWrite);
    } else {
      // By digest: the registry checks the bytes against the digest itself.
      await to.writeManifest(
        target.repository,
        source.digest,
        top.bytes,
        top.mediaType,
      );
      result.manifestsWritten++;
    }
    await verify();
    return result;
  }

  const limit = pLimit(options.blobConcurrency ?? 4);
  const blobs = new Map<string, Promise<void>>();
  const manifests = new Map<string, Promise<void>>();

  const transferBlob = async (descriptor: Descriptor): Promise<void> => {
    if (await to.hasBlob(target.repository, descriptor.digest)) {
      result.blobsPresent++;
      return;
    }
    let uploadUrl: string | undefined;
    if (mode === 'cross-repository') {
      const mount = await to.mountBlob(
        target.repository,
        descriptor.digest,
        source.repository,
      );
      if (mount.mounted) {
        result.blobsMounted++;
        return;
      }
      uploadUrl = mount.uploadUrl;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const blob = await from.getBlobStream(
          source.repository,
          descriptor.digest,
        );
        await to.pushBlobStream(
          target.repository,
          {
            digest: descriptor.digest,
            size: blob.size >= 0 ? blob.size : descriptor.size,
          },
          blob.stream,
          uploadUrl,
        );
        result.blobsUploaded++;
        result.bytesUploaded += descriptor.size;
        return;
      } catch (error) {
        uploadUrl = undefined;
        const transient =
          error instanceof RegistryError &&
          ['unreachable', 'failed', 'rate-limited'].includes(error.kind);
        if (!transient || attempt >= BLOB_TRANSFER_ATTEMPTS) throw error;
      }
    }
  };

  const copyBlob = (descriptor: Descriptor): Promise<void> => {
    let pending = blobs.get(descriptor.digest);
    if (!pending) {
      pending = limit(() => transferBlob(descriptor));
      blobs.set(descriptor.digest, pending);
    }
    return pending;
  };

  const copyManifest = async (
    digest: string,
    fetched?: Awaited<ReturnType<RegistryClient['getManifest']>>,
    topTags: string[] = [],
  ): Promise<void> => {
    if (
      topTags.length === 0 &&
      (await to.headManifest(target.repository, digest))
    )
      return;
    const manifest =
      fetched ?? (await from.getManifest(source.repository, digest));
    if (
      'manifests' in manifest.manifest &&
      Array.isArray(manifest.manifest.manifests)
    ) {
      // Every child, attestations and foreign platforms included, or the index is incomplete at the target.
      await Promise.all(
        (manifest.manifest as ImageIndex).manifests.map(child => {
          let pending = manifests.get(child.digest);
          if (!pending) {
            pending = copyManifest(child.digest);
            manifests.set(child.digest, pending);
          }
          return pending;
        }),
      );
    } else {
      const image = manifest.manifest as ImageManifest;
      const layers = (image.layers ?? []).filter(layer => !layer.urls?.length);
      await Promise.all([image.config, ...layers].map(copyBlob));
    }
    if (topTags.length > 0) {
      // The top manifest (fetched is `top`): every tag at once, now that its children and blobs are there.
      await writeTags(topTags);
    } else {
      await to.writeManifest(
        target.repository,
        digest,
        manifest.bytes,
        manifest.mediaType,
      );
      result.manifestsWritten++;
    }
  };

  await copyManifest(source.digest, top, toWrite);
  await verify();
  return result;
}
