// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { FleetCell } from './FleetCell.model';

/**
 * One image of one onboarded entity.
 *
 * @public
 */
export type FleetRow = {
  entityRef: string;
  kind: string;
  name: string;
  title?: string;
  owner?: string;
  system?: string;
  lifecycle?: string;
  image: string;
  cells: FleetCell[];
};
