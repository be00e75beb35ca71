import { InputError } from '@backstage/errors';
import {
  EnvironmentDefinition,
  environmentImage,
  formatImageReference,
  ImageReference,
  reservedTagProblem,
} from '@berth/plugin-images-common';

function tagsOf(environment: EnvironmentDefinition): string[] {
  return [environment.tag, ...(environment.alsoTag ?? [])];
}

/**
 * Refuses a promotion that would write a tag it has no claim to: a tag of another environment (the entity's, or a
 * configured one, whatever name an annotation gives), a rollback tag, or a tag named after a digest (signatures,
 * attestations). Protection follows the tags: no name, annotation or extra-tag template gets around another
 * environment's approval and gates this way.
 */
export function checkTagsToWrite(options: {
  image: ImageReference;
  environment: EnvironmentDefinition;
  tags: string[];
  /** Every environment that may hold tags of the image: the entity's and the configured ones. */
  environments: EnvironmentDefinition[];
}): void {
  const { image, environment, tags, environments } = options;
  const target = formatImageReference(environmentImage(image, environment));
  const name = formatImageReference(image);
  for (const tag of tags) {
    const reserved = reservedTagProblem(tag);
    if (reserved) {
      throw new InputError(
        `${environment.name} of ${name} may not write ${reserved}`,
      );
    }
    for (const other of environments) {
      if (other.name === environment.name) continue;
      if (!tagsOf(other).includes(tag)) continue;
      if (formatImageReference(environmentImage(image, other)) !== target)
        continue;
      throw new InputError(
        `${environment.name} of ${name} may not write "${tag}": it is ${
          other.tag === tag ? 'the tag' : 'an alsoTag'
        } of ${other.name}${
          other.protected ? ', which is protected' : ''
        }. Give ${environment.name} a tag of its own`,
      );
    }
  }
}
