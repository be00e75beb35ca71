// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { RegistryEvent } from './RegistryEvent.model';

/**
 * The CNCF Distribution registry's notification envelope; fields Berth does not read are allowed.
 *
 * @public
 */
export type RegistryEventsEnvelope = {
  events: RegistryEvent[];
};
