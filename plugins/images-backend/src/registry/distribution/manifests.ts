import { InputError } from '@backstage/errors';
import { isValidDigest } from '@berth/plugin-images-common';
import { RegistryError, isNotFound } from '../errors';
import { snippet } from '../errorText';
import { parseManifest } from '../manifestShape';
import {
  Descriptor,
  ImageIndex,
  ImageManifest,
  MANIFEST_ACCEPT,
  isManifestMediaType,
} from '../mediaTypes';
import { deleteScope, pullScope, pushScope } from '../scopes';
import {
  checkReference,
  referenceName,
  repositoryPath,
  sha256Digest,
} from './references';
import { RegistryApi } from './RegistryApi';

/**
 * A manifest as stored: its exact bytes, media type and digest, and the parsed form.
 *
 * @public
 */
export interface FetchedManifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
  manifest: ImageManifest | ImageIndex;
}

/**
 * What a HEAD of a manifest tells: the digest, media type and size of what the reference points at.
 *
 * @public
 */
export interface ManifestHead {
  digest: string;
  mediaType: string;
  size: number;
}

/** Largest manifest (or referrers index) Berth reads. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** Digest, media type and size of what a tag or digest points at; undefined when there is nothing. */
export async function headManifest(
  api: RegistryApi,
  repository: string,
  reference: string,
): Promise<ManifestHead | undefined> {
  checkReference(api.transport.host, reference);
  const response = await api.request({
    method: 'HEAD',
    path: `/v2/${repositoryPath(repository)}/manifests/${reference}`,
    what: referenceName(repository, reference),
    repository,
    scopes: [pullScope(repository)],
    headers: { accept: MANIFEST_ACCEPT },
    acceptStatuses: [404],
  });
  if (response.status === 404) return undefined;
  const digest = response.headers.get('docker-content-digest');
  const mediaType = response.headers.get('content-type') ?? '';
  const size = Number(response.headers.get('content-length') ?? 0);
  // Berth addresses content by sha256 (what it computes itself); the index stores nothing longer.
  if (
    digest &&
    digest.startsWith('sha256:') &&
    isValidDigest(digest) &&
    isManifestMediaType(mediaType)
  ) {
    return { digest, mediaType, size };
  }
  // Some registries omit the digest on HEAD: fetch the bytes and hash them. Resolving needs no more than the
  // digest: a malformed manifest still resolves, and whoever reads it is told what is wrong with it.
  try {
    const fetched = await fetchManifest(api, repository, reference);
    const shape = parseManifest(fetched.bytes, fetched.contentType);
    return {
      digest: fetched.digest,
      mediaType: shape.ok ? shape.mediaType : snippet(fetched.contentType),
      size: fetched.bytes.length,
    };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Fetches a manifest's exact bytes and parses it; verifies the digest when fetched by digest. A manifest whose
 * shape Berth cannot trust is an `invalid-manifest` error that names it and says what is wrong.
 */
export async function getManifest(
  api: RegistryApi,
  repository: string,
  reference: string,
): Promise<FetchedManifest> {
  const host = api.transport.host;
  const { bytes, digest, contentType, what } = await fetchManifest(
    api,
    repository,
    reference,
  );
  const shape = parseManifest(bytes, contentType);
  if (shape.ok) {
    return {
      digest,
      mediaType: shape.mediaType,
      bytes,
      manifest: shape.manifest,
    };
  }
  // Content is addressed by its digest: what is wrong with it stays wrong.
  const options = { malformedDigest: digest };
  if (shape.unsupported) {
    throw new RegistryError(
      'invalid-manifest',
      host,
      `${host} returned ${what} of a kind Berth does not read (${
        snippet(contentType) || 'no content type'
      }); Berth reads OCI and Docker schema 2 images and indexes`,
      options,
    );
  }
  throw new RegistryError(
    'invalid-manifest',
    host,
    `${host} returned ${what} that ${shape.problem}`,
    options,
  );
}

async function fetchManifest(
  api: RegistryApi,
  repository: string,
  reference: string,
) {
  const host = api.transport.host;
  checkReference(host, reference);
  const what = `the manifest ${referenceName(repository, reference)}`;
  const response = await api.request({
    method: 'GET',
    path: `/v2/${repositoryPath(repository)}/manifests/${reference}`,
    what,
    repository,
    scopes: [pullScope(repository)],
    headers: { accept: MANIFEST_ACCEPT },
  });
  const bytes = await api.transport.readBody(
    response,
    MAX_MANIFEST_BYTES,
    what,
  );
  const digest = sha256Digest(bytes);
  if (reference.startsWith('sha256:') && digest !== reference) {
    throw new RegistryError(
      'invalid-response',
      host,
      `${host} returned ${what} with the wrong content (its digest is ${digest})`,
    );
  }
  return {
    bytes,
    digest,
    contentType: response.headers.get('content-type'),
    what,
  };
}

/**
 * What a manifest PUT did: the digest of the bytes written, and whether the registry answered with it.
 *
 * @public
 */
export interface ManifestWrite {
  /** The digest of the bytes written. */
  digest: string;
  /**
   * True when the answer's `Docker-Content-Digest` named this digest: the write is verified. False when the registry
   * left the header out: only a read (a HEAD) tells what the reference points at now.
   */
  confirmed: boolean;
}

/**
 * Stores a manifest's exact bytes under a tag or digest. A registry that answers with another digest rewrote the
 * manifest: an `invalid-response` error.
 */
export async function writeManifest(
  api: RegistryApi,
  repository: string,
  reference: string,
  bytes: Buffer,
  mediaType: string,
): Promise<ManifestWrite> {
  const host = api.transport.host;
  checkReference(host, reference);
  const what = referenceName(repository, reference);
  const response = await api.request({
    method: 'PUT',
    path: `/v2/${repositoryPath(repository)}/manifests/${reference}`,
    what,
    repository,
    scopes: [pushScope(repository)],
    body: bytes,
    headers: { 'content-type': mediaType },
    idempotent: true,
  });
  await response.body?.cancel();
  const expected = sha256Digest(bytes);
  const reported = response.headers.get('docker-content-digest');
  if (reported && reported !== expected) {
    throw new RegistryError(
      'invalid-response',
      host,
      `${host} stored ${what} under the digest ${reported} instead of ${expected}: it rewrote the manifest`,
    );
  }
  return { digest: expected, confirmed: Boolean(reported) };
}

/** Stores a manifest's exact bytes under a tag or digest; returns its digest. */
export async function putManifest(
  api: RegistryApi,
  repository: string,
  reference: string,
  bytes: Buffer,
  mediaType: string,
): Promise<string> {
  return (await writeManifest(api, repository, reference, bytes, mediaType))
    .digest;
}

/** Pushes an image manifest or index as JSON and returns its descriptor. */
export async function putJsonManifest(
  api: RegistryApi,
  repository: string,
  reference: string,
  manifest: ImageManifest | ImageIndex,
): Promise<Descriptor> {
  const bytes = Buffer.from(JSON.stringify(manifest));
  const digest = await putManifest(
    api,
    repository,
    reference,
    bytes,
    manifest.mediaType,
  );
  return { mediaType: manifest.mediaType, digest, size: bytes.length };
}

/** Deletes a manifest by digest, with every tag on it. */
export async function deleteManifest(
  api: RegistryApi,
  repository: string,
  digest: string,
): Promise<void> {
  if (!isValidDigest(digest)) {
    throw new InputError(`"${digest}" is not a digest`);
  }
  const response = await api.request({
    method: 'DELETE',
    path: `/v2/${repositoryPath(repository)}/manifests/${digest}`,
    what: `deleting the manifest ${repository}@${digest}`,
    repository,
    scopes: [deleteScope(repository)],
    idempotent: true,
  });
  await response.body?.cancel();
}
