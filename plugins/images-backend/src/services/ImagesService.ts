import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import {
  EnvironmentDefinition,
  environmentImage,
  formatImageReference,
  ImageReferenceError,
  isValidTag,
  parseImageReference,
  parseImageRepository,
} from '@berth/plugin-images-common';
import { InputError } from '@backstage/errors';
import { RegistryHosts } from '../registry';

/** Environments when `images.environments` is not configured: the common three-stage pipeline. */
const DEFAULT_ENVIRONMENTS: EnvironmentDefinition[] = [
  { name: 'development', tag: 'latest-dev' },
  { name: 'staging', tag: 'staging' },
  { name: 'production', tag: 'latest', protected: true },
];

/**
 * What `GET /health` reports: the plugin is up, and which registries and environments it is configured with.
 *
 * @public
 */
export interface ImagesHealth {
  status: 'ok';
  registries: string[];
  environments: string[];
}

/**
 * The answer of {@link ImagesService.verify}.
 *
 * @public
 */
export type VerifyResult =
  | { reference: string; status: 'GREEN'; digest: string }
  | { reference: string; status: 'RED' };

/**
 * The images domain service: registries, environments and (as Berth grows) status and promotion.
 *
 * @public
 */
export class ImagesService {
  readonly #registries: RegistryHosts;
  readonly #environments: EnvironmentDefinition[];

  static create(options: {
    config: RootConfigService;
    logger: LoggerService;
  }): ImagesService {
    const registries = RegistryHosts.fromConfig(options.config, options.logger);
    const environments = readEnvironments(options.config);
    options.logger.info('Berth images backend configured', {
      registries: registries.hosts.join(', '),
      environments: environments.map(env => env.name).join(', '),
    });
    return new ImagesService(registries, environments);
  }

  constructor(
    registries: RegistryHosts,
    environments: EnvironmentDefinition[],
  ) {
    this.#registries = registries;
    this.#environments = environments;
  }

  get registries(): RegistryHosts {
    return this.#registries;
  }

  get environments(): EnvironmentDefinition[] {
    return this.#environments;
  }

  /**
   * Whether a tag exists in a repository: GREEN with its digest, or RED. One HEAD request.
   */
  async verify(request: { image: string; tag: string }): Promise<VerifyResult> {
    const image = parseOrThrow(() => parseImageRepository(request.image));
    if (!isValidTag(request.tag)) {
      parseOrThrow(() =>
        parseImageReference(`${request.image}:${request.tag}`),
      );
    }
    const client = this.#registries.clientFor(image.registry);
    const digest = await client.resolveDigest(image.repository, request.tag);
    const reference = formatImageReference({ ...image, tag: request.tag });
    return digest
      ? { reference, status: 'GREEN', digest }
      : { reference, status: 'RED' };
  }

  async health(): Promise<ImagesHealth> {
    return {
      status: 'ok',
      registries: this.#registries.hosts,
      environments: this.#environments.map(env => env.name),
    };
  }
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

function readEnvironments(config: RootConfigService): EnvironmentDefinition[] {
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
    const definition: EnvironmentDefinition = {
      name,
      tag,
      ...(alsoTag.length > 0 && { alsoTag }),
      ...(env.getOptionalBoolean('protected') && { protected: true }),
      ...(repository && { repository }),
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

/**
 * Service ref for the images domain service, so that tests and adopters can replace it.
 *
 * @public
 */
export const imagesServiceRef = createServiceRef<ImagesService>({
  id: 'images.service',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig, logger: coreServices.logger },
      async factory({ config, logger }) {
        return ImagesService.create({ config, logger });
      },
    }),
});
