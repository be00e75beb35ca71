// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * How an environment's image compares with the previous environment in the pipeline that has an image (absent
 * for the first).
 *
 * @public
 */
export type EnvironmentDrift = 'same' | 'behind' | 'ahead' | 'different';
