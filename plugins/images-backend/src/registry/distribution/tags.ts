import { randomUUID } from 'node:crypto';
import { InputError } from '@backstage/errors';
import { isValidTag } from '@berth/plugin-images-common';
import { MAX_JSON_BYTES } from '../bodies';
import { RegistryError } from '../errors';
import { snippet } from '../errorText';
import { parseNextLink } from '../httpHeaders';
import { MEDIA_TYPES } from '../mediaTypes';
import { deleteScope, pullScope } from '../scopes';
import { pushBlob } from './blobs';
import { deleteManifest, headManifest, putJsonManifest } from './manifests';
import { repositoryPath } from './references';
import { RegistryApi } from './RegistryApi';

/**
 * Tags of a repository. `truncated` is true when the listing stopped at the caller's limit. Names that are no valid
 * tag (the OCI grammar, at most 128 characters) are left out, and counted in `invalid`.
 *
 * @public
 */
export interface TagList {
  tags: string[];
  truncated: boolean;
  /** Names the registry listed that are no valid tag: how many, and the first (shortened and sanitized). */
  invalid?: { count: number; example: string };
}

/** A pagination link, resolved against the page it came from; the transport refuses any other origin. */
function resolveLink(
  api: RegistryApi,
  link: string,
  current: string,
  what: string,
): string {
  try {
    const base = new URL(current, `${api.transport.endpoint.baseUrl}/`);
    return new URL(link, base).href;
  } catch {
    const host = api.transport.host;
    throw new RegistryError(
      'invalid-response',
      host,
      `${host} sent an unreadable pagination link for ${what}`,
    );
  }
}

/**
 * Lists tags, following `Link` pagination; stops at `limit` and says so. Order is the registry's. Names that are no
 * valid tag (an over-long ECR tag, garbage) are left out and counted, so that one cannot spoil the listing.
 */
export async function listTags(
  api: RegistryApi,
  repository: string,
  options: {
    pageSize?: number;
    limit?: number;
    /** Called with each page as it arrives (a first page can be shown while the rest is listed). */
    onPage?: (page: string[]) => Promise<void> | void;
  } = {},
): Promise<TagList> {
  const host = api.transport.host;
  const tags: string[] = [];
  const limit = options.limit ?? Infinity;
  const maxPage = api.transport.endpoint.flavor.maxTagPageSize;
  const pageSize =
    options.pageSize && maxPage
      ? Math.min(options.pageSize, maxPage)
      : options.pageSize ?? maxPage;
  const what = `the tags of ${repository}`;
  let next: string | undefined = `/v2/${repositoryPath(repository)}/tags/list${
    pageSize ? `?n=${pageSize}` : ''
  }`;
  const seen = new Set<string>();
  const listed = new Set<string>();
  let skipped = 0;
  let invalid: TagList['invalid'];
  const result = (truncated: boolean): TagList => ({
    tags: tags.slice(0, limit),
    truncated,
    ...(invalid && { invalid }),
  });
  while (next) {
    if (seen.has(next)) {
      throw new RegistryError(
        'invalid-response',
        host,
        `${host} paginated ${what} in a loop`,
      );
    }
    seen.add(next);
    const response = await api.request({
      method: 'GET',
      path: next,
      what,
      repository,
      scopes: [pullScope(repository)],
    });
    const link = parseNextLink(response.headers.get('link'));
    const body = (await api.transport.readJson(
      response,
      MAX_JSON_BYTES,
      what,
    )) as { tags?: unknown } | null;
    if (
      typeof body !== 'object' ||
      body === null ||
      (body.tags !== null &&
        body.tags !== undefined &&
        !Array.isArray(body.tags))
    ) {
      throw new RegistryError(
        'invalid-response',
        host,
        `${host} returned ${what} in an unknown shape`,
      );
    }
    const names = (body.tags as unknown[] | null | undefined) ?? [];
    const page: string[] = [];
    for (const name of names) {
      if (typeof name === 'string' && isValidTag(name)) {
        if (listed.has(name)) skipped++;
        else page.push(name);
        listed.add(name);
      } else {
        skipped++;
        invalid ??= { count: 0, example: snippet(String(name), 80) };
        invalid.count++;
      }
    }
    tags.push(...page);
    await options.onPage?.(page);
    if (tags.length >= limit) {
      return result(tags.length > limit || link !== undefined);
    }
    // Pages of nothing but invalid or repeated names must not go on forever.
    if (skipped >= limit) {
      return result(link !== undefined);
    }
    // Relative links resolve against the request; the transport refuses any other origin.
    next = link && resolveLink(api, link, next, what);
    if (names.length === 0) break;
  }
  return result(false);
}

/**
 * Removes a tag and leaves the image it pointed at. Registries that cannot delete a tag directly get a unique
 * placeholder manifest under the tag, which is then deleted by digest (regclient's approach).
 */
export async function deleteTag(
  api: RegistryApi,
  repository: string,
  tag: string,
): Promise<void> {
  if (!isValidTag(tag)) {
    throw new InputError(`"${tag}" is not a valid tag`);
  }
  const host = api.transport.host;
  const flavor = api.transport.endpoint.flavor;
  const what = `deleting the tag ${repository}:${tag}`;
  if (flavor.knownUnsupported.includes('tag-delete')) {
    throw new RegistryError(
      'unsupported',
      host,
      `${host} (${flavor.label}) does not allow ${what} through the registry API; delete it in ${flavor.label} itself`,
    );
  }
  if (api.capabilities.tagDelete !== 'via-manifest') {
    const response = await api.request({
      method: 'DELETE',
      path: `/v2/${repositoryPath(repository)}/manifests/${tag}`,
      what,
      repository,
      scopes: [deleteScope(repository)],
      acceptStatuses: [400, 405],
      idempotent: true,
    });
    if (response.ok) {
      await response.body?.cancel();
      api.capabilities.tagDelete = 'direct';
      return;
    }
    await response.body?.cancel();
  }
  if (!(await headManifest(api, repository, tag))) {
    throw new RegistryError(
      'not-found',
      host,
      `${host} has no tag ${repository}:${tag}`,
    );
  }
  api.capabilities.tagDelete = 'via-manifest';
  const config = await pushBlob(api, repository, Buffer.from('{}'));
  const placeholder = await putJsonManifest(api, repository, tag, {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    artifactType: 'application/vnd.berth.deleted-tag',
    config: {
      mediaType: 'application/vnd.oci.empty.v1+json',
      digest: config.digest,
      size: config.size,
    },
    layers: [],
    annotations: { 'dev.berth.deleted-tag': `${tag} ${randomUUID()}` },
  });
  await deleteManifest(api, repository, placeholder.digest);
}
