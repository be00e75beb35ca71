import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EnvironmentDefinition,
  environmentImage,
  FleetRow,
  formatImageReference,
  ImageReference,
} from '@berth/plugin-images-common';
import { EnvironmentStays } from '../stays/EnvironmentStays';
import { TagIndex } from '../tagIndex/TagIndex';
import { fleetCells } from './fleetCells';

/** Onboarded entities as the fleet reads them: the images each may claim, and its environments. */
export type ReadableEntities = Array<{
  entity: Entity;
  images: ImageReference[];
  environments: EnvironmentDefinition[];
}>;

/** Every row of a fleet, and the environments named, as first seen. */
export interface BuiltFleet {
  rows: FleetRow[];
  environments: string[];
}

/** A reference as written in an entity's spec (`checkout`, `group:checkout`), made whole. */
export function refOf(
  value: unknown,
  defaultKind: string,
  namespace: string,
): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: namespace }),
    );
  } catch {
    return undefined;
  }
}

/**
 * The fleet's rows: one per entity and image, its cells from the index (environment tags joined to their manifests,
 * which repositories were listed) and the stays Berth recorded; three database queries, no registry request.
 */
export class FleetRows {
  readonly #index: TagIndex;
  readonly #stays: EnvironmentStays;

  constructor(options: { index: TagIndex; stays: EnvironmentStays }) {
    this.#index = options.index;
    this.#stays = options.stays;
  }

  async build(readable: ReadableEntities): Promise<BuiltFleet> {
    const places = readable.flatMap(({ images, environments }) =>
      images.flatMap(image =>
        environments.map(env => ({
          env,
          target: environmentImage(image, env),
        })),
      ),
    );
    const store = this.#index.store;
    const [tags, listed, stays] = await Promise.all([
      store.getFleetTags(
        places.map(({ env, target }) => ({
          registry: target.registry,
          repository: target.repository,
          tag: env.tag,
        })),
      ),
      store.getListed(places.map(({ target }) => target)),
      this.#stays.staysOfImages(
        places.map(({ target }) => formatImageReference(target)),
      ),
    ]);

    const environments: string[] = [];
    const rows: FleetRow[] = [];
    for (const { entity, images, environments: envs } of readable) {
      for (const env of envs) {
        if (!environments.includes(env.name)) environments.push(env.name);
      }
      for (const image of images) {
        const facts = envs.map(environment => {
          const target = environmentImage(image, environment);
          const name = formatImageReference(target);
          const indexed = tags.get(`${name}:${environment.tag}`);
          return {
            environment,
            listed: listed.has(name),
            digest: indexed?.digest,
            created: indexed?.created,
            stays: stays.get(`${name} ${environment.name}`) ?? [],
          };
        });
        rows.push(
          rowOf(entity, formatImageReference(image), fleetCells(facts)),
        );
      }
    }
    return { rows, environments };
  }
}

function rowOf(entity: Entity, image: string, cells: FleetRow['cells']) {
  const namespace = entity.metadata.namespace ?? 'default';
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const owner = refOf(spec.owner, 'group', namespace);
  const system = refOf(spec.system, 'system', namespace);
  const lifecycle =
    typeof spec.lifecycle === 'string' ? spec.lifecycle : undefined;
  return {
    entityRef: stringifyEntityRef(entity),
    kind: entity.kind,
    name: entity.metadata.name,
    ...(entity.metadata.title && { title: entity.metadata.title }),
    ...(owner && { owner }),
    ...(system && { system }),
    ...(lifecycle && { lifecycle }),
    image,
    cells,
  };
}
