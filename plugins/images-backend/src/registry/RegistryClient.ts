import { createHash, randomUUID } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { InputError } from '@backstage/errors';
import { isValidDigest, isValidTag } from '@berth/plugin-images-common';
import { RegistryError, isNotFound } from './errors';
import { snippet } from './errorText';
import { RegistryFlavor } from './flavors';
import { parseNextLink } from './httpHeaders';
import { ImageConfigSummary, summarizeConfig } from './imageConfig';
import { descriptorProblem, parseManifest } from './manifestShape';
import {
  Descriptor,
  ImageIndex,
  ImageManifest,
  MANIFEST_ACCEPT,
  MEDIA_TYPES,
  isIndexMediaType,
  isManifestMediaType,
} from './mediaTypes';
import { covers } from './scopes';
import {
  RegistryEndpoint,
  RegistryLogger,
  RegistryRequest,
  RegistryTransport,
} from './RegistryTransport';

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

export type { ImageConfigSummary };

/**
 * A signature, attestation or SBOM attached to an image.
 *
 * @public
 */
export interface ImageAttachment {
  kind: 'signature' | 'attestation' | 'sbom' | 'other';
  /** How Berth found it: the referrers API, its fallback tag, a cosign tag, or an entry of the image index. */
  source: 'referrers-api' | 'referrers-tag' | 'cosign-tag' | 'index';
  digest: string;
  mediaType: string;
  artifactType?: string;
  tag?: string;
}

/**
 * What a registry was found to support. Undefined means Berth has not needed to find out yet.
 *
 * @public
 */
export interface RegistryCapabilities {
  referrersApi?: boolean;
  blobMount?: boolean;
  tagDelete?: 'direct' | 'via-manifest' | false;
}

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_JSON_BYTES = 16 * 1024 * 1024;
const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

/** sha256 digest of some bytes, as registries write it. */
export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function repositoryPath(repository: string): string {
  return repository.split('/').map(encodeURIComponent).join('/');
}

function checkReference(host: string, reference: string): string {
  if (!isValidTag(reference) && !isValidDigest(reference)) {
    throw new InputError(
      `"${reference}" is neither a valid tag nor a digest (asked of ${host})`,
    );
  }
  return reference;
}

function describe(repository: string, reference: string): string {
  return `${repository}${reference.includes(':') ? '@' : ':'}${reference}`;
}

/**
 * A client for one registry that speaks the OCI Distribution API. Clients made with {@link RegistryClient.withScopes}
 * share the registry's connection limit, tokens and learned capabilities.
 *
 * @public
 */
export class RegistryClient {
  readonly #transport: RegistryTransport;
  readonly #scopes: string[];
  readonly #capabilities: RegistryCapabilities;
  readonly #background: boolean;

  static forEndpoint(
    endpoint: RegistryEndpoint,
    logger?: RegistryLogger,
  ): RegistryClient {
    return new RegistryClient(new RegistryTransport(endpoint, logger));
  }

  constructor(
    transport: RegistryTransport | RegistryEndpoint,
    scopes: string[] = [],
    capabilities: RegistryCapabilities = {},
    background = false,
  ) {
    this.#background = background;
    this.#transport =
      transport instanceof RegistryTransport
        ? transport
        : new RegistryTransport(transport);
    this.#scopes = scopes;
    this.#capabilities = capabilities;
    if (
      this.#transport.endpoint.flavor.knownUnsupported.includes('referrers')
    ) {
      capabilities.referrersApi ??= false;
    }
  }

  get host(): string {
    return this.#transport.host;
  }

  get flavor(): RegistryFlavor {
    return this.#transport.endpoint.flavor;
  }

  /** What this registry was found to support so far. */
  get capabilities(): Readonly<RegistryCapabilities> {
    return { ...this.#capabilities };
  }

  /**
   * A client whose requests all use one token for these scopes, so that a copy between repositories needs a
   * single token exchange (`repository:<dst>:pull,push`, `repository:<src>:pull`).
   */
  withScopes(scopes: string[]): RegistryClient {
    return new RegistryClient(
      this.#transport,
      [...this.#scopes, ...scopes],
      this.#capabilities,
      this.#background,
    );
  }

  /**
   * A client for work nobody waits for (indexing): its requests take a free connection only when no request someone
   * waits for is queued.
   */
  inBackground(): RegistryClient {
    return new RegistryClient(
      this.#transport,
      this.#scopes,
      this.#capabilities,
      true,
    );
  }

  /** Checks that the registry answers the Distribution API (`GET /v2/`). */
  async ping(): Promise<void> {
    const response = await this.#request({
      method: 'GET',
      path: '/v2/',
      what: 'the registry API',
      scopes: [],
    });
    await response.body?.cancel();
  }

