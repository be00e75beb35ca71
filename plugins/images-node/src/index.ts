/**
 * Node.js extension points and helpers for modules of the Berth images backend.
 *
 * @packageDocumentation
 */

export { imagesGatesExtensionPoint, VULNERABILITY_SEVERITIES } from './gates';
export type {
  GateResult,
  ImagesGatesExtensionPoint,
  PromotionCandidate,
  PromotionGate,
  VulnerabilityScan,
  VulnerabilitySeverity,
} from './gates';
export { formatByteSize, parseByteSize } from './byteSize';
export { imagesDeploymentSourcesExtensionPoint } from './deployments';
export type {
  DeployedImage,
  DeploymentQuery,
  DeploymentSource,
  EnvironmentDeploymentReport,
  ImagesDeploymentSourcesExtensionPoint,
} from './deployments';
export { imagesTagListingsExtensionPoint } from './tagListings';
export type {
  ImagesTagListingsExtensionPoint,
  ListedTag,
  TagListingProvider,
  TagListingRequest,
  TagListingResult,
  VendorApi,
  VendorApiAuth,
  VendorApiRequest,
} from './tagListings';
