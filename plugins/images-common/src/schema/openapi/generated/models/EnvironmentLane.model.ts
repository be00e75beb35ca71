// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { EnvironmentDeployment } from './EnvironmentDeployment.model';
import type { EnvironmentDrift } from './EnvironmentDrift.model';
import type { EnvironmentStatus } from './EnvironmentStatus.model';
import type { HoldInfo } from './HoldInfo.model';
import type { ImageSummary } from './ImageSummary.model';
import type { LanePolicies } from './LanePolicies.model';

/**
 * One environment of one image.
 *
 * @public
 */
export type EnvironmentLane = {
  name: string;
  tag: string;
  protected: boolean;
  status: EnvironmentStatus;
  digest?: string;
  image?: ImageSummary;
  drift?: EnvironmentDrift;
  hold?: HoldInfo;
  policies?: LanePolicies;
  /** Why the lane is RED or GREY, in words. */
  message?: string;
  /**
   * The repository the environment's tag lives in, when it is not the image's own:
   * `registry.prod.example.com/acme/app`.
   */
  repository?: string;
  deployment?: EnvironmentDeployment;
};