  /**
   * Lists tags, following `Link` pagination; stops at `limit` and says so. Order is the registry's. Names that are no
   * valid tag (an over-long ECR tag, garbage) are left out and counted, so that one cannot spoil the listing.
   */
  async listTags(
    repository: string,
    options: {
      pageSize?: number;
      limit?: number;
      /** Called with each page as it arrives (a first page can be shown while the rest is listed). */
      onPage?: (page: string[]) => Promise<void> | void;
    } = {},
  ): Promise<TagList> {
    const tags: string[] = [];
    const limit = options.limit ?? Infinity;
    const maxPage = this.flavor.maxTagPageSize;
    const pageSize =
      options.pageSize && maxPage
        ? Math.min(options.pageSize, maxPage)
        : options.pageSize ?? maxPage;
    const what = `the tags of ${repository}`;
    let next: string | undefined = `/v2/${repositoryPath(
      repository,
    )}/tags/list${pageSize ? `?n=${pageSize}` : ''}`;
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
          this.host,
          `${this.host} paginated ${what} in a loop`,
        );
      }
      seen.add(next);
      const response = await this.#request({
        method: 'GET',
        path: next,
        what,
        repository,
        scopes: [this.#pull(repository)],
      });
      const link = parseNextLink(response.headers.get('link'));
      const body = (await this.#transport.readJson(
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
          this.host,
          `${this.host} returned ${what} in an unknown shape`,
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
      next = link && this.#resolveLink(link, next, what);
      if (names.length === 0) break;
    }
    return result(false);
  }

  /** Digest, media type and size of what a tag or digest points at; undefined when there is nothing. */
  async headManifest(
    repository: string,
    reference: string,
  ): Promise<ManifestHead | undefined> {
    checkReference(this.host, reference);
    const response = await this.#request({
      method: 'HEAD',
      path: `/v2/${repositoryPath(repository)}/manifests/${reference}`,
      what: describe(repository, reference),
      repository,
      scopes: [this.#pull(repository)],
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
      const fetched = await this.#fetchManifest(repository, reference);
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

  /** Resolves a tag (or digest) to the digest of the manifest stored under it; undefined when there is none. */
  async resolveDigest(
    repository: string,
    reference: string,
  ): Promise<string | undefined> {
    return (await this.headManifest(repository, reference))?.digest;
  }

  /**
   * Fetches a manifest's exact bytes and parses it; verifies the digest when fetched by digest. A manifest whose
   * shape Berth cannot trust is an `invalid-manifest` error that names it and says what is wrong.
   */
  async getManifest(
    repository: string,
    reference: string,
  ): Promise<FetchedManifest> {
    const { bytes, digest, contentType, what } = await this.#fetchManifest(
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
        this.host,
        `${this.host} returned ${what} of a kind Berth does not read (${
          snippet(contentType) || 'no content type'
        }); Berth reads OCI and Docker schema 2 images and indexes`,
        options,
      );
    }
    throw new RegistryError(
      'invalid-manifest',
      this.host,
      `${this.host} returned ${what} that ${shape.problem}`,
      options,
    );
  }

  async #fetchManifest(repository: string, reference: string) {
    checkReference(this.host, reference);
    const what = `the manifest ${describe(repository, reference)}`;
    const response = await this.#request({
      method: 'GET',
      path: `/v2/${repositoryPath(repository)}/manifests/${reference}`,
      what,
      repository,
      scopes: [this.#pull(repository)],
      headers: { accept: MANIFEST_ACCEPT },
    });
    const bytes = await this.#transport.readBody(
      response,
      MAX_MANIFEST_BYTES,
      what,
    );
    const digest = sha256Digest(bytes);
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new RegistryError(
        'invalid-response',
        this.host,
        `${this.host} returned ${what} with the wrong content (its digest is ${digest})`,
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
   * Reads and summarises an image's config: created, labels, platform, command, user, health check, size. Fields of
   * the wrong shape are left out; a config that is no JSON object is an `invalid-manifest` error naming it.
   */
  async getImageConfig(
    repository: string,
    manifest: ImageManifest,
  ): Promise<ImageConfigSummary> {
    const digest = manifest.config.digest;
    const bytes = await this.getBlob(repository, digest, MAX_CONFIG_BYTES);
    let config: unknown;
    try {
      config = JSON.parse(bytes.toString('utf8'));
    } catch {
      config = undefined;
    }
    const summary = summarizeConfig(config, manifest);
    if (!summary) {
      throw new RegistryError(
        'invalid-manifest',
        this.host,
        `the image config ${repository}@${digest} on ${this.host} is ${
          config === undefined ? 'not JSON' : 'not a JSON object'
        }`,
        { malformedDigest: digest },
      );
    }
    return summary;
  }

  /** Reads a small blob (a config, typically) by digest, verifying it. */
  async getBlob(
    repository: string,
    digest: string,
    maxBytes = MAX_JSON_BYTES,
  ): Promise<Buffer> {
    const what = `the blob ${repository}@${digest}`;
    const response = await this.#request({
      method: 'GET',
      path: this.#blobPath(repository, digest),
      what,
      repository,
      scopes: [this.#pull(repository)],
      followForeignRedirects: true,
    });
    const bytes = await this.#transport.readBody(response, maxBytes, what);
    if (sha256Digest(bytes) !== digest) {
      throw new RegistryError(
        'invalid-response',
        this.host,
        `${this.host} returned ${what} with the wrong content`,
      );
    }
    return bytes;
  }

  /**
   * Streams a blob. The stream fails at its end if the bytes do not match the digest, so a consumer that
   * forwards it (a copy to another registry) never completes with corrupt content.
   */
  async getBlobStream(
    repository: string,
    digest: string,
  ): Promise<{ size: number; stream: Readable }> {
    const what = `the blob ${repository}@${digest}`;
    const response = await this.#request({
      method: 'GET',
      path: this.#blobPath(repository, digest),
      what,
      repository,
      scopes: [this.#pull(repository)],
      followForeignRedirects: true,
      streamed: true,
    });
    const size = Number(response.headers.get('content-length') ?? -1);
    const hash = createHash('sha256');
    const host = this.host;
    const verify = new Transform({
      transform(chunk, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
      flush(callback) {
        const actual = `sha256:${hash.digest('hex')}`;
        callback(
          actual === digest
            ? null
            : new RegistryError(
                'invalid-response',
                host,
                `${host} sent ${what} with the wrong content`,
              ),
        );
      },
    });
    const body = this.#transport.bodyStream(response, what);
    body.on('error', error => verify.destroy(error));
    // Consumers see a failure through the stream they read (iteration, or fetch sending it), which may already
    // have stopped listening when a cut-off connection is noticed: that must not crash the process.
    verify.on('error', () => undefined);
    return { size, stream: body.pipe(verify) };
  }

  /** True when the repository holds the blob. */
  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const response = await this.#request({
      method: 'HEAD',
      path: this.#blobPath(repository, digest),
      what: `the blob ${repository}@${digest}`,
      repository,
      scopes: [this.#pull(repository)],
      acceptStatuses: [404],
      followForeignRedirects: true,
    });
    return response.status !== 404;
  }

  /**
   * Asks the registry to link a blob from another repository instead of uploading it. When it does not, the
   * upload session it opened is handed back, to upload the bytes into.
   */
  async mountBlob(
    repository: string,
    digest: string,
    fromRepository: string,
  ): Promise<{ mounted: true } | { mounted: false; uploadUrl: string }> {
    const what = `a mount of ${digest} from ${fromRepository} into ${repository}`;
    const response = await this.#request({
      method: 'POST',
      path: `/v2/${repositoryPath(
        repository,
      )}/blobs/uploads/?mount=${encodeURIComponent(
        digest,
      )}&from=${encodeURIComponent(fromRepository)}`,
      what,
      repository,
      scopes: [this.#push(repository), this.#pull(fromRepository)],
      headers: { 'content-length': '0' },
      idempotent: true,
    });
    await response.body?.cancel();
    if (response.status === 201) {
      this.#capabilities.blobMount = true;
      return { mounted: true };
    }
    this.#capabilities.blobMount ??= false;
    return { mounted: false, uploadUrl: this.#uploadLocation(response, what) };
  }

  /** Uploads a blob unless the repository has it already; returns its descriptor fields. */
  async pushBlob(
    repository: string,
    bytes: Buffer,
  ): Promise<{ digest: string; size: number; uploaded: boolean }> {
    const digest = sha256Digest(bytes);
    if (await this.hasBlob(repository, digest))
      return { digest, size: bytes.length, uploaded: false };
    await this.pushBlobStream(
      repository,
      { digest, size: bytes.length },
      bytes,
    );
    return { digest, size: bytes.length, uploaded: true };
  }

  /**
   * Uploads a blob in one request (POST to open the session, PUT with the bytes), streaming when given a stream.
   * `uploadUrl` reuses a session a failed mount opened.
   */
  async pushBlobStream(
    repository: string,
    blob: { digest: string; size: number },
    body: Buffer | Readable,
    uploadUrl?: string,
  ): Promise<void> {
    const what = `an upload of ${blob.digest} to ${repository}`;
    let location = uploadUrl;
    if (!location) {
      const started = await this.#request({
        method: 'POST',
        path: `/v2/${repositoryPath(repository)}/blobs/uploads/`,
        what,
        repository,
        scopes: [this.#push(repository)],
        headers: { 'content-length': '0' },
        idempotent: true,
      });
      await started.body?.cancel();
      location = this.#uploadLocation(started, what);
    }
    const url = new URL(location);
    url.searchParams.set('digest', blob.digest);
    const response = await this.#request({
      method: 'PUT',
      path: url.href,
      what,
      repository,
      scopes: [this.#push(repository)],
      body,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(blob.size),
      },
      // A session is spent by a failed PUT: the caller restarts from the POST.
      idempotent: false,
    });
    await response.body?.cancel();
  }

  /** Stores a manifest's exact bytes under a tag or digest; returns the digest the registry reports. */
  async putManifest(
    repository: string,
    reference: string,
    bytes: Buffer,
    mediaType: string,
  ): Promise<string> {
    checkReference(this.host, reference);
    const what = describe(repository, reference);
    const response = await this.#request({
      method: 'PUT',
      path: `/v2/${repositoryPath(repository)}/manifests/${reference}`,
      what,
      repository,
      scopes: [this.#push(repository)],
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
        this.host,
        `${this.host} stored ${what} under the digest ${reported} instead of ${expected}: it rewrote the manifest`,
      );
    }
    return expected;
  }

  /** Pushes an image manifest or index as JSON and returns its descriptor. */
  async putJsonManifest(
    repository: string,
    reference: string,
    manifest: ImageManifest | ImageIndex,
  ): Promise<Descriptor> {
    const bytes = Buffer.from(JSON.stringify(manifest));
    const digest = await this.putManifest(
      repository,
      reference,
      bytes,
      manifest.mediaType,
    );
    return { mediaType: manifest.mediaType, digest, size: bytes.length };
  }

  /** Deletes a manifest by digest, with every tag on it. */
  async deleteManifest(repository: string, digest: string): Promise<void> {
    if (!isValidDigest(digest)) {
      throw new InputError(`"${digest}" is not a digest`);
    }
    const response = await this.#request({
      method: 'DELETE',
      path: `/v2/${repositoryPath(repository)}/manifests/${digest}`,
      what: `deleting the manifest ${repository}@${digest}`,
      repository,
      scopes: [this.#delete(repository)],
      idempotent: true,
    });
    await response.body?.cancel();
  }

  /**
   * Removes a tag and leaves the image it pointed at. Registries that cannot delete a tag directly get a unique
   * placeholder manifest under the tag, which is then deleted by digest (regclient's approach).
   */
  async deleteTag(repository: string, tag: string): Promise<void> {
    if (!isValidTag(tag)) {
      throw new InputError(`"${tag}" is not a valid tag`);
    }
    const what = `deleting the tag ${repository}:${tag}`;
    if (this.flavor.knownUnsupported.includes('tag-delete')) {
      throw new RegistryError(
        'unsupported',
        this.host,
        `${this.host} (${this.flavor.label}) does not allow ${what} through the registry API; delete it in ${this.flavor.label} itself`,
      );
    }
    if (this.#capabilities.tagDelete !== 'via-manifest') {
      const response = await this.#request({
        method: 'DELETE',
        path: `/v2/${repositoryPath(repository)}/manifests/${tag}`,
        what,
        repository,
        scopes: [this.#delete(repository)],
        acceptStatuses: [400, 405],
        idempotent: true,
      });
      if (response.ok) {
        await response.body?.cancel();
        this.#capabilities.tagDelete = 'direct';
        return;
      }
      await response.body?.cancel();
    }
    if (!(await this.headManifest(repository, tag))) {
      throw new RegistryError(
        'not-found',
        this.host,
        `${this.host} has no tag ${repository}:${tag}`,
      );
    }
    this.#capabilities.tagDelete = 'via-manifest';
    const config = await this.pushBlob(repository, Buffer.from('{}'));
    const placeholder = await this.putJsonManifest(repository, tag, {
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
    await this.deleteManifest(repository, placeholder.digest);
  }

  /**
   * Manifests that refer to `digest` (signatures, SBOMs, attestations): the referrers API where the registry
   * has it, otherwise the `sha256-<hex>` fallback tag. The registry's support is learned once.
   */
  async listReferrers(
    repository: string,
    digest: string,
  ): Promise<{ descriptors: Descriptor[]; source: 'api' | 'fallback-tag' }> {
    const what = `the referrers of ${repository}@${digest}`;
    if (this.#capabilities.referrersApi !== false) {
      const response = await this.#request({
        method: 'GET',
        path: `/v2/${repositoryPath(repository)}/referrers/${checkReference(
          this.host,
          digest,
        )}`,
        what,
        repository,
        scopes: [this.#pull(repository)],
        headers: { accept: MEDIA_TYPES.ociIndex },
        acceptStatuses: [400, 404, 405, 406],
      });
      const type = response.headers.get('content-type') ?? '';
      if (response.status === 200 && type.startsWith(MEDIA_TYPES.ociIndex)) {
        this.#capabilities.referrersApi = true;
        const index = (await this.#transport.readJson(
          response,
          MAX_MANIFEST_BYTES,
          what,
        )) as Partial<ImageIndex> | null;
        return { descriptors: descriptorsOf(index?.manifests), source: 'api' };
      }
      await response.body?.cancel();
      this.#capabilities.referrersApi = false;
    }
    const fallbackTag = digest.replace(':', '-');
    try {
      const fallback = await this.getManifest(repository, fallbackTag);
      // Some registries answer the fallback tag with the subject itself: that is no referrer index.
      if (fallback.digest === digest || !('manifests' in fallback.manifest)) {
        return { descriptors: [], source: 'fallback-tag' };
      }
      return {
        descriptors: fallback.manifest.manifests,
        source: 'fallback-tag',
      };
    } catch (error) {
      if (isNotFound(error)) return { descriptors: [], source: 'fallback-tag' };
      throw error;
    }
  }

  /**
   * Signatures, attestations and SBOMs of an image, from every place tools put them: the referrers API or its
   * fallback tag, cosign's `sha256-<hex>.sig|.att|.sbom` tags, and BuildKit's attestation entries in the index.
   * Pass the repository's tags when known, so that cosign tags cost no request unless they exist.
   */
  async findAttachments(
    repository: string,
    digest: string,
    options: { tags?: Iterable<string>; index?: ImageIndex } = {},
  ): Promise<ImageAttachment[]> {
    const attachments: ImageAttachment[] = [];
    const referrers = await this.listReferrers(repository, digest);
    for (const descriptor of referrers.descriptors) {
      attachments.push({
        kind: attachmentKind(
          descriptor.artifactType ?? descriptor.mediaType,
          descriptor.annotations,
        ),
        source: referrers.source === 'api' ? 'referrers-api' : 'referrers-tag',
        digest: descriptor.digest,
        mediaType: descriptor.mediaType,
        artifactType: descriptor.artifactType,
      });
    }
    const known = options.tags ? new Set(options.tags) : undefined;
    const prefix = digest.replace(':', '-');
    const cosign: Array<[string, ImageAttachment['kind']]> = [
      [`${prefix}.sig`, 'signature'],
      [`${prefix}.att`, 'attestation'],
      [`${prefix}.sbom`, 'sbom'],
    ];
    await Promise.all(
      cosign.map(async ([tag, kind]) => {
        if (known && !known.has(tag)) return;
        const head = await this.headManifest(repository, tag);
        if (head) {
          attachments.push({
            kind,
            source: 'cosign-tag',
            digest: head.digest,
            mediaType: head.mediaType,
            tag,
          });
        }
      }),
    );
    for (const entry of options.index?.manifests ?? []) {
      const annotations = entry.annotations ?? {};
      if (
        annotations['vnd.docker.reference.type'] === 'attestation-manifest' &&
        (!annotations['vnd.docker.reference.digest'] ||
          options.index!.manifests.some(
            other =>
              other.digest === annotations['vnd.docker.reference.digest'],
          ))
      ) {
        attachments.push({
          kind: 'attestation',
          source: 'index',
          digest: entry.digest,
          mediaType: entry.mediaType,
          artifactType: entry.artifactType,
        });
      }
    }
    return attachments;
  }

  #resolveLink(link: string, current: string, what: string): string {
    try {
      const base = new URL(current, `${this.#transport.endpoint.baseUrl}/`);
      return new URL(link, base).href;
    } catch {
      throw new RegistryError(
        'invalid-response',
        this.host,
        `${this.host} sent an unreadable pagination link for ${what}`,
      );
    }
  }

  /** `/v2/<name>/blobs/<digest>`, refusing anything that is not a digest before a request is made. */
  #blobPath(repository: string, digest: string): string {
    return `/v2/${repositoryPath(repository)}/blobs/${checkReference(
      this.host,
      digest,
    )}`;
  }

  #pull(repository: string): string {
    return `repository:${repository}:pull`;
  }

  #push(repository: string): string {
    return `repository:${repository}:pull,push`;
  }

  #delete(repository: string): string {
    return `repository:${repository}:delete`;
  }

  #uploadLocation(response: Response, what: string): string {
    const location = response.headers.get('location');
    if (!location) {
      throw new RegistryError(
        'invalid-response',
        this.host,
        `${this.host} opened ${what} without a Location`,
      );
    }
    const url = new URL(location, `${this.#transport.endpoint.baseUrl}/`);
    if (url.origin !== this.#transport.origin) {
      throw new RegistryError(
        'refused-host',
        this.host,
        `${this.host} sent ${what} to another host (${url.host}); Berth only talks to configured registries`,
      );
    }
    return url.href;
  }

  /**
   * Reads JSON from the product's own API beside the registry API (such as Quay's `/api/v1/...`), on the same
   * origin, with the configured credentials as Basic. Undefined when the API answers 404.
   */
  async vendorJson(
    path: string,
    what: string,
    repository?: string,
  ): Promise<unknown> {
    if (!path.startsWith('/') || path.startsWith('//')) {
      throw new Error(
        `A vendor API path must be absolute on the registry: ${path}`,
      );
    }
    const response = await this.#transport.request({
      method: 'GET',
      path,
      what,
      repository,
      scopes: [],
      headers: { accept: 'application/json' },
      vendorApi: true,
      acceptStatuses: [404],
    });
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    return this.#transport.readJson(response, MAX_JSON_BYTES, what);
  }

  #request(request: RegistryRequest): Promise<Response> {
    // A scoped client's token covers its scopes; a request needing more (a push) widens it. Scopes another one
    // already grants are dropped, so that every request of a copy shares one token.
    const all = [...new Set([...request.scopes, ...this.#scopes])];
    const scopes = all.filter(
      (scope, i) =>
        !all.some(
          (other, j) =>
            j !== i && covers(other, scope) && (!covers(scope, other) || j < i),
        ),
    );
    return this.#transport.request({
      ...request,
      scopes,
      background: this.#background,
    });
  }
}

/** The entries of a referrers answer that are descriptors (a registry's answer is not trusted to be one). */
function descriptorsOf(entries: unknown): Descriptor[] {
  return Array.isArray(entries)
    ? entries.filter(
        (entry): entry is Descriptor =>
          !descriptorProblem(entry, 'entry', 'fetchable') &&
          typeof (entry as Descriptor).mediaType === 'string',
      )
    : [];
}

function attachmentKind(
  type: string,
  annotations: Record<string, string> = {},
): ImageAttachment['kind'] {
  const predicate = annotations['dev.sigstore.bundle.predicateType'];
  if (/spdx|cyclonedx|sbom/i.test(`${type} ${predicate ?? ''}`)) return 'sbom';
  if (predicate || /in-toto|dsse|attestation|provenance/i.test(type))
    return 'attestation';
  if (/signature|cosign|sigstore|notary|\.sig\b/i.test(type))
    return 'signature';
  return 'other';
}

export { isIndexMediaType };
