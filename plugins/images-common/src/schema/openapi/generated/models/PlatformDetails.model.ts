// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { LayerInfo } from './LayerInfo.model';

/**
 * One platform of an image: its manifest and config.
 *
 * @public
 */
export type PlatformDetails = {
  platform: string;
  digest: string;
  mediaType: string;
  created?: string;
  cmd?: string[];
  entrypoint?: string[];
  user?: string;
  healthcheck?: string[];
  exposedPorts: string[];
  labels: Record<string, string>;
  layers: LayerInfo[];
  size: number;
};
