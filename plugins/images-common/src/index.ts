/**
 * Isomorphic types, annotations, image references and permissions for Berth.
 *
 * @packageDocumentation
 */

export { ANNOTATION_ENVIRONMENTS, ANNOTATION_IMAGES } from './annotations';
export { ImageReferenceError } from './errors';
export {
  DOCKER_HUB_REGISTRY,
  formatImageReference,
  isValidDigest,
  isValidTag,
  parseImageReference,
  parseImageRepository,
} from './imageReference';
export type { ImageReference } from './imageReference';
export {
  environmentImage,
  hasImagesAnnotation,
  parseEnvironmentsAnnotation,
  parseImagesAnnotation,
  readEntityImagesSpec,
  resolveEnvironments,
} from './entityImages';
export type { EntityImagesSpec, EnvironmentDefinition } from './entityImages';
export {
  imagesApprovePermission,
  imagesForcePermission,
  imagesPermissions,
  imagesPromotePermission,
  imagesReadPermission,
  imagesVerifyPermission,
} from './permissions';
export {
  classifyTag,
  compareTagVersions,
  reservedTagProblem,
  sortByTagVersion,
} from './tagKinds';
export type {
  AttachmentInfo,
  EntityImagesOverview,
  EnvironmentDrift,
  EnvironmentLane,
  EnvironmentStatus,
  GateResultInfo,
  ImageClaimInfo,
  ImageDetails,
  ImageOverview,
  ImageSource,
  ImagesErrorInfo,
  ImageSummary,
  LayerInfo,
  PlatformDetails,
  PromoteRequest,
  PromoteResponse,
  PromotionDecisionRequest,
  PromotionInfo,
  PromotionPlanInfo,
  PromotionStatus,
  RollbackRequest,
  TagIndexState,
  TagInfo,
  TagKind,
  TagPage,
  TagRow,
  TagSort,
} from './api';
