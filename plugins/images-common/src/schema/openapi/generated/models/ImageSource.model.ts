// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * Where an image was built from, read from its OCI labels (`org.opencontainers.image.source`, `.revision`).
 *
 * @public
 */
export type ImageSource = {
  repository?: string;
  revision?: string;
  /** Link to the commit, when the source is a known forge (GitHub, GitLab, Bitbucket). */
  commitUrl?: string;
};
