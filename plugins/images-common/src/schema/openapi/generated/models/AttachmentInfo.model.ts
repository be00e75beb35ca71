// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * A signature, attestation or SBOM of an image.
 *
 * @public
 */
export type AttachmentInfo = {
  kind: 'signature' | 'attestation' | 'sbom' | 'other';
  source: string;
  digest: string;
  mediaType: string;
  artifactType?: string;
  tag?: string;
};
