export { createVerifyImageAction } from './verify';
