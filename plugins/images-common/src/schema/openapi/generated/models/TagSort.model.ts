// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * Sort orders of the tags table.
 *
 * @public
 */
export type TagSort = 'created' | 'version' | 'name';
