// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * One image the deployment runs.
 *
 * @public
 */
export type DeployedDigest = {
  digest: string;
  /** The reference the deployment names it by, when it names one: `registry.example.com/shop/web:3f2a9c1`. */
  reference?: string;
  /** How many pods run it (Kubernetes). */
  replicas?: number;
};
