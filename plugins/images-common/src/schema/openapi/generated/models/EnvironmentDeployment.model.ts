// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { DeployedDigest } from './DeployedDigest.model';
import type { DeploymentState } from './DeploymentState.model';

/**
 * What the environment's deployment runs, beside what its tag says.
 *
 * @public
 */
export type EnvironmentDeployment = {
  /** `kubernetes`, `file`, or the id of a deployment source module. */
  source: string;
  /** Where Berth looked: `cluster prod-eu, namespace support`, or the file URL. */
  location: string;
  state: DeploymentState;
  running: DeployedDigest[];
  /** The state in words, with both digests when they differ. */
  message: string;
};
