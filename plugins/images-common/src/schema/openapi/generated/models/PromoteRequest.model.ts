// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * `POST /entities/{kind}/{namespace}/{name}/promotions`.
 *
 * @public
 */
export type PromoteRequest = {
  /** One of the entity's images; the first when omitted. */
  image?: string;
  environment: string;
  /** A tag or digest of the image. */
  source: string;
  reason: string;
  /** The digest the caller saw in the environment; a promotion that finds another fails with 409. */
  expectedCurrentDigest?: string;
  /** Go ahead past failed gates (needs the force permission; the reason is kept). */
  force?: boolean;
  /** Work out and return the plan; write nothing. */
  dryRun?: boolean;
};
