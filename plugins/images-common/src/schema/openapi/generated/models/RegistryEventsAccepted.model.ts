// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */

/**
 * `POST /events/{registry}`: how many events name a tag of a repository Berth indexes.
 *
 * @public
 */
export type RegistryEventsAccepted = {
  accepted: number;
  ignored: number;
};
