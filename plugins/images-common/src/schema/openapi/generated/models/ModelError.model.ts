// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * Backstage's error JSON with one sentence for the caller and nothing nested (no causes); an unexpected
 * failure is a 500 whose message gives the log id under which the backend logged it.
 *
 * @public
 */
export type ModelError = {
  error: {
    name: string;
    message: string;
    /** Only in development mode. */
    stack?: string;
  };
  response: {
    statusCode: number;
  };
};
