// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * Kinds of tag, told apart by their names.
 *
 * @public
 */
export type TagKind =
  | 'environment'
  | 'release'
  | 'commit'
  | 'rollback'
  | 'pull-request'
  | 'artifact'
  | 'other';
