import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { ImageTagPicker } from './ImageTagPicker';
import { ImageTagPickerFieldSchema } from './schema';
import { imageTagPickerValidation } from './validation';

/** The `ImageTagPicker` field as the new frontend system's `FormFieldBlueprint` loads it. */
export const imageTagPickerFormField = createFormField({
  name: 'ImageTagPicker',
  component: ImageTagPicker,
  validation: imageTagPickerValidation,
  schema: ImageTagPickerFieldSchema,
});
