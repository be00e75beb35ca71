// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * `running`: the deployment runs the image the tag points at (or, with no tag, an image of the repository);
 * `rolling-out`: some replicas run it, others another digest; `drift`: it runs something else than the tag
 * says; `not-deployed`: the source knows the environment and runs nothing of this image; `unreachable`: the
 * source could not say (the reason is in `message`).
 *
 * @public
 */
export type DeploymentState =
  | 'running'
  | 'rolling-out'
  | 'drift'
  | 'not-deployed'
  | 'unreachable';
