import { Readable } from 'node:stream';
import {
  getBlob,
  getBlobStream,
  hasBlob,
  mountBlob,
  pushBlob,
  pushBlobStream,
} from './distribution/blobs';
import {
  FetchedManifest,
  ManifestHead,
  ManifestWrite,
  deleteManifest,
  getManifest,
  headManifest,
  putJsonManifest,
  putManifest,
  writeManifest,
} from './distribution/manifests';
import { RegistryApi, RegistryCapabilities } from './distribution/RegistryApi';
import { TagList, deleteTag, listTags } from './distribution/tags';
import { RegistryFlavor } from './flavors';
import { ImageConfigSummary, readImageConfig } from './imageConfig';
import {
  Descriptor,
  ImageIndex,
  ImageManifest,
  isIndexMediaType,
} from './mediaTypes';
import { ImageAttachment, findAttachments, listReferrers } from './referrers';
import { mergeScopes } from './scopes';
import {
  RegistryEndpoint,
  RegistryLogger,
  RegistryRequest,
  RegistryTransport,
} from './RegistryTransport';
import { ResolvedEndpoint, VendorApiSettings } from './types';
import type { VendorApi } from '@berth/plugin-images-node';
import { VendorApiClient } from './vendor/VendorApiClient';
import { vendorJson } from './vendor/vendorJson';

