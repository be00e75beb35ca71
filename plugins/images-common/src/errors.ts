/**
 * Thrown when an image reference, annotation or tag cannot be parsed. The message says what was wrong
 * and how to write it instead; it is safe to show to users.
 *
 * @public
 */
export class ImageReferenceError extends Error {
  readonly input: string;

  constructor(message: string, input: string) {
    super(message);
    this.name = 'ImageReferenceError';
    this.input = input;
  }
}
