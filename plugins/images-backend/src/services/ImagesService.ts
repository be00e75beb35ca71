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
  ImageReference,
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
 * What `GET /health` reports, to anyone: the plugin is up. Nothing of the configuration (registry hosts can name
 * internal machines and cloud accounts).
 *
 * @public
 */
export interface ImagesHealth {
  status: 'ok';
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
   * Whether a tag exists in a repository: GREEN with its digest, or RED. One HEAD request, with the platform's
   * credentials: callers authorize first (VerifyService).
   */
  async verify(request: { image: string; tag: string }): Promise<VerifyResult> {
    const { image } = parseVerifyTarget(request);
    const client = this.#registries.clientFor(image.registry);
    const digest = await client.resolveDigest(image.repository, request.tag);
    const reference = formatImageReference({ ...image, tag: request.tag });
    return digest
      ? { reference, status: 'GREEN', digest }
      : { reference, status: 'RED' };
  }

  async health(): Promise<ImagesHealth> {
    return { status: 'ok' };
  }
}

/**
 * The repository and tag a verification names; a 400 for a malformed one, before anything else is asked.
 *
 * @public
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
