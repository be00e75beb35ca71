export { ImageDetailsDrawer } from './ImageDetailsDrawer';
