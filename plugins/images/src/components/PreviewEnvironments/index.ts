export { PreviewEnvironments } from './PreviewEnvironments';
