export { imagesApiRef } from './ImagesApi';
export type {
  ImageDetailsRequest,
  ImagesApi,
  ImagesEntityRef,
  TagPageRequest,
} from './ImagesApi';
export { ImagesClient } from './ImagesClient';
