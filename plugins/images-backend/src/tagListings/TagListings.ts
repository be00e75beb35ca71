import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { TagListingProvider, VendorApi } from '@berth/plugin-images-node';
import { RegistryClient } from '../registry/RegistryClient';
import { RegistryError } from '../registry/errors';
import { BUILT_IN_PROVIDERS } from './providers';
import { isRegistryBound } from './RegistryBoundTagListing';

/** After a product API failed to list a registry's repositories, the Distribution API lists them this long. */
const FALLBACK_MS = 10 * 60_000;

/** Failures that are not about the product's API but the registry as a whole: no fallback helps. */
const NO_FALLBACK = new Set(['unreachable', 'rate-limited']);

/**
 * Which registry product API lists a registry's tags: a module's provider first, then Berth's own (Quay, Docker Hub,
 * GitHub, DigitalOcean, Harbor, ACR, ECR), unless `images.registries[].api.listing` is `distribution`. When a
 * product's API cannot list (anonymous access to Quay's tag API, an API switched off), the Distribution API lists
 * that registry for a while instead, and the log says why once.
 */
export class TagListings {
  readonly #providers: TagListingProvider[] = [];
  /** Berth's own providers: only these are bound to a registry's client (ECR's AWS credentials). */
  readonly #builtIns: ReadonlySet<TagListingProvider>;
  readonly #fallbacks = new Map<string, number>();
  readonly #logger: LoggerService;

  constructor(options: {
    logger: LoggerService;
    providers?: TagListingProvider[];
  }) {
    this.#logger = options.logger;
    this.#providers.push(...(options.providers ?? BUILT_IN_PROVIDERS));
    this.#builtIns = new Set(this.#providers);
  }

  /** Providers from modules, asked before Berth's own. */
  addProviders(providers: TagListingProvider[]): void {
    this.#providers.unshift(...providers);
  }

  /** The provider listing this registry, with the product API it uses; undefined for the Distribution API. */
  forRegistry(
    client: RegistryClient,
  ): { provider: TagListingProvider; api: VendorApi } | undefined {
    if (client.apiSettings?.listing === 'distribution') return undefined;
    const until = this.#fallbacks.get(client.host);
    if (until !== undefined && Date.now() < until) return undefined;
    const registry = { host: client.host, flavor: client.flavor.name };
    const found = this.#providers.find(p => p.supports(registry));
    const provider =
      found && this.#builtIns.has(found) && isRegistryBound(found)
        ? found.forClient(client)
        : found;
    if (!provider) return undefined;
    const configured = client.apiSettings?.url;
    // A registry sent to another endpoint (a mirror, a local stand-in) has no product API unless one is configured.
    if (!configured && client.baseUrl !== productUrl(client)) return undefined;
    const apiUrl = configured ?? provider.apiUrl?.(registry) ?? client.baseUrl;
    return { provider, api: client.vendorApi(apiUrl) };
  }

  /**
   * Whether a failed product API listing may be retried through the Distribution API; if so, that registry is
   * listed that way for a while and the reason logged.
   */
  fallBack(
    client: RegistryClient,
    provider: TagListingProvider,
    error: unknown,
  ): boolean {
    if (error instanceof RegistryError && NO_FALLBACK.has(error.kind)) {
      return false;
    }
    if (!(error instanceof RegistryError)) return false;
    this.#fallbacks.set(client.host, Date.now() + FALLBACK_MS);
    this.#logger.warn(
      `${client.host}: the ${provider.id} API could not list tags (${
        error.message
      }); listing through the OCI Distribution API for the next ${
        FALLBACK_MS / 60_000
      } minutes`,
    );
    return true;
  }
}

/** Where the product keeps the registry's Distribution API when no endpoint is configured. */
function productUrl(client: RegistryClient): string {
  return client.flavor.apiUrl ?? `https://${client.host}`;
}

/**
 * Service ref for the tag listings: modules add providers through `imagesTagListingsExtensionPoint`.
 *
 * @public
 */
export const tagListingsServiceRef = createServiceRef<TagListings>({
  id: 'images.tag-listings',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { logger: coreServices.logger },
      async factory({ logger }) {
        return new TagListings({ logger });
      },
    }),
});
