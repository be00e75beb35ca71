// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * The answer to `POST /verify`.
 *
 * @public
 */
export type VerifyResult = {
  /** The fully qualified image reference that was checked. */
  reference: string;
  /** GREEN when the tag exists, RED when it does not. */
  status: 'GREEN' | 'RED';
  /** The digest the tag points at, when it exists. */
  digest?: string;
};
