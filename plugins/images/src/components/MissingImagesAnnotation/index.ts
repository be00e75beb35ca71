export { MissingImagesAnnotation } from './MissingImagesAnnotation';
