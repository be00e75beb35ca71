export { useImagesOverview } from './useImagesOverview';
export { useTagPage } from './useTagPage';
export { useImageDetails } from './useImageDetails';
export { useEntityImagesSpec } from './useEntityImagesSpec';
export type { EntityImagesSpecState } from './useEntityImagesSpec';
