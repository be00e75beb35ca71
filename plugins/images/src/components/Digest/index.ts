export { Digest } from './Digest';
