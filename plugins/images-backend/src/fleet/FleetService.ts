import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  environmentImage,
  FleetPage,
  FleetRow,
  formatImageReference,
  GetFleet,
} from '@berth/plugin-images-common';
import { imagesConfigServiceRef } from '../config/ImagesConfig';
import {
  OnboardedEntities,
  onboardedEntitiesServiceRef,
} from '../entities/OnboardedEntities';
import {
  EnvironmentStays,
  environmentStaysServiceRef,
} from '../stays/EnvironmentStays';
import { TagIndex } from '../tagIndex/TagIndex';
import { tagIndexServiceRef } from '../tagIndex/tagIndexServiceRef';
import { fleetCells } from './fleetCells';

/** What the fleet page asks for: the query of `GET /fleet`, as the OpenAPI schema states it. */
export type FleetQuery = NonNullable<GetFleet['query']>;

/** A reference as written in an entity's spec (`checkout`, `group:checkout`), made whole. */
function refOf(
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
 * The fleet: every onboarded entity and image the caller may read, against the environments, from the index and
 * the stays Berth recorded (no registry request), filtered, searched and sorted as the Images page asks.
 */
export class FleetService {
  readonly #onboarded: OnboardedEntities;
  readonly #index: TagIndex;
  readonly #stays: EnvironmentStays;
  readonly #userInfo: UserInfoService;
  readonly #pipeline: string[];

  constructor(options: {
    onboarded: OnboardedEntities;
    index: TagIndex;
    stays: EnvironmentStays;
    userInfo: UserInfoService;
    /** The configured environments' names, in pipeline order: the columns come in this order. */
    pipeline?: string[];
  }) {
    this.#onboarded = options.onboarded;
    this.#index = options.index;
    this.#stays = options.stays;
    this.#userInfo = options.userInfo;
    this.#pipeline = options.pipeline ?? [];
  }

  async fleet(
    credentials: BackstageCredentials,
    query: FleetQuery = {},
  ): Promise<FleetPage> {
    const [readable, mine] = await Promise.all([
      this.#onboarded.readable(credentials),
      query.mine
        ? this.#userInfo
            .getUserInfo(credentials)
            .then(info => new Set(info.ownershipEntityRefs))
        : undefined,
    ]);
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

    const environmentNames: string[] = [];
    const rows: FleetRow[] = [];
    for (const { entity, images, environments } of readable) {
      for (const env of environments) {
        if (!environmentNames.includes(env.name))
          environmentNames.push(env.name);
      }
      for (const image of images) {
        const facts = environments.map(environment => {
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

    const shown = rows.filter(row => matches(row, query, mine));
    shown.sort(
      query.sort === 'staleness'
        ? (a, b) =>
            staleSince(a) - staleSince(b) ||
            a.entityRef.localeCompare(b.entityRef)
        : (a, b) =>
            a.name.localeCompare(b.name) ||
            a.entityRef.localeCompare(b.entityRef) ||
            a.image.localeCompare(b.image),
    );
    const page = query.page ?? 0;
    const pageSize = query.pageSize ?? 100;
    // The configured pipeline's order first; environments only entities name, after them as first seen.
    const rank = (name: string) => {
      const at = this.#pipeline.indexOf(name);
      return at < 0
        ? this.#pipeline.length + environmentNames.indexOf(name)
        : at;
    };
    return {
      environments: [...environmentNames].sort((a, b) => rank(a) - rank(b)),
      rows: shown.slice(page * pageSize, (page + 1) * pageSize),
      totalRows: shown.length,
      page,
      pageSize,
    };
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

/** When the row's longest-behind environment fell behind (rows behind without a date first, none behind last). */
function staleSince(row: FleetRow): number {
  let oldest = Infinity;
  for (const cell of row.cells) {
    if (cell.drift !== 'behind') continue;
    const at = cell.behind?.since ? Date.parse(cell.behind.since) : -Infinity;
    oldest = Math.min(oldest, at);
  }
  return oldest;
}

function matches(
  row: FleetRow,
  query: FleetQuery,
  mine: Set<string> | undefined,
): boolean {
  const same = (a: string | undefined, b: string, kind: string) =>
    a !== undefined && a === (refOf(b, kind, 'default') ?? b);
  if (mine && !(row.owner && mine.has(row.owner))) return false;
  if (query.owner && !same(row.owner, query.owner, 'group')) return false;
  if (query.system && !same(row.system, query.system, 'system')) return false;
  if (query.kind && row.kind.toLowerCase() !== query.kind.toLowerCase())
    return false;
  if (query.lifecycle && row.lifecycle !== query.lifecycle) return false;
  if (query.status) {
    const status = query.status;
    const hit = row.cells.some(cell =>
      status === 'behind' ? cell.drift === 'behind' : cell.status === status,
    );
    if (!hit) return false;
  }
  const q = query.q?.trim().toLowerCase();
  if (q) {
    const hex = q.replace(/^sha256:/, '');
    const found =
      row.image.toLowerCase().includes(q) ||
      row.cells.some(
        cell =>
          cell.tag.toLowerCase() === q ||
          (hex.length >= 4 &&
            /^[0-9a-f]+$/.test(hex) &&
            cell.digest?.startsWith(`sha256:${hex}`)),
      );
    if (!found) return false;
  }
  return true;
}

/** Service ref for the fleet. */
export const fleetServiceRef = createServiceRef<FleetService>({
  id: 'images.fleet',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        onboarded: onboardedEntitiesServiceRef,
        index: tagIndexServiceRef,
        stays: environmentStaysServiceRef,
        userInfo: coreServices.userInfo,
        images: imagesConfigServiceRef,
      },
      async factory({ images, ...deps }) {
        return new FleetService({
          ...deps,
          pipeline: images.environments.map(env => env.name),
        });
      },
    }),
});
