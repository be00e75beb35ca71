export { EntityImagesCard } from './EntityImagesCard';
