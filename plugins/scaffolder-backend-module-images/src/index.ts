/**
 * Scaffolder actions for Berth: `images:verify`, `images:promote` and `images:rollback`.
 *
 * @packageDocumentation
 */

export { scaffolderModuleImages as default } from './module';
export {
  createPromoteImageAction,
  createRollbackImageAction,
  createVerifyImageAction,
} from './actions';
export type { PromotionActionOptions } from './actions';
