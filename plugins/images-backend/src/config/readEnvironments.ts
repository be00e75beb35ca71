import { RootConfigService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  EnvironmentDefinition,
  environmentImage,
  isValidTag,
} from '@berth/plugin-images-common';

/** Environments when `images.environments` is not configured: the common three-stage pipeline. */
const DEFAULT_ENVIRONMENTS: EnvironmentDefinition[] = [
  { name: 'development', tag: 'latest-dev' },
  { name: 'staging', tag: 'staging' },
  { name: 'production', tag: 'latest', protected: true },
];

function parseEnvironmentRepository(environment: EnvironmentDefinition) {
  try {
    environmentImage(
      { registry: 'registry.example.com', repository: 'team/app' },
      environment,
    );
  } catch (error) {
    throw new InputError(`images.environments: ${(error as Error).message}`);
  }
}

/** `images.environments`, checked: a 400-style error naming the setting for anything malformed. */
export function readEnvironments(
  config: RootConfigService,
): EnvironmentDefinition[] {
  const configured = config.getOptionalConfigArray('images.environments');
  if (!configured) return DEFAULT_ENVIRONMENTS;
  const environments = configured.map(env => {
    const name = env.getString('name');
    const tag = env.getString('tag');
    const alsoTag = env.getOptionalStringArray('alsoTag') ?? [];
    for (const t of [tag, ...alsoTag]) {
      if (!isValidTag(t)) {
        throw new InputError(
          `images.environments: ${name} has an invalid tag "${t}"`,
        );
      }
    }
    const repository = env.getOptionalString('repository');
    const green = env.getOptionalString('green');
    if (green !== undefined && green !== 'tagged' && green !== 'running') {
      throw new InputError(
        `images.environments: ${name} has green "${green}": write tagged (the tag exists) or running (the tag exists and its deployment runs it)`,
      );
    }
    const definition: EnvironmentDefinition = {
      name,
      tag,
      ...(alsoTag.length > 0 && { alsoTag }),
      ...(env.getOptionalBoolean('protected') && { protected: true }),
      ...(repository && { repository }),
      ...(green && { green }),
    };
    if (repository) {
      if (!repository.includes('{repository}') && !repository.includes('/')) {
        throw new InputError(
          `images.environments: the repository of ${name} ("${repository}") names no repository: write a template such as registry.example.com/{repository}`,
        );
      }
      // Fails now, with the setting's name, rather than on the first promotion.
      parseEnvironmentRepository(definition);
    }
    return definition;
  });
  const names = new Set<string>();
  for (const env of environments) {
    if (names.has(env.name))
      throw new InputError(`images.environments lists ${env.name} twice`);
    names.add(env.name);
  }
  return environments;
}
