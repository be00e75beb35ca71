import { createExtensionPoint } from '@backstage/backend-plugin-api';

/**
 * A tag as a registry product's own API lists it: with the digest it points at and when it was pushed, where the API
 * says so. Providers fill in only what the API states.
 *
 * @public
 */
export interface ListedTag {
  /** The tag's name. */
  tag: string;
  /** The manifest digest the tag points at. */
  digest?: string;
  /** When the tag was pushed or last moved (ISO 8601). */
  pushedAt?: string;
  /**
   * What the listing says about the digest. When it names the media type and the platforms, Berth stores it as the
   * digest's description and never fetches the manifest (Docker Hub counts every manifest GET against the pull quota).
   */
  image?: {
    mediaType?: string;
    /** Bytes: the largest platform's compressed size. */
    size?: number;
    /** `linux/amd64`, `linux/arm64/v8`. */
    platforms?: string[];
  };
}

/**
 * How a provider authenticates one request to the product's API:
 * `basic` sends the registry's configured credentials as Basic (Harbor), `bearer` the configured API token or
 * password as a Bearer token (GitHub, DigitalOcean, Quay's OAuth token), `registry` goes through the registry's own
 * token flow with `scopes` (ACR's `/acr/v1`), `none` sends nothing but `headers`.
 *
 * @public
 */
export type VendorApiAuth = 'basic' | 'bearer' | 'registry' | 'none';

/**
 * One GET or POST to a registry product's API.
 *
 * @public
 */
export interface VendorApiRequest {
  /** GET (default), or POST for a token exchange. */
  method?: 'GET' | 'POST';
  /** A path under the product API's base URL, or an absolute URL on its origin (a `next` link). */
  path: string;
  /** What is asked, for messages: "the tags of shop/web". */
  what: string;
  /** The repository concerned, for messages about credentials. */
  repository: string;
  /** How the request authenticates. */
  auth: VendorApiAuth;
  /** Token scopes for `registry` authentication. */
  scopes?: string[];
  /** Headers of the product's API (`X-GitHub-Api-Version`, an `Authorization` of its own with `auth: 'none'`). */
  headers?: Record<string, string>;
  /** A JSON body (POST). */
  body?: unknown;
}

/**
 * A registry product's API as the images backend lends it to a provider: the same credentials, host checks, time
 * limits, retries, rate-limit budget and errors as its registry client. Requests go only to the product API's
 * origin (configured or known for the product); anything else is refused.
 *
 * @public
 */
export interface VendorApi {
  /** The registry host as users write it: `ghcr.io`, `quay.io`. */
  readonly host: string;
  /** Base URL of the product's API: `https://api.github.com`, or the registry's own for Quay and Harbor. */
  readonly apiUrl: string;
  /** Whether credentials are configured for this registry (an anonymous API may list public repositories only). */
  readonly hasCredentials: boolean;
  /** Whether a token for the product's API is configured apart from the registry credentials (`api.token`). */
  readonly hasApiToken: boolean;
  /** The user name of the configured credentials (Docker Hub's namespace login, GitHub's user). */
  username(): Promise<string | undefined>;
  /**
   * The configured user name and password (or access token), for a product API that takes them only in exchange
   * for a token of its own (Docker Hub's `POST /v2/auth/token`). Never put either in a message or a log.
   */
  credentials(): Promise<{ username: string; password: string } | undefined>;
  /** Sends the request; a 2xx JSON body and the headers, or a typed registry error (401, 403, 404, 429, 5xx). */
  json(request: VendorApiRequest): Promise<{ body: unknown; headers: Headers }>;
  /** A registry error saying the API answered in a shape the provider cannot read. */
  invalidResponse(what: string): Error;
}

/**
 * A listing's pages, newest first where the product's API can order by push time.
 *
 * @public
 */
export interface TagListingRequest {
  /** The repository, as image names write it after the host. */
  repository: string;
  /** Tags wanted at most (the index's cap); the provider stops there and says `truncated`. */
  limit: number;
  /**
   * Called with each page as it arrives. Returning `false` stops the listing there (the rest is known already: an
   * incremental re-index of a newest-first listing).
   */
  onPage(page: ListedTag[]): Promise<boolean | void>;
}

/**
 * How a listing ended.
 *
 * @public
 */
export interface TagListingResult {
  /** True when the listing stopped at `limit`. */
  truncated: boolean;
  /** True when `onPage` stopped it early. */
  stoppedEarly: boolean;
  /** Requests sent, for the benchmark and logs. */
  requests: number;
}

/**
 * Lists a repository's tags through a registry product's own API (Quay's tag API, Docker Hub's, GitHub packages,
 * DigitalOcean's registry API, Harbor's artifacts, ACR's `/acr/v1`, ECR's DescribeImages): one request per page of
 * tags with their digests and dates, instead of a HEAD per tag. The OCI Distribution API stays the fallback.
 *
 * @public
 */
export interface TagListingProvider {
  /** Short id for logs and the benchmark: `quay`, `dockerhub`. */
  readonly id: string;
  /** Whether pages come newest first by push time: only then may a re-index stop at the first page it knows. */
  readonly newestFirst: boolean;
  /** Whether this provider lists for a registry of this product (the flavour Berth recognised or was told). */
  supports(registry: { host: string; flavor: string }): boolean;
  /** Where the product's API lives when it is not the registry's own origin (`https://api.github.com`). */
  apiUrl?(registry: { host: string; flavor: string }): string | undefined;
  /**
   * Lists the repository. A provider that cannot list this repository through its API (an anonymous Quay API for a
   * private repository, an API switched off) throws; Berth then lists through the Distribution API.
   */
  listTags(
    api: VendorApi,
    request: TagListingRequest,
  ): Promise<TagListingResult>;
}

/**
 * Adds tag listing providers to the images backend, for registry products it does not list natively.
 *
 * @public
 */
export interface ImagesTagListingsExtensionPoint {
  /** Adds providers, asked before Berth's own for the registries they support. */
  addProvider(...providers: TagListingProvider[]): void;
}

/**
 * Extension point for tag listing providers.
 *
 * @public
 */
export const imagesTagListingsExtensionPoint =
  createExtensionPoint<ImagesTagListingsExtensionPoint>({
    id: 'images.tag-listing-providers',
  });
