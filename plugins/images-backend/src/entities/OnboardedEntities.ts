import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_IMAGES,
  EnvironmentDefinition,
  formatImageReference,
  ImageReference,
  imagesReadPermission,
} from '@berth/plugin-images-common';
import { imagesConfigServiceRef } from '../config/ImagesConfig';
import { allowedEach } from './batchDecisions';
import { readEntitySpec } from './entitySpec';
import {
  RepositoryClaims,
  repositoryClaimsServiceRef,
} from './RepositoryClaims';

/** What the fleet shows of an entity and what its images and claims are read from. */
const FLEET_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.owner',
  'spec.system',
  'spec.lifecycle',
  'relations',
];

/**
 * Every onboarded entity at once, for what spans them: the scheduled refresh (every image), the fleet (what the
 * caller may read) and the approval inbox (which entities the caller may act on). One catalog query and one round of
 * permission decisions each, whatever the number of entities.
 */
export class OnboardedEntities {
  readonly #catalog: CatalogService;
  readonly #permissions: PermissionsService;
  readonly #environments: EnvironmentDefinition[];
  readonly #claims: RepositoryClaims;
  readonly #logger: LoggerService;

  constructor(options: {
    catalog: CatalogService;
    permissions: PermissionsService;
    environments: EnvironmentDefinition[];
    claims: RepositoryClaims;
    logger: LoggerService;
  }) {
    this.#catalog = options.catalog;
    this.#permissions = options.permissions;
    this.#environments = options.environments;
    this.#claims = options.claims;
    this.#logger = options.logger;
  }

  /**
   * Every onboarded entity's images that it may claim, each once, with the environments of the first entity naming
   * it; the claims are replaced with what the catalog says now unless `replaceClaims` is false. For the scheduled
   * refresh, with service credentials.
   */
  async images(
    credentials: BackstageCredentials,
    options: { replaceClaims?: boolean } = {},
  ): Promise<
    Array<{ image: ImageReference; environments: EnvironmentDefinition[] }>
  > {
    const items = await this.#entities(credentials, [
      'kind',
      'metadata',
      'spec.type',
      'spec.owner',
      'relations',
    ]);
    const named: Array<{ entity: Entity; images: ImageReference[] }> = [];
    const onboarded = new Map<
      string,
      { image: ImageReference; environments: EnvironmentDefinition[] }
    >();
    for (const entity of items) {
      let spec;
      try {
        spec = readEntitySpec(entity, this.#environments);
      } catch (error) {
        this.#logger.warn(
          `Skipping ${stringifyEntityRef(entity)}: ${(error as Error).message}`,
        );
        continue;
      }
      named.push({ entity, images: spec.images });
      for (const image of spec.images) {
        const name = formatImageReference(image);
        if (onboarded.has(name) || !this.#claims.decide(entity, image).allowed)
          continue;
        onboarded.set(name, { image, environments: spec.environments });
      }
    }
    if (options.replaceClaims !== false) await this.#claims.replaceAll(named);
    return [...onboarded.values()];
  }

  /**
   * Every onboarded entity the caller may see and read the images of, with the images it may claim and its
   * environments; entities with malformed annotations are left out.
   */
  async readable(credentials: BackstageCredentials): Promise<
    Array<{
      entity: Entity;
      images: ImageReference[];
      environments: EnvironmentDefinition[];
    }>
  > {
    const items = await this.#entities(credentials, FLEET_FIELDS);
    const allowed = await allowedEach(
      this.#permissions,
      items.map(entity => stringifyEntityRef(entity)),
      credentials,
      imagesReadPermission,
    );
    return items.flatMap((entity, i) => {
      if (!allowed[i]) return [];
      try {
        const spec = readEntitySpec(entity, this.#environments);
        return [
          {
            entity,
            images: spec.images.filter(
              image => this.#claims.decide(entity, image).allowed,
            ),
            environments: spec.environments,
          },
        ];
      } catch {
        return [];
      }
    });
  }

  /** Which of these entities the caller may see and holds `permission` on. */
  async allowedRefs(
    entityRefs: string[],
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
  ): Promise<Set<string>> {
    const refs = [...new Set(entityRefs)];
    if (refs.length === 0) return new Set();
    const { items } = await this.#catalog.getEntitiesByRefs(
      {
        entityRefs: refs,
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials },
    );
    const visible = refs.filter((_ref, i) => items[i]);
    const allowed = await allowedEach(
      this.#permissions,
      visible,
      credentials,
      permission,
    );
    return new Set(visible.filter((_ref, i) => allowed[i]));
  }

  /** Every entity with the images annotation the caller may see, with these fields. */
  async #entities(
    credentials: BackstageCredentials,
    fields: string[],
  ): Promise<Entity[]> {
    const { items } = await this.#catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${ANNOTATION_IMAGES}`]: CATALOG_FILTER_EXISTS,
        },
        fields,
      },
      { credentials },
    );
    return items;
  }
}

/** Service ref for reading every onboarded entity at once. */
export const onboardedEntitiesServiceRef = createServiceRef<OnboardedEntities>({
  id: 'images.onboarded-entities',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        catalog: catalogServiceRef,
        images: imagesConfigServiceRef,
        claims: repositoryClaimsServiceRef,
      },
      async factory({ images, ...deps }) {
        return new OnboardedEntities({
          ...deps,
          environments: images.environments,
        });
      },
    }),
});
