import { createHash } from 'node:crypto';
import { InputError } from '@backstage/errors';
import { isValidDigest, isValidTag } from '@berth/plugin-images-common';

/** How the API names content: repository paths, tags and digests, and how a reference reads in messages. */

/**
 * sha256 digest of some bytes, as registries write it.
 *
 * @public
 */
export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** A repository name as a path: each segment encoded, the slashes kept. */
export function repositoryPath(repository: string): string {
  return repository.split('/').map(encodeURIComponent).join('/');
}

/** The reference, when it is a tag or a digest; an `InputError` before any request otherwise. */
export function checkReference(host: string, reference: string): string {
  if (!isValidTag(reference) && !isValidDigest(reference)) {
    throw new InputError(
      `"${reference}" is neither a valid tag nor a digest (asked of ${host})`,
    );
  }
  return reference;
}

/** `acme/app:v1`, `acme/app@sha256:...`. */
export function referenceName(repository: string, reference: string): string {
  return `${repository}${reference.includes(':') ? '@' : ':'}${reference}`;
}
