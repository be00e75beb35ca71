/**
 * Berth's images backend: the OCI registry client, registry configuration, environment status, promotion and
 * the images HTTP API.
 *
 * @packageDocumentation
 */

export { imagesPlugin as default } from './plugin';
export { ImagesService, imagesServiceRef } from './services/ImagesService';
export {
  EntityImagesService,
  entityImagesServiceRef,
} from './services/EntityImagesService';
export type { RefusedImage, TagQuery } from './services/EntityImagesService';
export { RepositoryClaims } from './services/RepositoryClaims';
export { VerifyService, verifyServiceRef } from './services/VerifyService';
export type { ClaimDecision } from './services/RepositoryClaims';
export {
  PromotionService,
  promotionServiceRef,
} from './services/PromotionService';
export { TagIndex } from './index/TagIndex';
export type { TagIndexOptions } from './index/TagIndex';
export { TagIndexStore } from './index/TagIndexStore';
export { Promoter } from './promotion/Promoter';
export {
  PromotionPlanner,
  rollbackTagName,
} from './promotion/PromotionPlanner';
export type {
  PromotionPlan,
  PromotionRequest,
} from './promotion/PromotionPlanner';
export { PromotionStore } from './promotion/PromotionStore';
export { PromotionLocks } from './promotion/PromotionLocks';
export type {
  PromotionProgress,
  PromotionRecord,
  PromotionStatus,
} from './promotion/PromotionStore';
export type { ImagesHealth, VerifyResult } from './services/ImagesService';
export {
  copyImage,
  isIndexMediaType,
  isManifestMediaType,
  isNotFound,
  RegistryTransport,
  registryFlavor,
  REGISTRY_FLAVOR_NAMES,
  MANIFEST_ACCEPT,
  MEDIA_TYPES,
  RegistryClient,
  RegistryError,
  RegistryHosts,
  sha256Digest,
} from './registry';
export type {
  CopyImageRequest,
  CopyImageResult,
  ImageAttachment,
  ImageConfigSummary,
  ManifestHead,
  RegistryCapabilities,
  RegistryCredentialProvider,
  RegistryCredentials,
  RegistryFlavor,
  RegistryFlavorName,
  RegistryLogger,
  Descriptor,
  FetchedManifest,
  ImageIndex,
  ImageManifest,
  RegistryEndpoint,
  RegistryErrorKind,
  TagList,
} from './registry';
