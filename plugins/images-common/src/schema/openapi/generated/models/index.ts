// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
export * from './ModelError.model';
export * from './RegistryEventsEnvelope.model';
export * from './RegistryEvent.model';
export * from './RegistryEventsAccepted.model';
export * from './Health.model';
export * from './VerifyRequest.model';
export * from './VerifyResult.model';
export * from './EnvironmentStatus.model';
export * from './ImageSource.model';
export * from './ImageSummary.model';
export * from './EnvironmentDrift.model';
export * from './EnvironmentLane.model';
export * from './ImagesErrorInfo.model';
export * from './ImageClaimInfo.model';
export * from './ImageOverview.model';
export * from './EntityImagesOverview.model';
export * from './TagKind.model';
export * from './TagInfo.model';
export * from './TagRow.model';
export * from './TagSort.model';
export * from './TagIndexState.model';
export * from './TagPage.model';
export * from './LayerInfo.model';
export * from './PlatformDetails.model';
export * from './AttachmentInfo.model';
export * from './ImageDetails.model';
export * from './GateResultInfo.model';
export * from './PromotionStatus.model';
export * from './PromotionInfo.model';
export * from './PromotionPlanInfo.model';
export * from './PromoteRequest.model';
export * from './RollbackRequest.model';
export * from './PromotionDecisionRequest.model';
export * from './PromoteResponse.model';
export * from './GetPromotions200Response.model';
