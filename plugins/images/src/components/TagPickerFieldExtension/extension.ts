import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { imagesPlugin } from '../../plugin';
import { ImageTagPicker } from './ImageTagPicker';
import { ImageTagPickerFieldSchema } from './schema';
import { imageTagPickerValidation } from './validation';

/**
 * The `ImageTagPicker` scaffolder field for the legacy frontend system: put it inside `<ScaffolderFieldExtensions>`
 * of the app's scaffolder route and use it in a template with `ui:field: ImageTagPicker`.
 *
 * @public
 */
export const ImageTagPickerFieldExtension = imagesPlugin.provide(
  createScaffolderFieldExtension({
    name: 'ImageTagPicker',
    component: ImageTagPicker,
    validation: imageTagPickerValidation,
    schema: ImageTagPickerFieldSchema.schema,
  }),
);
