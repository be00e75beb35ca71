import { Readable } from 'node:stream';
import { RegistryCredentialProvider } from './credentials/types';
import { RegistryFlavor } from './flavors';

/**
 * Where and how to reach one configured registry.
 *
 * @public
 */
export interface RegistryEndpoint {
  /** The host users write in image names: `ghcr.io`, `localhost:5000`. */
  host: string;
  /** Base URL requests go to: `https://ghcr.io`, or a mirror such as `http://127.0.0.1:5500`. */
  baseUrl: string;
  /** The registry product; recognised from the host when omitted. */
  flavor?: RegistryFlavor;
  credentials?: RegistryCredentialProvider;
  /** Concurrent requests to this registry (default 4). */
  concurrency?: number;
  /** Time limit for one request, in milliseconds (default 30 s); for streamed blobs, the longest silence. */
  timeoutMs?: number;
  /** Attempts for an idempotent request that failed with 408, 429, 5xx or a network error (default 4). */
  maxAttempts?: number;
  /** First backoff delay in milliseconds, doubled each attempt, with ±20 % jitter (default 250). */
  retryBaseDelayMs?: number;
  /** A `Retry-After` longer than this fails at once as rate limited instead of waiting (default 60 s). */
  maxRetryAfterMs?: number;
  /** Other origins allowed as token realms, besides the registry's own and its flavour's. */
  authOrigins?: string[];
  /** The registry product's own API, beside the Distribution API (`images.registries[].api`). */
  api?: VendorApiSettings;
  /**
   * Hosts of every configured registry (`host` and the endpoint's host): a blob redirect may lead there even on a
   * private address. Any other redirect target on a loopback, private, link-local or metadata address is refused.
   */
  configuredHosts?: string[];
}

/** An endpoint whose flavour is settled (configured, or recognised from the host). */
export type ResolvedEndpoint = RegistryEndpoint & { flavor: RegistryFlavor };

/** The endpoint's time limit in milliseconds (default 30 s). */
export function timeLimit(endpoint: RegistryEndpoint): number {
  return endpoint.timeoutMs ?? 30_000;
}

/**
 * Something that logs, like Backstage's LoggerService. Messages never carry a credential.
 *
 * @public
 */
export interface RegistryLogger {
  debug(message: string): void;
  warn(message: string): void;
}

/**
 * One request to the registry API.
 *
 * @public
 */
export interface RegistryRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';
  /** Path and query under the base URL, or an absolute URL on the registry's own origin (an upload Location). */
  path: string;
  /** What is being asked, for messages: "the tags of bxtech/dotca". */
  what: string;
  /** The repository concerned, for messages about credentials. */
  repository?: string;
  /** Token scopes this request needs (`repository:<name>:pull,push`); push scopes first. */
  scopes: string[];
  headers?: Record<string, string>;
  body?: Buffer | Readable;
  /** Safe to send again after a failure (default: true for GET, HEAD and Buffer bodies). */
  idempotent?: boolean;
  /** Statuses handed back to the caller instead of thrown (404 when absence is an answer). */
  acceptStatuses?: number[];
  /** Follow redirects to another origin, without credentials (blob downloads from a storage CDN). */
  followForeignRedirects?: boolean;
  /** The body is streamed by the caller: the time limit applies to silences, not to the whole transfer. */
  streamed?: boolean;
  /** Nobody waits for this (index completion): it yields its turn to requests someone waits for. */
  background?: boolean;
  /**
   * A vendor API (Quay's `/api/v1`, GitHub's REST API): how it authenticates, with no challenge round; a 401 is an
   * error. `basic`: the configured credentials; `bearer`: the API token (or the password) as a Bearer token; `none`:
   * only the request's own headers.
   */
  vendorApi?: 'basic' | 'bearer' | 'none';
}

/**
 * How Berth uses a registry product's own API (`images.registries[].api`).
 *
 * @public
 */
export interface VendorApiSettings {
  /** `auto` (default): list tags through the product's API where Berth has a provider; `distribution`: never. */
  listing?: 'auto' | 'distribution';
  /** Where the product's API lives, when not where the product keeps it (GitHub Enterprise, a test replay). */
  url?: string;
  /** A token for the product's API when it is not the registry password (a Quay OAuth application token). */
  token?: string;
  /** Share of a rate-limit budget that background indexing may spend (default 0.5). */
  backgroundShare?: number;
}
