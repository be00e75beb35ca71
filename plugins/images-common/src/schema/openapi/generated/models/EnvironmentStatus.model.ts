// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * GREEN: the environment's tag exists. RED: it does not. GREY: Berth could not tell (the registry failed).
 *
 * @public
 */
export type EnvironmentStatus = 'GREEN' | 'RED' | 'GREY';
