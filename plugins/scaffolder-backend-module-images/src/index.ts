/**
 * Scaffolder actions for Berth: `images:verify` and `images:promote` (and, as Berth grows, `images:rollback`).
 *
 * @packageDocumentation
 */

export { scaffolderModuleImages as default } from './module';
export { createPromoteImageAction, createVerifyImageAction } from './actions';
