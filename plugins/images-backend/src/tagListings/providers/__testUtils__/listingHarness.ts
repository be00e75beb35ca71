import type {
  ListedTag,
  TagListingProvider,
  TagListingResult,
  VendorApi,
} from '@berth/plugin-images-node';
import { RegistryClient } from '../../../registry/RegistryClient';
import type { RegistryCredentialProvider } from '../../../registry/credentials/types';
import { registryFlavor, RegistryFlavorName } from '../../../registry/flavors';
import type { VendorApiSettings } from '../../../registry/types';

/** The registry a tag listing test lists from, as `images.registries[]` would configure it. */
export interface VendorTestClientOptions {
  /** The host users write in image names: `quay.example`, `ghcr.io`. */
  host: string;
  /** The configured flavour; recognised from the host when omitted. */
  flavor?: RegistryFlavorName;
  /** The Distribution API's base URL: `https://<host>` when omitted, the replay's URL when it serves the product's API there. */
  baseUrl?: string;
  /** A username and password (sent as they are on every call), or a credential provider (ECR's AWS keys); none: anonymous. */
  credentials?:
    | { username: string; password: string }
    | RegistryCredentialProvider;
  /** The product's API (`images.registries[].api`): `{ url }` of a replay on another origin, or a Quay API token. */
  api?: VendorApiSettings;
}

/**
 * A RegistryClient for a replayed vendor API: one attempt per request (a refusal or 429 fails at once, no retries
 * to wait for), the flavour as configured or recognised from the host.
 */
export function vendorTestClient(
  options: VendorTestClientOptions,
): RegistryClient {
  const { host, credentials } = options;
  return new RegistryClient({
    host,
    baseUrl: options.baseUrl ?? `https://${host}`,
    flavor: registryFlavor(host, options.flavor),
    maxAttempts: 1,
    credentials:
      credentials && 'getCredentials' in credentials
        ? credentials
        : credentials && {
            getCredentials: async () => ({
              username: credentials.username,
              password: credentials.password,
            }),
          },
    api: options.api,
  });
}

/** What a test lists. */
export interface ListAllOptions {
  repository: string;
  /** The index's cap on tags (10,000 when omitted). */
  limit?: number;
  /** `onPage` answers `false`, as an incremental re-index does once it reaches a page it knows. */
  stopAfterFirstPage?: boolean;
}

/** Lists through `provider` and collects every page `onPage` was called with, in order, with the listing's result. */
export async function listAll(
  provider: TagListingProvider,
  api: VendorApi,
  options: ListAllOptions,
): Promise<{ pages: ListedTag[][]; result: TagListingResult }> {
  const pages: ListedTag[][] = [];
  const result = await provider.listTags(api, {
    repository: options.repository,
    limit: options.limit ?? 10_000,
    onPage: async page => {
      pages.push(page);
      return options.stopAfterFirstPage ? false : undefined;
    },
  });
  return { pages, result };
}
