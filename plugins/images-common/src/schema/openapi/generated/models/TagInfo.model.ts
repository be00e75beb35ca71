// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { TagKind } from './TagKind.model';

/**
 * A tag and its kind.
 *
 * @public
 */
export type TagInfo = {
  name: string;
  kind: TagKind;
};
