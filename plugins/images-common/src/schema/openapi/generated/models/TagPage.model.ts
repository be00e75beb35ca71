// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { TagIndexState } from './TagIndexState.model';
import type { TagRow } from './TagRow.model';
import type { TagSort } from './TagSort.model';

/**
 * `GET /entities/{kind}/{namespace}/{name}/tags`.
 *
 * @public
 */
export type TagPage = {
  image: string;
  rows: TagRow[];
  totalRows: number;
  page: number;
  pageSize: number;
  sort: TagSort;
  index: TagIndexState;
};
