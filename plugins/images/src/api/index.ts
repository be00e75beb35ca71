export { imagesApiRef } from './ImagesApi';
export type {
  FleetRequest,
  ImageDetailsRequest,
  ImagesApi,
  ImagesEntityRef,
  TagPageRequest,
} from './ImagesApi';
export { ImagesClient } from './ImagesClient';
