/**
 * Scaffolder actions for Berth: `images:verify` (and, as Berth grows, `images:promote` and `images:rollback`).
 *
 * @packageDocumentation
 */

export { scaffolderModuleImages as default } from './module';
export { createVerifyImageAction } from './actions';
