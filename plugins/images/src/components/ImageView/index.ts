export { ImageView } from './ImageView';
