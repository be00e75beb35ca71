// Generated from plugins/images-backend/src/schema/openapi.yaml by `yarn generate:openapi` in
// plugins/images-backend. Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import type { ImageOverview } from './ImageOverview.model';

/**
 * `GET /entities/{kind}/{namespace}/{name}/overview`.
 *
 * @public
 */
export type EntityImagesOverview = {
  entityRef: string;
  images: ImageOverview[];
};
