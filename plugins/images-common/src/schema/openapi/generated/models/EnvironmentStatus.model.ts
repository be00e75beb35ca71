// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * What the platform declares GREEN for the environment (`images.environments[].green`): `tagged` (the
 * default), the environment's tag exists; `running`, the tag exists and its deployment runs it. A lane whose
 * tag is missing is GREEN when its deployment runs an image of the repository (the-shop deploys commits, not
 * environment tags). RED: it is not so. GREY: Berth could not tell (the registry or the deployment source
 * failed, or a rollout is under way where the rule is `running`).
 *
 * @public
 */
export type EnvironmentStatus = 'GREEN' | 'RED' | 'GREY';
