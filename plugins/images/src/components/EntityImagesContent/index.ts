export { EntityImagesContent } from './EntityImagesContent';
