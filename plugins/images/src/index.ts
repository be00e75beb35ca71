/**
 * Berth's Images tab, overview card and promotion UI for Backstage.
 *
 * @packageDocumentation
 */

export {
  imagesPlugin,
  EntityImagesContent,
  EntityImagesCard,
  ImagesPage,
} from './plugin';
export { isImagesAvailable } from './conditions';
export { ImagesSidebarItem } from './components/ApprovalInbox';
export { imagesApiRef, ImagesClient } from './api';
export type {
  FleetRequest,
  ImageDetailsRequest,
  ImagesApi,
  ImagesEntityRef,
  TagPageRequest,
} from './api';
export { useImageDetails, useImagesOverview, useTagPage } from './hooks';
export { useFleet, usePromotions } from './hooks';
export {
  ImageTagPicker,
  ImageTagPickerFieldExtension,
  ImageTagPickerFieldSchema,
  imageTagPickerValidation,
} from './components/TagPickerFieldExtension';
export type { ImageTagPickerProps } from './components/TagPickerFieldExtension';
