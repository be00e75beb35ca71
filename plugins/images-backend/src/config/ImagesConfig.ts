import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { EnvironmentDefinition } from '@berth/plugin-images-common';
import { EVENT_FORMATS, EventFormat } from '../events/vendorWebhooks';
import { RegistryHosts } from '../registry';
import { previewMatcher, PreviewSettings } from '../tab/previewEnvironments';
import { readEnvironments } from './readEnvironments';

/**
 * `images.registries[].events`: the secret a registry's events must prove, and the format they come in.
 *
 * @public
 */
export interface RegistryEventsSettings {
  /** The shared secret (GitHub: the webhook secret). */
  token: string;
  /** The payload format, and how the secret is proven. */
  format: EventFormat;
}

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
  /** Which tags are preview environments (`images.previews`). */
  readonly previews: PreviewSettings;
  /** How each registry sends its events, by host (`images.registries[].events`). */
  readonly registryEvents: ReadonlyMap<string, RegistryEventsSettings>;

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
    const previewTags =
      config.getOptionalStringArray('images.previews.tags') ?? [];
    // Fails at startup, naming the setting, rather than on the first view.
    previewMatcher(previewTags);
    const images = new ImagesConfig({
      previews: {
        tags: previewTags,
        maxAgeMs:
          (config.getOptionalNumber('images.previews.maxAgeDays') ?? 30) *
          86_400_000,
      },
      registries: RegistryHosts.fromConfig(config, logger),
      environments: readEnvironments(config),
      index: {
        listMaxAgeMs: seconds('listMaxAgeSeconds'),
        environmentMaxAgeMs: seconds('environmentMaxAgeSeconds'),
        maxTags: config.getOptionalNumber('images.index.maxTags'),
        refreshMinutes:
          config.getOptionalNumber('images.index.refreshMinutes') ?? 10,
      },
      registryEvents: new Map(
        (config.getOptionalConfigArray('images.registries') ?? []).flatMap(
          registry => {
            const events = registry.getOptionalConfig('events');
            if (!events) return [];
            const host = registry.getString('host');
            const format = events.getOptionalString('format') ?? 'distribution';
            if (!(EVENT_FORMATS as readonly string[]).includes(format)) {
              throw new InputError(
                `images.registries: the events format of ${host} is "${format}"; write one of ${EVENT_FORMATS.join(
                  ', ',
                )}`,
              );
            }
            return [
              [
                host,
                {
                  token: events.getString('token'),
                  format: format as EventFormat,
                },
              ] as const,
            ];
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
    registryEvents?: ReadonlyMap<string, RegistryEventsSettings>;
    previews?: PreviewSettings;
  }) {
    this.previews = options.previews ?? { tags: [], maxAgeMs: 30 * 86_400_000 };
    this.registries = options.registries;
    this.environments = options.environments;
    this.index = { refreshMinutes: 10, ...options.index };
    this.promotion = { extraTags: [], ...options.promotion };
    this.registryEvents = options.registryEvents ?? new Map();
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
