import type { TagListingProvider } from '@berth/plugin-images-node';
import { acrTagListing } from './acr';
import { digitalOceanTagListing } from './digitalOcean';
import { dockerHubTagListing } from './dockerHub';
import { ecrTagListing } from './ecr';
import { githubTagListing } from './github';
import { harborTagListing } from './harbor';
import { quayTagListing } from './quay';

/** The registry products whose own API Berth lists tags through. */
export const BUILT_IN_PROVIDERS: TagListingProvider[] = [
  quayTagListing,
  dockerHubTagListing,
  githubTagListing,
  digitalOceanTagListing,
  harborTagListing,
  acrTagListing,
  ecrTagListing,
];
