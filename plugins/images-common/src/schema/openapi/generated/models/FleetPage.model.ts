// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { FleetRow } from './FleetRow.model';

/**
 * `GET /fleet`.
 *
 * @public
 */
export type FleetPage = {
  /** Every environment of the rows, in pipeline order. */
  environments: string[];
  rows: FleetRow[];
  totalRows: number;
  page: number;
  pageSize: number;
};
