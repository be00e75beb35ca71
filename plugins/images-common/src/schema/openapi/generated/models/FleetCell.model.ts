// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { EnvironmentDrift } from './EnvironmentDrift.model';
import type { EnvironmentStatus } from './EnvironmentStatus.model';

/**
 * One environment of a fleet row.
 *
 * @public
 */
export type FleetCell = {
  environment: string;
  tag: string;
  status: EnvironmentStatus;
  digest?: string;
  /** When the image was built. */
  created?: string;
  /** Since when the environment runs this digest, as far as Berth saw. */
  since?: string;
  drift?: EnvironmentDrift;
  /** How far behind the environment before it: "3 builds behind staging for 9 days". */
  behind?: {
    environment: string;
    /** Digests the environment before ran since it ran this one. */
    builds?: number;
    /** Since when the environment before runs something newer. */
    since?: string;
  };
};
