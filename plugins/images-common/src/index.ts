/**
 * Isomorphic types, annotations, image references, permissions and the images API client for Berth.
 *
 * @packageDocumentation
 */

export {
  ANNOTATION_DEPLOYMENT_FILES,
  ANNOTATION_ENVIRONMENTS,
  ANNOTATION_IMAGES,
} from './annotations';
export { formatDuration } from './durations';
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
  entityImageByName,
  environmentImage,
  hasImagesAnnotation,
  parseEnvironmentsAnnotation,
  parseImagesAnnotation,
  readEntityImagesSpec,
  resolveEnvironments,
} from './entityImages';
export type {
  EntityImagesSpec,
  EnvironmentDefinition,
  FreezeWindow,
  ReleasePolicies,
} from './entityImages';
export { entityRouteParams } from './entityRoutes';
export { imageSignalChannel } from './signals';
export type { ImageSignal } from './signals';
export type { EntityRouteParams } from './entityRoutes';
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
// The images API (`/api/images`): models and client generated from plugins/images-backend/src/schema/openapi.yaml.
export { DefaultApiClient } from './schema/openapi/generated';
export type {
  ApprovalInfo,
  ApprovePromotion,
  AttachmentInfo,
  DeployedDigest,
  DeploymentState,
  EntityImagesOverview,
  EnvironmentDeployment,
  EnvironmentDrift,
  EnvironmentLane,
  EnvironmentStatus,
  FleetCell,
  FleetPage,
  FleetRow,
  GateResultInfo,
  GetFleet,
  GetEntityOverview,
  GetEntityTags,
  GetHealth,
  HoldInfo,
  HoldRequest,
  InboxItem,
  GetImageDetails,
  GetPromotion,
  GetPromotions,
  GetPromotions200Response,
  Health,
  ImageClaimInfo,
  ImageDetails,
  ImageOverview,
  ImageSource,
  ImagesErrorInfo,
  ImageSummary,
  LanePolicies,
  LayerInfo,
  PlatformDetails,
  Promote,
  PromoteRequest,
  PromoteResponse,
  PromotionDecisionRequest,
  PreviewEnvironment,
  PromotionInfo,
  PromotionPlanInfo,
  PromotionStatus,
  RejectPromotion,
  RequestOptions,
  Rollback,
  RollbackRequest,
  TagIndexState,
  TagInfo,
  TagKind,
  TagPage,
  TagRow,
  TagSort,
  TypedResponse,
  Verify,
  VerifyRequest,
  VerifyResult,
} from './schema/openapi/generated';
