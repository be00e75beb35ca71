// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { EnvironmentLane } from './EnvironmentLane.model';
import type { ImageClaimInfo } from './ImageClaimInfo.model';
import type { ImagesErrorInfo } from './ImagesErrorInfo.model';
import type { PreviewEnvironment } from './PreviewEnvironment.model';

/**
 * One image repository of an entity and its environments; `claim` is set when other entities name the
 * repository too.
 *
 * @public
 */
export type ImageOverview = {
  /** As written in the annotation's normalised form: `ghcr.io/bxtech/dotca`. */
  image: string;
  registry: string;
  repository: string;
  environments: EnvironmentLane[];
  error?: ImagesErrorInfo;
  claim?: ImageClaimInfo;
  /**
   * Short-lived environments: the image's tags matching `images.previews.tags` (`feature-*`, `pr-*`), newest
   * first, from the index alone.
   */
  previews?: PreviewEnvironment[];
};
