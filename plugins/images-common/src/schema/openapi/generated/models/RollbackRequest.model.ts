// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * `POST /entities/{kind}/{namespace}/{name}/rollbacks`: move an environment back to what it ran before.
 *
 * @public
 */
export type RollbackRequest = {
  /** One of the entity's images; the first when omitted. */
  image?: string;
  environment: string;
  /** A rollback tag or digest to return to; when omitted, the digest the environment ran before its last move. */
  target?: string;
  reason: string;
  expectedCurrentDigest?: string;
  force?: boolean;
  dryRun?: boolean;
};
