// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * A validation gate's verdict on the image being promoted.
 *
 * @public
 */
export type GateResultInfo = {
  /** `size`, `layers`, `labels`, `cmd`, `healthcheck`, `non-root`, `signature`, or a module's gate id. */
  id: string;
  passed: boolean;
  /** One sentence: "412 MB is within 100 MB–2 GB". */
  message: string;
};
