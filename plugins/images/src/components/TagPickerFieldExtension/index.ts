export { ImageTagPicker } from './ImageTagPicker';
export { ImageTagPickerFieldExtension } from './extension';
export { ImageTagPickerFieldSchema } from './schema';
export type { ImageTagPickerProps } from './schema';
export { imageTagPickerValidation } from './validation';
