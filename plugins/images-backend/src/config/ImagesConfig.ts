import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { EnvironmentDefinition } from '@berth/plugin-images-common';
import { RegistryHosts } from '../registry';
import { readEnvironments } from './readEnvironments';

/**
 * `images.index`: how fresh the tag index keeps each repository.
 *
 * @public
 */
export interface TagIndexSettings {
  listMaxAgeMs?: number;
  environmentMaxAgeMs?: number;
  maxTags?: number;
  refreshMinutes: number;
}

/**
 * `images.promotion`: what every promotion writes and how long its lock lasts without renewal.
 *
 * @public
 */
export interface PromotionSettings {
  /** Tag templates written with every promotion, such as `main-{sourceTag}`. */
  extraTags: string[];
  lockLeaseMs?: number;
}

/**
 * Berth's configuration, read and checked once at startup: the registries (hosts, endpoints, credentials), the
 * environments, and the tag index's and promotions' settings.
 *
 * @public
 */
export class ImagesConfig {
  readonly registries: RegistryHosts;
  readonly environments: EnvironmentDefinition[];
  readonly index: TagIndexSettings;
  readonly promotion: PromotionSettings;
  /** The secret each registry sends with its events, by host (`images.registries[].events.token`). */
  readonly eventTokens: ReadonlyMap<string, string>;

  static fromConfig(
    config: RootConfigService,
    logger: LoggerService,
  ): ImagesConfig {
    const seconds = (key: string) => {
      const value = config.getOptionalNumber(`images.index.${key}`);
      return value === undefined ? undefined : value * 1000;
    };
    const leaseSeconds = config.getOptionalNumber(
      'images.promotion.lockLeaseSeconds',
    );
    const images = new ImagesConfig({
      registries: RegistryHosts.fromConfig(config, logger),
      environments: readEnvironments(config),
      index: {
        listMaxAgeMs: seconds('listMaxAgeSeconds'),
        environmentMaxAgeMs: seconds('environmentMaxAgeSeconds'),
        maxTags: config.getOptionalNumber('images.index.maxTags'),
        refreshMinutes:
          config.getOptionalNumber('images.index.refreshMinutes') ?? 10,
      },
      eventTokens: new Map(
        (config.getOptionalConfigArray('images.registries') ?? []).flatMap(
          registry => {
            const token = registry.getOptionalString('events.token');
            return token ? [[registry.getString('host'), token] as const] : [];
          },
        ),
      ),
      promotion: {
        extraTags:
          config.getOptionalStringArray('images.promotion.extraTags') ?? [],
        lockLeaseMs:
          leaseSeconds === undefined ? undefined : leaseSeconds * 1000,
      },
    });
    logger.info('Berth images backend configured', {
      registries: images.registries.hosts.join(', '),
      environments: images.environments.map(env => env.name).join(', '),
    });
    return images;
  }

  constructor(options: {
    registries: RegistryHosts;
    environments: EnvironmentDefinition[];
    index?: Partial<TagIndexSettings>;
    promotion?: Partial<PromotionSettings>;
    eventTokens?: ReadonlyMap<string, string>;
  }) {
    this.registries = options.registries;
    this.environments = options.environments;
    this.index = { refreshMinutes: 10, ...options.index };
    this.promotion = { extraTags: [], ...options.promotion };
    this.eventTokens = options.eventTokens ?? new Map();
  }
}

/**
 * Berth's configuration, for the services and for modules that need the registries or environments.
 *
 * @public
 */
export const imagesConfigServiceRef = createServiceRef<ImagesConfig>({
  id: 'images.config',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig, logger: coreServices.logger },
      async factory({ config, logger }) {
        return ImagesConfig.fromConfig(config, logger);
      },
    }),
});