export { sha256Digest } from './distribution/references';
export type {
  FetchedManifest,
  ImageAttachment,
  ImageConfigSummary,
  ManifestHead,
  ManifestWrite,
  RegistryCapabilities,
  TagList,
};

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
  /** What the API calls (`distribution/`, `referrers`, `imageConfig`) use of this client. */
  readonly #api: RegistryApi;

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
    this.#api = {
      transport: this.#transport,
      capabilities,
      request: request => this.#request(request),
    };
  }

  get host(): string {
    return this.#transport.host;
  }

  /** Base URL of the registry's Distribution API. */
  get baseUrl(): string {
    return this.#transport.endpoint.baseUrl;
  }

  /**
   * The registry as configured, for a built-in tag listing that lists with more than a VendorApi lends (ECR's
   * DescribeImages, with the registry's AWS credentials).
   *
   * @internal
   */
  get endpoint(): Readonly<ResolvedEndpoint> {
    return this.#transport.endpoint;
  }

  /** How the registry product's own API is to be used (`images.registries[].api`). */
  get apiSettings(): VendorApiSettings | undefined {
    return this.#transport.endpoint.api;
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
  listTags(
    repository: string,
    options: {
      pageSize?: number;
      limit?: number;
      /** Called with each page as it arrives (a first page can be shown while the rest is listed). */
      onPage?: (page: string[]) => Promise<void> | void;
    } = {},
  ): Promise<TagList> {
    return listTags(this.#api, repository, options);
  }

  /** Digest, media type and size of what a tag or digest points at; undefined when there is nothing. */
  headManifest(
    repository: string,
    reference: string,
  ): Promise<ManifestHead | undefined> {
    return headManifest(this.#api, repository, reference);
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
  getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    return getManifest(this.#api, repository, reference);
  }

  /**
   * Reads and summarises an image's config: created, labels, platform, command, user, health check, size. Fields of
   * the wrong shape are left out; a config that is no JSON object is an `invalid-manifest` error naming it.
   */
  getImageConfig(
    repository: string,
    manifest: ImageManifest,
  ): Promise<ImageConfigSummary> {
    return readImageConfig(this.#api, repository, manifest);
  }

  /** Reads a small blob (a config, typically) by digest, verifying it. */
  getBlob(
    repository: string,
    digest: string,
    maxBytes?: number,
  ): Promise<Buffer> {
    return getBlob(this.#api, repository, digest, maxBytes);
  }

  /**
   * Streams a blob. The stream fails at its end if the bytes do not match the digest, so a consumer that
   * forwards it (a copy to another registry) never completes with corrupt content.
   */
  getBlobStream(
    repository: string,
    digest: string,
  ): Promise<{ size: number; stream: Readable }> {
    return getBlobStream(this.#api, repository, digest);
  }

  /** True when the repository holds the blob. */
  hasBlob(repository: string, digest: string): Promise<boolean> {
    return hasBlob(this.#api, repository, digest);
  }

  /**
   * Asks the registry to link a blob from another repository instead of uploading it. When it does not, the
   * upload session it opened is handed back, to upload the bytes into.
   */
  mountBlob(
    repository: string,
    digest: string,
    fromRepository: string,
  ): Promise<{ mounted: true } | { mounted: false; uploadUrl: string }> {
    return mountBlob(this.#api, repository, digest, fromRepository);
  }

  /** Uploads a blob unless the repository has it already; returns its descriptor fields. */
  pushBlob(
    repository: string,
    bytes: Buffer,
  ): Promise<{ digest: string; size: number; uploaded: boolean }> {
    return pushBlob(this.#api, repository, bytes);
  }

  /**
   * Uploads a blob in one request (POST to open the session, PUT with the bytes), streaming when given a stream.
   * `uploadUrl` reuses a session a failed mount opened.
   */
  pushBlobStream(
    repository: string,
    blob: { digest: string; size: number },
    body: Buffer | Readable,
    uploadUrl?: string,
  ): Promise<void> {
    return pushBlobStream(this.#api, repository, blob, body, uploadUrl);
  }

  /** Stores a manifest's exact bytes under a tag or digest; returns its digest (a rewritten manifest is an error). */
  putManifest(
    repository: string,
    reference: string,
    bytes: Buffer,
    mediaType: string,
  ): Promise<string> {
    return putManifest(this.#api, repository, reference, bytes, mediaType);
  }

  /**
   * Stores a manifest's exact bytes under a tag or digest, and says whether the registry's answer confirmed the
   * digest (`Docker-Content-Digest`), so that a caller verifies with a HEAD only when it did not.
   */
  writeManifest(
    repository: string,
    reference: string,
    bytes: Buffer,
    mediaType: string,
  ): Promise<ManifestWrite> {
    return writeManifest(this.#api, repository, reference, bytes, mediaType);
  }

  /** Pushes an image manifest or index as JSON and returns its descriptor. */
  putJsonManifest(
    repository: string,
    reference: string,
    manifest: ImageManifest | ImageIndex,
  ): Promise<Descriptor> {
    return putJsonManifest(this.#api, repository, reference, manifest);
  }

  /** Deletes a manifest by digest, with every tag on it. */
  deleteManifest(repository: string, digest: string): Promise<void> {
    return deleteManifest(this.#api, repository, digest);
  }

  /**
   * Removes a tag and leaves the image it pointed at. Registries that cannot delete a tag directly get a unique
   * placeholder manifest under the tag, which is then deleted by digest (regclient's approach).
   */
  deleteTag(repository: string, tag: string): Promise<void> {
    return deleteTag(this.#api, repository, tag);
  }

  /**
   * Manifests that refer to `digest` (signatures, SBOMs, attestations): the referrers API where the registry
   * has it, otherwise the `sha256-<hex>` fallback tag. The registry's support is learned once.
   */
  listReferrers(
    repository: string,
    digest: string,
  ): Promise<{ descriptors: Descriptor[]; source: 'api' | 'fallback-tag' }> {
    return listReferrers(this.#api, repository, digest);
  }

  /**
   * Signatures, attestations and SBOMs of an image, from every place tools put them: the referrers API or its
   * fallback tag, cosign's `sha256-<hex>.sig|.att|.sbom` tags, and BuildKit's attestation entries in the index.
   * Pass the repository's tags when known, so that cosign tags cost no request unless they exist.
   */
  findAttachments(
    repository: string,
    digest: string,
    options: { tags?: Iterable<string>; index?: ImageIndex } = {},
  ): Promise<ImageAttachment[]> {
    return findAttachments(this.#api, repository, digest, options);
  }

  /**
   * Reads JSON from the product's own API beside the registry API (such as Quay's `/api/v1/...`), on the same
   * origin, with the configured credentials as Basic. Undefined when the API answers 404.
   */
  vendorJson(
    path: string,
    what: string,
    repository?: string,
  ): Promise<unknown> {
    return vendorJson(this.#transport, path, what, repository);
  }

  /**
   * The registry product's own API at `apiUrl` (its origin, or the registry's), for tag listing providers; in the
   * background when this client is.
   */
  vendorApi(apiUrl: string): VendorApi {
    return new VendorApiClient({
      registry: this.#transport,
      api: this.#transport.forApi(apiUrl),
      background: this.#background,
    });
  }

  #request(request: RegistryRequest): Promise<Response> {
    // A scoped client's token covers its scopes; a request needing more (a push) widens it.
    return this.#transport.request({
      ...request,
      scopes: mergeScopes(request.scopes, this.#scopes),
      background: this.#background,
    });
  }
}

export { isIndexMediaType };
