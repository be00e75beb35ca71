import type { TagListingProvider } from '@berth/plugin-images-node';
import type { RegistryClient } from '../registry/RegistryClient';

/**
 * A built-in provider that lists with more of the registry than a VendorApi lends: ECR lists through the AWS SDK,
 * with the registry's AWS credentials, region and API endpoint. TagListings binds it to the registry's client before
 * it lists; undefined means it cannot list that registry (no AWS credentials configured) and the Distribution API
 * lists instead. Backend-internal: TagListings binds Berth's own providers only, so that a module's provider never
 * gets more than its VendorApi.
 */
export interface RegistryBoundTagListing extends TagListingProvider {
  forClient(client: RegistryClient): TagListingProvider | undefined;
}

/** Whether the provider needs binding to the registry's client before it lists. */
export function isRegistryBound(
  provider: TagListingProvider,
): provider is RegistryBoundTagListing {
  return (
    typeof (provider as Partial<RegistryBoundTagListing>).forClient ===
    'function'
  );
}
