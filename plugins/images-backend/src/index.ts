/**
 * Berth's images backend: the OCI registry client, registry configuration, environment status, promotion and
 * the images HTTP API.
 *
 * @packageDocumentation
 */

export { imagesPlugin as default } from './plugin';

// Services, each behind a service ref that tests and adopters can replace.
export { ImagesConfig, imagesConfigServiceRef } from './config/ImagesConfig';
export type {
  PromotionSettings,
  RegistryEventsSettings,
  TagIndexSettings,
} from './config/ImagesConfig';
export {
  EntityImagesAccess,
  entityImagesAccessServiceRef,
} from './entities/EntityImagesAccess';
export type {
  AuthorizedEntityImages,
  RefusedImage,
} from './entities/EntityImagesAccess';
export { TagIndex } from './tagIndex/TagIndex';
export type {
  IndexedManifest,
  IndexSnapshot,
  TagIndexOptions,
} from './tagIndex/TagIndex';
export type {
  IndexedRepository,
  IndexedTag,
  RepositoryKey,
} from './tagIndex/indexRows';
export { tagIndexServiceRef } from './tagIndex/tagIndexServiceRef';
export {
  EnvironmentLanesService,
  environmentLanesServiceRef,
} from './tab/EnvironmentLanesService';
export { TagTableService, tagTableServiceRef } from './tab/TagTableService';
export type { TagQuery } from './tab/TagTableService';
export {
  ImageDetailsService,
  imageDetailsServiceRef,
} from './tab/ImageDetailsService';
export {
  PromotionService,
  promotionServiceRef,
} from './promotion/PromotionService';
export {
  PromotionApprovalService,
  promotionApprovalServiceRef,
} from './promotion/PromotionApprovalService';
export { VerifyService, verifyServiceRef } from './verify/VerifyService';
export {
  DeploymentsService,
  deploymentsServiceRef,
} from './deployments/DeploymentsService';
export type { SourcedDeploymentReport } from './deployments/DeploymentsService';
export { DriftWatch, driftWatchServiceRef } from './deployments/DriftWatch';
export type { EventDelivery } from './events/eventAuthentication';
export type { EventFormat } from './events/vendorWebhooks';
export {
  RegistryEventsService,
  registryEventsServiceRef,
} from './events/RegistryEventsService';
export type { VerifyRequest, VerifyResult } from './verify/VerifyService';

// The registry client, for tools that write images (Berth's demo registry and test utilities).
export {
  copyImage,
  MEDIA_TYPES,
  RegistryClient,
  RegistryError,
  RegistryHosts,
  sha256Digest,
} from './registry';
export type {
  CopyImageRequest,
  ImageAttachment,
  ImageConfigSummary,
  RegistryCapabilities,
  RegistryFlavor,
  RegistryFlavorName,
  RegistryTransport,
  CopyImageResult,
  Descriptor,
  FetchedManifest,
  ImageIndex,
  ImageManifest,
  ManifestHead,
  ManifestWrite,
  RegistryCredentialProvider,
  RegistryCredentials,
  RegistryEndpoint,
  VendorApiSettings,
  RegistryErrorKind,
  RegistryLogger,
  RegistryRequest,
  TagList,
} from './registry';
