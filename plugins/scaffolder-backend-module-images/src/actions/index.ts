export { createPromoteImageAction } from './promote';
export type { PromotionActionOptions } from './promotionStep';
export { createRollbackImageAction } from './rollback';
export { createVerifyImageAction } from './verify';
