export { useImagesOverview } from './useImagesOverview';
export { useTagPage } from './useTagPage';
export { useImageDetails } from './useImageDetails';
export { useEntityImagesSpec } from './useEntityImagesSpec';
export type { EntityImagesSpecState } from './useEntityImagesSpec';
export { usePromotions } from './usePromotions';
export { usePromotionPermissions } from './usePromotionPermissions';
export type { PermissionState } from './usePromotionPermissions';
