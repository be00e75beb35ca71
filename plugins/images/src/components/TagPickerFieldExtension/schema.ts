import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/**
 * The `ImageTagPicker` field: its value is a tag of the image, and its options say where to find the entity and
 * the image among the other fields of the form.
 *
 * @public
 */
export const ImageTagPickerFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      entityRefField: z
        .string()
        .optional()
        .describe(
          'The form field that holds the entity whose tags are listed (default: entityRef)',
        ),
      imageField: z
        .string()
        .optional()
        .describe(
          "The form field that holds one of the entity's images, when it has several (default: its first image)",
        ),
    }),
});

/**
 * The props of the `ImageTagPicker` field.
 *
 * @public
 */
export type ImageTagPickerProps = typeof ImageTagPickerFieldSchema.TProps;
