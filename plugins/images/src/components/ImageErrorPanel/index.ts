export { ImageErrorPanel } from './ImageErrorPanel';
