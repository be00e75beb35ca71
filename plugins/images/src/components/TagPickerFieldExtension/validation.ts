import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { isValidDigest, isValidTag } from '@berth/plugin-images-common';

/**
 * Checks that a tag was chosen and that it is a tag (or a digest) the registry could hold.
 *
 * @public
 */
export const imageTagPickerValidation: CustomFieldValidator<string> = (
  value,
  validation,
) => {
  const tag = value?.trim() ?? '';
  if (!tag) {
    validation.addError('Choose a tag of the image');
    return;
  }
  if (!isValidTag(tag) && !isValidDigest(tag)) {
    validation.addError(
      `"${tag}" is not an image tag: up to 128 letters, digits, "_", "." and "-", starting with a letter, digit or "_"`,
    );
  }
};
