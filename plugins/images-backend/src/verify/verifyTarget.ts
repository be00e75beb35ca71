import { InputError } from '@backstage/errors';
import {
  ImageReference,
  ImageReferenceError,
  isValidTag,
  parseImageReference,
  parseImageRepository,
} from '@berth/plugin-images-common';

/**
 * The repository and tag a verification names; a 400 for a malformed one, before anything else is asked.
 */
export function parseVerifyTarget(request: { image: string; tag: string }): {
  image: ImageReference;
  tag: string;
} {
  const image = parseOrThrow(() => parseImageRepository(request.image));
  if (!isValidTag(request.tag)) {
    // The parser's message says what is wrong with the tag; any tag it lets through is still refused.
    parseOrThrow(() => parseImageReference(`${request.image}:${request.tag}`));
    throw new InputError(
      `${JSON.stringify(
        request.tag,
      )} is not a valid tag: up to 128 letters, digits, _ . and -, not starting with . or -`,
    );
  }
  return { image, tag: request.tag };
}

function parseOrThrow<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ImageReferenceError)
      throw new InputError(error.message);
    throw error;
  }
}
