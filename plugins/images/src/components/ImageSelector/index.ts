export { ImageSelector } from './ImageSelector';
