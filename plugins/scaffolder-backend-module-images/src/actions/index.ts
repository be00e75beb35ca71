export { createPromoteImageAction } from './promote';
export { createVerifyImageAction } from './verify';
