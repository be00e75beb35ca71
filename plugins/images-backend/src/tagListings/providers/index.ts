import type { TagListingProvider } from '@berth/plugin-images-node';
import { ecrTagListing } from './ecr';
import { quayTagListing } from './quay';

/** The registry products whose own API Berth lists tags through. */
export const BUILT_IN_PROVIDERS: TagListingProvider[] = [
  quayTagListing,
  ecrTagListing,
];
